//go:build e2e && e2e_real

package e2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// What only a real node can show (built with the e2e_real tag: make
// test-e2e-real).

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

// procStatus reads /proc/<pid>/status as fields.
func procStatus(pid int) map[string]string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	fields := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok {
			fields[name] = strings.TrimSpace(value)
		}
	}
	return fields
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
			ids := procStatus(c.pid)
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
	var wg, answered sync.WaitGroup
	answered.Add(200)
	for range 200 {
		wg.Go(func() {
			first := true
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
				if first {
					first = false
					answered.Done()
				}
			}
		})
	}
	answered.Wait() // every viewer is fetching before the rollout starts
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
		if err := d.Client.List(ctx, &pods, client.InNamespace(demo.Namespace), client.MatchingLabels{"streamgate.io/streamendpoint": "main", "app.kubernetes.io/component": "serve"}); err != nil {
			return err
		}
		if len(pods.Items) != 1 {
			return fmt.Errorf("%d serve pods", len(pods.Items))
		}
		return nil
	})
	close(stop)
	wg.Wait()
	t.Logf("rolling update under 200 concurrent viewers: %d requests, %d failed", requests.Load(), failures.Load())
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed; the first: %v", failures.Load(), requests.Load(), firstFailure.Load())
	}
}

// One of three streaming pods killed mid-playback: hls.js in headless
// Chromium plays on through the Service, without a stall longer than one
// segment (2 s). The pod killed is the one the browser's connections go to,
// read from the node's conntrack table.
func TestKillingAServePodMidPlaybackDoesNotStall(t *testing.T) {
	ctx := context.Background()
	if _, err := d.Origin.MakeClip(ctx, "failover.mp4", 60); err != nil {
		t.Fatal(err)
	}
	apply(t, gatedVideo("failover", d.Origin.URL("failover.mp4"), "holders", "failover")+fmt.Sprintf(`---
apiVersion: streamgate.io/v1alpha1
kind: StreamEndpoint
metadata: {name: failover, namespace: %s}
spec:
  videoSelector:
    matchLabels: {streamgate.io/endpoint: failover}
  replicas: 3
`, demo.Namespace))
	var endpoint streamgatev1alpha1.StreamEndpoint
	key := client.ObjectKey{Namespace: demo.Namespace, Name: "failover"}
	eventually(t, time.Minute, "the endpoint's address", func(ctx context.Context) error {
		if err := d.Client.Get(ctx, key, &endpoint); err != nil || endpoint.Status.URL == "" {
			return fmt.Errorf("no address yet: %v", err)
		}
		return nil
	})
	patch := fmt.Sprintf(`{"spec":{"signIn":{"origins":[%q]}}}`, endpoint.Status.URL)
	if err := d.Client.Patch(ctx, &endpoint, client.RawPatch(types.MergePatchType, []byte(patch))); err != nil {
		t.Fatal(err)
	}
	probe := &http.Client{Timeout: 2 * time.Second}
	eventually(t, 3*time.Minute, "3 streaming pods serving the video", func(ctx context.Context) error {
		if err := d.Client.Get(ctx, key, &endpoint); err != nil {
			return err
		}
		if !meta.IsStatusConditionTrue(endpoint.Status.Conditions, "Ready") || endpoint.Status.ReadyReplicas != 3 || endpoint.Status.Videos != 1 {
			return fmt.Errorf("%d ready replicas, %d videos, conditions %+v", endpoint.Status.ReadyReplicas, endpoint.Status.Videos, endpoint.Status.Conditions)
		}
		resp, err := probe.Get(endpoint.Status.URL + "/readyz")
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})

	cast := filepath.Join(devchain.ToolsDir(), "@foundry-rs", "cast-linux-amd64", "bin", "cast")
	cmd := exec.Command("node", filepath.Join(repo.Root(), "test", "browser", "failover.mjs"), endpoint.Status.URL+"/watch/"+demo.Namespace+"/failover",
		hexutil.Encode(crypto.FromECDSA(d.Holder)), crypto.PubkeyToAddress(d.Holder.PublicKey).Hex(), cast, "30")
	cmd.Env = append(os.Environ(), "STREAMGATE_NODE_MODULES="+devchain.ToolsDir())
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "PLAYING" {
		t.Fatalf("the player did not start: %q", lines.Text())
	}

	// The pod the browser fetches from: the most connections to it through
	// the Service's ClusterIP, as conntrack tracks them.
	var pods corev1.PodList
	if err := d.Client.List(ctx, &pods, client.InNamespace(demo.Namespace), client.MatchingLabels{"streamgate.io/streamendpoint": "failover", "app.kubernetes.io/component": "serve"}); err != nil {
		t.Fatal(err)
	}
	clusterIP := strings.Split(strings.TrimPrefix(endpoint.Status.URL, "http://"), ":")[0]
	out, _ := exec.Command("conntrack", "-L", "-p", "tcp", "--orig-dst", clusterIP).Output()
	counts := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, "ESTABLISHED") {
			continue
		}
		// The reply direction's source is the pod.
		if f := strings.Fields(line); len(f) > 0 {
			srcs := []string{}
			for _, field := range f {
				if v, ok := strings.CutPrefix(field, "src="); ok {
					srcs = append(srcs, v)
				}
			}
			if len(srcs) == 2 {
				counts[srcs[1]]++
			}
		}
	}
	victim := &pods.Items[0]
	for i := range pods.Items {
		if counts[pods.Items[i].Status.PodIP] > counts[victim.Status.PodIP] {
			victim = &pods.Items[i]
		}
	}
	t.Logf("browser connections by pod IP %v; killing %s (%s)", counts, victim.Name, victim.Status.PodIP)
	if err := d.Client.Delete(ctx, victim, client.GracePeriodSeconds(0)); err != nil {
		t.Fatal(err)
	}

	if !lines.Scan() {
		t.Fatalf("the player said nothing more: %v", lines.Err())
	}
	var result struct {
		LongestStallMs int      `json:"longestStallMs"`
		Played         float64  `json:"played"`
		HTTPErrors     []string `json:"httpErrors"`
	}
	if err := json.Unmarshal(lines.Bytes(), &result); err != nil {
		t.Fatalf("player: %q: %v", lines.Text(), err)
	}
	t.Logf("after the kill: played to %.1f s, longest stall %d ms, HTTP errors %v", result.Played, result.LongestStallMs, result.HTTPErrors)
	if result.LongestStallMs > 2000 {
		t.Errorf("playback stalled %d ms, longer than one segment (2 s)", result.LongestStallMs)
	}
	if result.Played < 20 {
		t.Errorf("played only to %.1f s", result.Played)
	}
}
