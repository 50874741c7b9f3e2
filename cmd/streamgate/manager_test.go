package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/loopback"

	"github.com/streamgate-io/streamgate/internal/testenv"
)

// TestManagerServesProbesAndStopsOnSignal runs the real binary against a real
// API server, waits for /healthz and /readyz, then sends SIGTERM and expects
// a clean exit.
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

	probeAddr := loopback.FreeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(binary, "manager",
		"--kubeconfig", kubeconfig,
		"--health-probe-bind-address", probeAddr,
		"--metrics-bind-address", loopback.FreeAddr(t),
		"--metrics-secure=false",
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

// waitForOK polls url until it answers 200, the process exits, or time runs out.
func waitForOK(url string, timeout time.Duration, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("status %d: %s", resp.StatusCode, body)
		} else {
			last = err
		}
		select {
		case err := <-exited:
			return fmt.Errorf("manager exited early (%v); last answer: %v", err, last)
		case <-ctx.Done():
			return fmt.Errorf("not OK within %s: %v", timeout, last)
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
