//go:build e2e

package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// runningContainer is a container of a pod, as the node's containerd runs it.
type runningContainer struct {
	pod, namespace, container string
	pid                       int
}

// containers lists the running containers of the real node (not the pause
// sandboxes), read from its containerd.
func containers(t *testing.T) []runningContainer {
	t.Helper()
	ctr := func(args ...string) []byte {
		out, err := exec.Command("ctr", append([]string{"-a", d.Cluster.RealNode.Socket(), "-n", "k8s.io"}, args...)...).Output()
		if err != nil {
			t.Fatalf("ctr %v: %v", args, err)
		}
		return out
	}
	pids := map[string]int{}
	for _, line := range strings.Split(string(ctr("tasks", "ls")), "\n")[1:] {
		if f := strings.Fields(line); len(f) == 3 && f[2] == "RUNNING" {
			pids[f[0]], _ = strconv.Atoi(f[1])
		}
	}
	var out []runningContainer
	for id, pid := range pids {
		var info struct {
			Labels map[string]string `json:"Labels"`
		}
		if json.Unmarshal(ctr("containers", "info", id), &info) != nil || info.Labels["io.cri-containerd.kind"] != "container" {
			continue
		}
		out = append(out, runningContainer{pod: info.Labels["io.kubernetes.pod.name"], namespace: info.Labels["io.kubernetes.pod.namespace"],
			container: info.Labels["io.kubernetes.container.name"], pid: pid})
	}
	return out
}

// statusField reads a field of /proc/<pid>/status.
func statusField(pid int, name string) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// rootReadOnly: the container's / is mounted read-only.
func rootReadOnly(pid int) bool {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 5 && f[4] == "/" {
			return strings.Split(f[5], ",")[0] == "ro"
		}
	}
	return false
}

// Every StreamGate process on a real node — manager, streaming, indexer
// and transcode pods — runs as 65532:65532 with no capabilities, no new
// privileges, seccomp filtering and a read-only root filesystem, as the
// kernel itself reports it.
func TestEveryRoleRunsRestrictedOnARealNode(t *testing.T) {
	if !realNode() {
		t.Skip("containers and their kernel view exist on a real node only (make test-e2e-real)")
	}
	if _, err := d.Origin.MakeClip(context.Background(), "restricted.mp4", 20); err != nil {
		t.Fatal(err)
	}
	apply(t, video(demo.Namespace, "restricted", d.Origin.URL("restricted.mp4")))
	seen := map[string]bool{}
	eventually(t, 2*time.Minute, "a container of every role", func(context.Context) error {
		for _, c := range containers(t) {
			role := ""
			switch {
			case c.namespace == "streamgate-system" && c.container == "manager":
				role = "manager"
			case c.namespace == demo.Namespace && c.container == "serve":
				role = "serve"
			case c.namespace == demo.Namespace && c.container == "index":
				role = "index"
			case c.namespace == demo.Namespace && strings.HasPrefix(c.pod, "restricted-"):
				role = "transcode"
			default:
				continue
			}
			ids := map[string]string{"Uid": statusField(c.pid, "Uid"), "Gid": statusField(c.pid, "Gid"), "Groups": statusField(c.pid, "Groups"),
				"CapEff": statusField(c.pid, "CapEff"), "CapBnd": statusField(c.pid, "CapBnd"), "NoNewPrivs": statusField(c.pid, "NoNewPrivs"), "Seccomp": statusField(c.pid, "Seccomp")}
			if ids["Uid"] == "" {
				continue // exited meanwhile
			}
			for field, want := range map[string]string{"Uid": "65532\t65532\t65532\t65532", "Gid": "65532\t65532\t65532\t65532",
				"CapEff": "0000000000000000", "CapBnd": "0000000000000000", "NoNewPrivs": "1", "Seccomp": "2"} {
				if ids[field] != want {
					t.Errorf("%s %s/%s: %s %q, want %q", role, c.namespace, c.pod, field, ids[field], want)
				}
			}
			if !rootReadOnly(c.pid) {
				t.Errorf("%s %s/%s: the root filesystem is writable", role, c.namespace, c.pod)
			}
			seen[role] = true
		}
		for _, role := range []string{"manager", "serve", "index", "transcode"} {
			if !seen[role] {
				return fmt.Errorf("no %s container seen yet (seen %v)", role, seen)
			}
		}
		return nil
	})
}

// segmentPath follows a video's master playlist to its first media segment.
func segmentPath(t *testing.T, v *viewer.Viewer, video, token string) string {
	t.Helper()
	uriOf := func(playlist []byte) string {
		for _, line := range strings.Split(string(playlist), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				return line
			}
		}
		t.Fatalf("no URI in %q", playlist)
		return ""
	}
	base := "/v/" + video + "/"
	_, master, err := v.Get(base + "master.m3u8?t=" + token)
	if err != nil {
		t.Fatal(err)
	}
	variant := uriOf(master)
	_, media, err := v.Get(base + variant)
	if err != nil {
		t.Fatal(err)
	}
	dir := variant[:strings.LastIndex(variant, "/")+1]
	return base + dir + uriOf(media)
}

// A rolling update of the streaming pods while 200 viewers fetch segments
// through the Service: every request is answered 200. New pods come before
// old ones go (maxUnavailable 0), and a going pod keeps serving while
// kube-proxy stops sending it viewers (serve's shutdown delay).
func TestRollingUpdateUnder200ViewersFailsNoRequest(t *testing.T) {
	if !realNode() {
		t.Skip("Services are kube-proxy's rules on a real node only (make test-e2e-real)")
	}
	ctx := context.Background()
	status, grant, _, err := viewer.New(d.EndpointURL, d.Holder).SignIn(demo.Video)
	if err != nil || status != http.StatusOK {
		t.Fatalf("sign-in: %d %v %v", status, grant, err)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 200, MaxConnsPerHost: 200}
	defer transport.CloseIdleConnections()
	plain := &viewer.Viewer{Client: &http.Client{Transport: transport, Timeout: 10 * time.Second}, Base: d.EndpointURL}
	segment := segmentPath(t, plain, demo.Video, grant["token"])

	var requests, failures atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, _, err := plain.Get(segment)
				requests.Add(1)
				if err != nil || resp.StatusCode != http.StatusOK {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%v %v", err, resp))
				}
			}
		})
	}
	before := requests.Load()
	time.Sleep(2 * time.Second) // everyone is fetching before the rollout starts
	if err := d.Kubectl(ctx, nil, "-n", demo.Namespace, "rollout", "restart", "deployment/main-serve"); err != nil {
		t.Fatal(err)
	}
	if err := d.Kubectl(ctx, nil, "-n", demo.Namespace, "rollout", "status", "deployment/main-serve", "--timeout=3m"); err != nil {
		t.Fatal(err)
	}
	// The old pod drains and goes after the new one is ready: keep
	// fetching until it is gone.
	eventually(t, time.Minute, "only the new pod left", func(ctx context.Context) error {
		var pods corev1.PodList
		if err := d.Client.List(ctx, &pods, client.InNamespace(demo.Namespace), client.MatchingLabels{"app.kubernetes.io/component": "serve"}); err != nil {
			return err
		}
		if len(pods.Items) != 1 {
			return fmt.Errorf("%d serve pods", len(pods.Items))
		}
		return nil
	})
	close(stop)
	wg.Wait()
	t.Logf("rolling update under 200 concurrent viewers: %d requests, %d failed", requests.Load()-before, failures.Load())
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed; the first: %v", failures.Load(), requests.Load(), firstFailure.Load())
	}
}
