// Package gitops_test checks the health checks StreamGate ships for Argo CD
// and Flux on the status objects captured from real runs (written by
// internal/controller's TestGitOpsHealthThroughEachKindsLife with
// UPDATE_TESTDATA=1), the way Argo CD's own resource_customizations tests
// run them.
package gitops_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/testhealth"
)

var kinds = []string{"Video", "TranscodeJob", "StreamEndpoint", "NFTGate", "ChainIndexer"}

func TestArgoCDHealthScriptsOnCapturedObjects(t *testing.T) {
	for _, kind := range kinds {
		data, err := os.ReadFile(filepath.Join(testhealth.ArgoDir(kind), "health_test.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var spec struct {
			Tests []struct {
				HealthStatus struct{ Status, Message string } `json:"healthStatus"`
				InputPath    string                           `json:"inputPath"`
			} `json:"tests"`
		}
		if err := yaml.Unmarshal(data, &spec); err != nil {
			t.Fatal(err)
		}
		statuses := map[string]bool{}
		for _, tc := range spec.Tests {
			raw, err := os.ReadFile(filepath.Join(testhealth.ArgoDir(kind), tc.InputPath))
			if err != nil {
				t.Fatal(err)
			}
			var obj map[string]any
			if err := yaml.Unmarshal(raw, &obj); err != nil {
				t.Fatal(err)
			}
			status, message, err := testhealth.ArgoHealth(kind, obj)
			if err != nil {
				t.Fatal(err)
			}
			if status != tc.HealthStatus.Status || message != tc.HealthStatus.Message {
				t.Errorf("%s %s: %s %q, want %s %q", kind, tc.InputPath, status, message, tc.HealthStatus.Status, tc.HealthStatus.Message)
			}
			statuses[status] = true
		}
		if !statuses["Healthy"] || !statuses["Progressing"] || !statuses["Degraded"] {
			t.Errorf("%s: the captured objects cover %v; want at least Healthy, Progressing and Degraded", kind, statuses)
		}
	}
}

func TestArgoCDConfigMapCarriesEveryScript(t *testing.T) {
	cm, err := os.ReadFile(filepath.Join(repo.Root(), "config", "argocd", "argocd-cm.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(cm, &parsed); err != nil {
		t.Fatal(err)
	}
	for _, kind := range kinds {
		script, err := os.ReadFile(filepath.Join(testhealth.ArgoDir(kind), "health.lua"))
		if err != nil {
			t.Fatal(err)
		}
		if got := parsed.Data["resource.customizations.health.streamgate.io_"+kind]; strings.TrimSpace(got) != strings.TrimSpace(string(script)) {
			t.Errorf("argocd-cm.yaml is stale for %s: run make argocd-cm", kind)
		}
	}
}

func TestFluxExpressionsCompileAndAgreeWithArgoCD(t *testing.T) {
	checks, err := testhealth.FluxChecks()
	if err != nil {
		t.Fatal(err)
	}
	argoToFlux := map[string]string{"Healthy": "Current", "Progressing": "InProgress", "Degraded": "Failed", "Suspended": "Current"}
	for _, kind := range kinds {
		check, ok := checks[kind]
		if !ok || check.Current == "" {
			t.Fatalf("no Flux healthCheckExprs for %s", kind)
		}
		files, _ := filepath.Glob(filepath.Join(testhealth.ArgoDir(kind), "testdata", "*.yaml"))
		for _, f := range files {
			raw, _ := os.ReadFile(f)
			var obj map[string]any
			if err := yaml.Unmarshal(raw, &obj); err != nil {
				t.Fatal(err)
			}
			flux, err := testhealth.FluxHealth(check, obj)
			if err != nil {
				t.Fatal(err)
			}
			argo, _, _ := testhealth.ArgoHealth(kind, obj)
			if argoToFlux[argo] != flux {
				t.Errorf("%s %s: Argo CD says %s, Flux %s", kind, filepath.Base(f), argo, flux)
			}
		}
	}
}
