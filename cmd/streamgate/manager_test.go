package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/streamgate-io/streamgate/internal/loopback"
	"github.com/streamgate-io/streamgate/internal/repo"

	"github.com/streamgate-io/streamgate/internal/testenv"
)

// TestManagerServesProbesAndStopsOnSignal runs the real binary against a real
// API server, waits for /healthz and /readyz, scrapes its metrics over HTTPS
// as a service account bound to the metrics-reader role and as one without
// it, then sends SIGTERM and expects a clean exit.
func TestManagerServesProbesAndStopsOnSignal(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })

	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig, 0o600); err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	probeAddr, metricsAddr := loopback.FreeAddr(t), loopback.FreeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(binary, "manager",
		"--kubeconfig", kubeconfig,
		"--health-probe-bind-address", probeAddr,
		"--metrics-bind-address", metricsAddr,
		"--image", "registry.example.com/streamgate:test", "--transcoder-image", "registry.example.com/streamgate-transcoder:test",
		"--leader-elect", "--leader-election-namespace", "default",
	)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	for _, path := range []string{"/healthz", "/readyz"} {
		if err := waitForOK(fmt.Sprintf("http://%s%s", probeAddr, path), 30*time.Second, exited); err != nil {
			t.Fatalf("%s: %v\nmanager log:\n%s", path, err, logs.String())
		}
	}
	// The metrics server listens only once its self-signed certificate and
	// review client are made, which can be after the probes answer.
	if err := waitForListener(metricsAddr, 30*time.Second, exited); err != nil {
		t.Fatalf("metrics: %v\nmanager log:\n%s", err, logs.String())
	}
	checkSecureMetrics(t, env, "https://"+metricsAddr+"/metrics")

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("manager exited with %v after SIGTERM\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("manager still running 30s after SIGTERM\n%s", logs.String())
	}
	if !bytes.Contains(logs.Bytes(), []byte("manager stopped")) {
		t.Errorf("manager log does not say it stopped:\n%s", logs.String())
	}
}

// checkSecureMetrics scrapes as config/prometheus's ServiceMonitor does: a
// service account token, bound to the metrics-reader ClusterRole of
// config/rbac; the certificate is the manager's self-signed one.
func checkSecureMetrics(t *testing.T, env *testenv.Env, url string) {
	t.Helper()
	ctx := context.Background()
	k8s, err := env.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.Unmarshal(mustRead(t, filepath.Join(repo.Root(), "config", "rbac", "metrics_reader_role.yaml")), role); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, name := range []string{"prometheus", "stranger"} {
		if tokens[name], err = testenv.ServiceAccountToken(ctx, k8s, "default", name); err != nil {
			t.Fatal(err)
		}
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "prometheus-metrics-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "prometheus", Namespace: "default"}},
	}
	for _, obj := range []client.Object{role, binding} {
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}

	scraper := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the manager's self-signed certificate
	}}
	scrape := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := scraper.Do(req)
		if err != nil {
			t.Fatalf("scrape %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := scrape(""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _ := scrape(tokens["stranger"]); code != http.StatusForbidden {
		t.Errorf("a token without the metrics-reader role: %d, want 403", code)
	}
	if code, body := scrape(tokens["prometheus"]); code != http.StatusOK || !strings.Contains(body, "rest_client_requests_total") {
		t.Errorf("the metrics reader: %d, want 200 with the client metrics; body starts %.200q", code, body)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUnknownRoleIsRefused(t *testing.T) {
	cmd := exec.Command("go", "run", ".", "conductor")
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("err = %v, want a non-zero exit", err)
	}
	if !bytes.Contains(out, []byte(`unknown role "conductor"`)) || !bytes.Contains(out, []byte("manager")) {
		t.Errorf("output does not name the bad role and the known ones:\n%s", out)
	}
}

// waitForListener polls addr until it accepts a connection, the process
// exits, or time runs out.
func waitForListener(addr string, timeout time.Duration, exited <-chan error) error {
	return poll(timeout, exited, func(ctx context.Context) error {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	})
}

// waitForOK polls url until it answers 200, the process exits, or time runs out.
func waitForOK(url string, timeout time.Duration, exited <-chan error) error {
	return poll(timeout, exited, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		return nil
	})
}

// poll calls try until it succeeds, the manager exits, or time runs out.
func poll(timeout time.Duration, exited <-chan error, try func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		last := try(ctx)
		if last == nil {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("manager exited early (%v); last answer: %v", err, last)
		case <-ctx.Done():
			return fmt.Errorf("not within %s: %v", timeout, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// The transcoder image is released beside the manager's: a kustomize
// `images:` rename of the one carries over to the other, tag and registry
// port included; a digest cannot, and says what to set instead.
func TestTranscoderImageFollowsTheManagers(t *testing.T) {
	for own, want := range map[string]string{
		"ghcr.io/streamgate-io/streamgate:v0.2.0":   "ghcr.io/streamgate-io/streamgate-transcoder:v0.2.0",
		"registry.local:5000/mirror/streamgate:dev": "registry.local:5000/mirror/streamgate-transcoder:dev",
		"registry.local:5000/streamgate":            "registry.local:5000/streamgate-transcoder",
		"streamgate":                                "streamgate-transcoder",
	} {
		if got, err := transcoderImage(own); err != nil || got != want {
			t.Errorf("transcoderImage(%q) = %q, %v; want %q", own, got, err, want)
		}
	}
	if _, err := transcoderImage("ghcr.io/streamgate-io/streamgate@sha256:0123"); err == nil || !strings.Contains(err.Error(), "--transcoder-image") {
		t.Errorf("a digest: %v, want an error naming --transcoder-image", err)
	}
}
