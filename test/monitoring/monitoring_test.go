// Package monitoring_test checks that StreamGate's alerts and dashboard
// parse as PromQL and name only metrics the project registers, and that
// every alert has its runbook.
package monitoring_test

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/yaml"

	"github.com/streamgate-io/streamgate/internal/controller"
	"github.com/streamgate-io/streamgate/internal/indexer"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/stream"
)

// registered lists every metric name the project's binaries expose.
func registered(t *testing.T) map[string]bool {
	t.Helper()
	collectors := controller.Collectors()
	if c, ok := ctrlmetrics.Registry.(prometheus.Collector); ok {
		collectors = append(collectors, c) // controller-runtime's own metrics
	} else {
		t.Fatal("controller-runtime's registry cannot describe its metrics")
	}
	serve, index := prometheus.NewRegistry(), prometheus.NewRegistry()
	stream.RegisterMetrics(serve)
	indexer.NewMetrics(index)
	collectors = append(collectors, serve, index)
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	names := map[string]bool{}
	for _, c := range collectors {
		ch := make(chan *prometheus.Desc, 256)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			if m := fqName.FindStringSubmatch(d.String()); m != nil {
				names[m[1]] = true
			}
		}
	}
	if !names["streamgate_videos"] || !names["streamgate_serve_requests_total"] || !names["controller_runtime_reconcile_errors_total"] {
		t.Fatalf("registered metrics look incomplete: %v", names)
	}
	return names
}

// metricNames parses expr and lists the metrics it selects.
func metricNames(t *testing.T, expr string) []string {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		t.Fatalf("%q does not parse: %v", expr, err)
	}
	var out []string
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			out = append(out, vs.Name)
		}
		return nil
	})
	return out
}

func known(names map[string]bool, name string) bool {
	for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && names[base] {
			return true
		}
	}
	return false
}

func TestAlertsParseNameRegisteredMetricsAndHaveRunbooks(t *testing.T) {
	names := registered(t)
	raw, err := os.ReadFile(filepath.Join(repo.Root(), "config", "prometheus", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rule struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &rule); err != nil {
		t.Fatal(err)
	}
	groups, errs := rulefmt.Parse([]byte(rule.Spec), false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		t.Fatalf("rules do not validate: %v", errs)
	}
	runbooks, err := os.ReadFile(filepath.Join(repo.Root(), "docs", "runbooks.md"))
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			alerts++
			for _, name := range metricNames(t, r.Expr) {
				if !known(names, name) {
					t.Errorf("alert %s names %s, which nothing registers", r.Alert, name)
				}
			}
			url := r.Annotations["runbook_url"]
			anchor := url[strings.LastIndex(url, "#")+1:]
			if anchor != strings.ToLower(r.Alert) || !strings.Contains(string(runbooks), "## "+r.Alert) {
				t.Errorf("alert %s has no runbook section (runbook_url %q)", r.Alert, url)
			}
		}
	}
	if alerts < 6 {
		t.Errorf("%d alerts, want at least the six the operators asked for", alerts)
	}
}

func TestDashboardQueriesParseAndNameRegisteredMetrics(t *testing.T) {
	names := registered(t)
	raw, err := os.ReadFile(filepath.Join(repo.Root(), "config", "grafana", "streamgate.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	grafanaVars := strings.NewReplacer("$__rate_interval", "5m", "$namespace", ".*")
	queries := 0
	for _, p := range dash.Panels {
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			queries++
			for _, name := range metricNames(t, grafanaVars.Replace(target.Expr)) {
				if !known(names, name) {
					t.Errorf("panel %q names %s, which nothing registers", p.Title, name)
				}
			}
		}
	}
	if queries < 20 {
		t.Errorf("%d queries: the dashboard lost its panels", queries)
	}
}
