//go:build e2e

// Package e2e_test runs the whole system on the local cluster of
// internal/devcluster — the real kube-apiserver, etcd, controller manager
// (Job, Deployment, garbage collector, namespace controllers) and scheduler,
// and a node whose pods are StreamGate processes — with the operator
// installed from config/ as a pod, anvil as the chain and ffmpeg doing the
// work. `make test-e2e` runs it.
package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/devcluster"
	"github.com/streamgate-io/streamgate/internal/devcluster/localnode"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

var d *demo.Demo

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "streamgate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = repo.Root()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		return 1
	}
	opts := demo.Options{RepoRoot: repo.Root(), Out: os.Stderr, Cluster: devcluster.Options{
		Dir: filepath.Join(dir, "cluster"), BinDir: repo.AssetsDir(),
		Node: localnode.Options{Binary: binary, Images: []string{"ghcr.io/streamgate-io/streamgate", "ghcr.io/streamgate-io/streamgate-transcoder"}},
	}}
	if realNode {
		// The images `make image` built (make test-e2e-real builds them).
		archives, _ := filepath.Glob(filepath.Join(repo.Root(), "bin", "images", "*.tar"))
		opts.Cluster.Real = &devcluster.RealNode{Images: archives}
	}
	d, err = demo.Start(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	code := m.Run()
	d.Stop()
	// Everything the demo started — control plane, pods, anvil — is gone.
	if left := children(); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "processes left running after Stop: %v\n", left)
		code = 1
	}
	if code == 0 {
		_ = os.RemoveAll(dir)
	} else {
		fmt.Fprintf(os.Stderr, "the run's folder (logs, pods, volumes) is kept: %s\n", dir)
	}
	return code
}

// children are the command lines of this process's living children.
func children() []string {
	var out []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		data, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after ")".
		fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
		if len(fields) < 2 || fields[0] == "Z" || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(filepath.Dir(stat), "cmdline"))
		out = append(out, strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return out
}

func TestDemoHolderWatchesStrangerIsRefused(t *testing.T) {
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDemoPlaysInABrowser(t *testing.T) {
	artifacts := filepath.Join(repo.Root(), "artifacts")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	screenshot := filepath.Join(artifacts, "demo-playing.png")
	state, err := viewer.Browser(repo.Root(), devchain.ToolsDir(), d.EndpointURL+"/watch/"+demo.Video, d.Holder, screenshot)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("player: %s (screenshot %s)", state, screenshot)
}

// apply sends manifests to the cluster as a tenant would.
func apply(t *testing.T, manifest string) {
	t.Helper()
	if err := d.Kubectl(context.Background(), []byte(manifest), "apply", "--server-side", "-f", "-"); err != nil {
		t.Fatal(err)
	}
}

// video is a public Video of one small rendition, labelled app=<name>.
func video(namespace, name, source string) string {
	return fmt.Sprintf(`apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: %[1]s, namespace: %[2]s, labels: {app: %[1]s}}
spec:
  source: {url: "%[3]s"}
  ladder:
  - {name: 240p, height: 240, videoKbps: 300}
  segmentSeconds: 2
  output:
    volume: {claimName: media, path: %[1]s}
`, name, namespace, source)
}

// gatedVideo is a Video of one small rendition in the demo namespace,
// gated by the NFTGate gate and served by the endpoints that select
// streamgate.io/endpoint=endpoint.
func gatedVideo(name, source, gate, endpoint string) string {
	return fmt.Sprintf(`apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: %[1]s, namespace: %[2]s, labels: {streamgate.io/endpoint: %[5]s}}
spec:
  source: {url: "%[3]s"}
  ladder:
  - {name: 240p, height: 240, videoKbps: 300}
  segmentSeconds: 2
  output:
    volume: {claimName: media, path: %[1]s}
  gateRef: {name: %[4]s}
`, name, demo.Namespace, source, gate, endpoint)
}

// waitForPhase waits until the demo namespace's Video name is in phase.
func waitForPhase(t *testing.T, name string, phase streamgatev1alpha1.VideoPhase, timeout time.Duration) {
	t.Helper()
	eventually(t, timeout, "Video "+name+" "+string(phase), func(ctx context.Context) error {
		v, err := getVideo(ctx, demo.Namespace, name)
		if err == nil && v.Status.Phase != phase {
			err = fmt.Errorf("phase %s", v.Status.Phase)
		}
		return err
	})
}

// eventually polls check until it returns nil or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, check func(ctx context.Context) error) {
	t.Helper()
	last := errors.New("never checked")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_ = wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		err := check(ctx)
		// A check cut short by the deadline says nothing of what was
		// wrong: keep the last answer that does.
		if err == nil || ctx.Err() == nil {
			last = err
		}
		return err == nil, nil
	})
	if last != nil {
		t.Fatalf("%s: %v", what, last)
	}
}

func getVideo(ctx context.Context, namespace, name string) (*streamgatev1alpha1.Video, error) {
	v := &streamgatev1alpha1.Video{}
	return v, d.Client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, v)
}

func TestTransientSourceFailureIsRetriedByTheJob(t *testing.T) {
	ctx := context.Background()
	if _, err := d.Origin.MakeClip(ctx, "flaky.mp4", 4); err != nil {
		t.Fatal(err)
	}
	d.Origin.FailNext("flaky.mp4", 1)
	apply(t, video(demo.Namespace, "flaky", d.Origin.URL("flaky.mp4")))
	eventually(t, 4*time.Minute, "the Video after one failed attempt", func(ctx context.Context) error {
		v, err := getVideo(ctx, demo.Namespace, "flaky")
		if err != nil {
			return err
		}
		if v.Status.Phase == streamgatev1alpha1.VideoPhaseFailed {
			t.Fatalf("a transient failure failed the Video: %v", v.Status.Conditions)
		}
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady {
			return fmt.Errorf("phase %s", v.Status.Phase)
		}
		return nil
	})
	if n := d.Origin.Requests("flaky.mp4"); n != 2 {
		t.Errorf("the origin saw %d requests, want the failed one and the retry", n)
	}
	eventually(t, 20*time.Second, "the Job and the TranscodeJob counting both attempts", func(ctx context.Context) error {
		job := jobOf(t, "flaky")
		tj := &streamgatev1alpha1.TranscodeJob{}
		if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: job.Labels["streamgate.io/transcodejob"]}, tj); err != nil {
			return err
		}
		if job.Status.Failed != 1 || job.Status.Succeeded != 1 || tj.Status.Attempts != 2 {
			return fmt.Errorf("Job: %d failed and %d succeeded pods, TranscodeJob: %d attempts; want 1, 1 and 2",
				job.Status.Failed, job.Status.Succeeded, tj.Status.Attempts)
		}
		return nil
	})
}

// jobOf is the one transcode Job of a demo Video.
func jobOf(t *testing.T, video string) *batchv1.Job {
	t.Helper()
	var jobs batchv1.JobList
	if err := d.Client.List(context.Background(), &jobs, client.InNamespace(demo.Namespace), client.MatchingLabels{"streamgate.io/video": video}); err != nil {
		t.Fatal(err)
	}
	if len(jobs.Items) != 1 {
		t.Fatalf("%d Jobs for Video %s, want 1", len(jobs.Items), video)
	}
	return &jobs.Items[0]
}

func TestCorruptSourceFailsAtOnceWithTheReason(t *testing.T) {
	if err := d.Origin.Write("corrupt.mp4", []byte(strings.Repeat("not a video ", 1000))); err != nil {
		t.Fatal(err)
	}
	apply(t, video(demo.Namespace, "corrupt", d.Origin.URL("corrupt.mp4")))
	eventually(t, 2*time.Minute, "the Video with a corrupt source", func(ctx context.Context) error {
		v, err := getVideo(ctx, demo.Namespace, "corrupt")
		if err != nil {
			return err
		}
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseFailed {
			return fmt.Errorf("phase %s", v.Status.Phase)
		}
		ready := meta.FindStatusCondition(v.Status.Conditions, "Ready")
		if ready == nil || ready.Reason != "CorruptSource" {
			t.Fatalf("Ready condition %+v, want reason CorruptSource", ready)
		}
		return nil
	})
	if n := d.Origin.Requests("corrupt.mp4"); n != 1 {
		t.Errorf("the origin saw %d requests, want one: a corrupt source is not retried", n)
	}
	eventually(t, 20*time.Second, "the Job failed after one pod", func(context.Context) error {
		if job := jobOf(t, "corrupt"); job.Status.Failed != 1 || job.Status.Active != 0 {
			return fmt.Errorf("Job: %d failed and %d active pods, want 1 and 0", job.Status.Failed, job.Status.Active)
		}
		return nil
	})
}

func TestThreeReplicasServeBehindOneServiceAddress(t *testing.T) {
	ctx := context.Background()
	endpoint := &streamgatev1alpha1.StreamEndpoint{}
	key := client.ObjectKey{Namespace: demo.Namespace, Name: "main"}
	if err := d.Client.Get(ctx, key, endpoint); err != nil {
		t.Fatal(err)
	}
	scale := func(n int32) {
		patch := client.MergeFrom(endpoint.DeepCopy())
		endpoint.Spec.Replicas = ptr.To(n)
		if err := d.Client.Patch(ctx, endpoint, patch); err != nil {
			t.Fatal(err)
		}
	}
	scale(3)
	defer scale(1)

	var pods corev1.PodList
	eventually(t, 2*time.Minute, "three Ready serving pods", func(ctx context.Context) error {
		if err := d.Client.Get(ctx, key, endpoint); err != nil {
			return err
		}
		if endpoint.Status.ReadyReplicas != 3 {
			return fmt.Errorf("%d ready replicas", endpoint.Status.ReadyReplicas)
		}
		if err := d.Client.List(ctx, &pods, client.InNamespace(demo.Namespace), client.MatchingLabels{"streamgate.io/streamendpoint": "main"}); err != nil {
			return err
		}
		ready := 0
		for _, pod := range pods.Items {
			if pod.DeletionTimestamp == nil && podReady(&pod) {
				ready++
			}
		}
		if ready != 3 {
			return fmt.Errorf("%d of %d pods Ready", ready, len(pods.Items))
		}
		return nil
	})
	if endpoint.Status.URL != d.EndpointURL {
		t.Errorf("status.url %s changed from %s", endpoint.Status.URL, d.EndpointURL)
	}
	before := map[string]float64{}
	ips := map[string]bool{}
	for _, pod := range pods.Items {
		if pod.DeletionTimestamp != nil {
			continue
		}
		ips[pod.Status.PodIP] = true
		before[pod.Status.PodIP] = servedRequests(t, pod.Status.PodIP)
	}
	if len(ips) != 3 {
		t.Fatalf("pod IPs %v, want 3 distinct", ips)
	}
	// Every replica serves through the one address (the forwarder may see a
	// pod turn Ready a moment after the API does).
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // a connection per request: the forwarder balances connections
	eventually(t, 30*time.Second, "every replica answering through the Service address", func(context.Context) error {
		for range 6 {
			resp, err := fresh.Get(d.EndpointURL + "/v/" + demo.Video + "/master.m3u8")
			if err != nil {
				return err
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("playlist without token through the Service: %d, want 401", resp.StatusCode)
			}
		}
		for ip, n := range before {
			if after := servedRequests(t, ip); after <= n {
				return fmt.Errorf("pod %s served no request through the Service address (%v -> %v)", ip, n, after)
			}
		}
		return nil
	})
}

func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

var requestsLine = regexp.MustCompile(`(?m)^streamgate_serve_requests_total\{[^}]*route="playlist"[^}]*\} (\S+)$`)

// servedRequests sums a serving pod's playlist requests from its metrics.
func servedRequests(t *testing.T, podIP string) float64 {
	t.Helper()
	resp, body, err := viewer.New("http://"+podIP+":9090", devchain.Key(0)).Get("/metrics")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics of %s: %v %v", podIP, resp, err)
	}
	total := 0.0
	for _, m := range requestsLine.FindAllStringSubmatch(string(body), -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		total += v
	}
	return total
}

func TestNFTSoldOnChainLosesAccessOnceIndexed(t *testing.T) {
	seller, buyer := devchain.Key(3), devchain.Key(0)
	if _, err := d.NFT.Send(devchain.Key(0), "mint", crypto.PubkeyToAddress(seller.PublicKey), big.NewInt(2)); err != nil {
		t.Fatal(err)
	}
	signIn := func() (int, map[string]string, error) {
		status, answer, _, err := viewer.New(d.EndpointURL, seller).SignIn(demo.Video)
		return status, answer, err
	}
	eventually(t, time.Minute, "the seller's sign-in while holding", func(context.Context) error {
		status, answer, err := signIn()
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("%d %v", status, answer)
		}
		return err
	})
	if _, err := d.NFT.Send(seller, "transferFrom", crypto.PubkeyToAddress(seller.PublicKey), crypto.PubkeyToAddress(buyer.PublicKey), big.NewInt(2)); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Minute, "the seller refused after the sale is indexed", func(context.Context) error {
		status, answer, err := signIn()
		if err == nil && status != http.StatusForbidden {
			err = fmt.Errorf("%d %v", status, answer)
		}
		return err
	})
}

func TestDeletingANamespaceRemovesEverythingItRan(t *testing.T) {
	ctx := context.Background()
	const ns = "short-lived"
	if _, err := d.Origin.MakeClip(ctx, "short.mp4", 4); err != nil {
		t.Fatal(err)
	}
	apply(t, fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata: {name: %[1]s}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: media, namespace: %[1]s}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: streamgate.io/v1alpha1
kind: StreamEndpoint
metadata: {name: web, namespace: %[1]s}
spec:
  videoSelector: {matchLabels: {app: short}}
---
`, ns)+video(ns, "short", d.Origin.URL("short.mp4")))
	eventually(t, 3*time.Minute, "the short-lived tenant Ready", func(ctx context.Context) error {
		v, err := getVideo(ctx, ns, "short")
		if err != nil {
			return err
		}
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady {
			return fmt.Errorf("video phase %s", v.Status.Phase)
		}
		var pods corev1.PodList
		if err := d.Client.List(ctx, &pods, client.InNamespace(ns)); err != nil {
			return err
		}
		for _, pod := range pods.Items {
			if pod.Status.Phase == corev1.PodRunning && podReady(&pod) {
				return nil
			}
		}
		return fmt.Errorf("no serving pod Running yet")
	})

	if err := d.Client.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Minute, "the namespace gone", func(ctx context.Context) error {
		err := d.Client.Get(ctx, client.ObjectKey{Name: ns}, &corev1.Namespace{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("still there: %v", err)
	})
	// The node removes a pod's folder once its processes are gone, which
	// may be a moment after the pod object is.
	eventually(t, 30*time.Second, "no pod folder of the namespace left", func(context.Context) error {
		folders, err := filepath.Glob(filepath.Join(d.Cluster.Dir, "pods", ns+"_*"))
		if err == nil && len(folders) != 0 {
			err = fmt.Errorf("left behind: %v", folders)
		}
		return err
	})
	for _, kind := range []client.ObjectList{&streamgatev1alpha1.VideoList{}, &streamgatev1alpha1.TranscodeJobList{}, &batchv1.JobList{}, &corev1.PodList{}} {
		if err := d.Client.List(ctx, kind, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		if n := meta.LenList(kind); n != 0 {
			t.Errorf("%T: %d left", kind, n)
		}
	}
}

// A spec change publishes a new ladder in a revision folder of its own; the
// replaced one is removed from the volume by a real Job of the operator's
// image once the grace period (5 s in config/local) has passed.
func TestReplacedLadderIsRemovedFromTheVolume(t *testing.T) {
	ctx := context.Background()
	if _, err := d.Origin.MakeClip(ctx, "evolving.mp4", 4); err != nil {
		t.Fatal(err)
	}
	apply(t, video(demo.Namespace, "evolving", d.Origin.URL("evolving.mp4")))
	ready := func(notRevision string) string {
		t.Helper()
		var revision string
		eventually(t, 3*time.Minute, "the Video Ready on a new revision", func(ctx context.Context) error {
			v, err := getVideo(ctx, demo.Namespace, "evolving")
			if err != nil {
				return err
			}
			if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.ObservedGeneration != v.Generation ||
				v.Status.Playback == nil || v.Status.Playback.Revision == notRevision {
				return fmt.Errorf("phase %s, playback %+v", v.Status.Phase, v.Status.Playback)
			}
			revision = v.Status.Playback.Revision
			return nil
		})
		return revision
	}
	first := ready("")
	var claim corev1.PersistentVolumeClaim
	var pv corev1.PersistentVolume
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: "media"}, &claim); err != nil {
		t.Fatal(err)
	}
	if err := d.Client.Get(ctx, client.ObjectKey{Name: claim.Spec.VolumeName}, &pv); err != nil {
		t.Fatal(err)
	}
	folder := func(rev string) string { return filepath.Join(pv.Spec.HostPath.Path, "evolving", rev) }
	if _, err := os.Stat(filepath.Join(folder(first), "master.m3u8")); err != nil {
		t.Fatalf("the first ladder is not in its revision folder: %v", err)
	}

	var v streamgatev1alpha1.Video
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: "evolving"}, &v); err != nil {
		t.Fatal(err)
	}
	patch := client.MergeFrom(v.DeepCopy())
	v.Spec.SegmentSeconds = 1
	if err := d.Client.Patch(ctx, &v, patch); err != nil {
		t.Fatal(err)
	}
	second := ready(first)
	eventually(t, time.Minute, "the replaced ladder removed from the volume", func(context.Context) error {
		if _, err := os.Stat(folder(first)); !os.IsNotExist(err) {
			return fmt.Errorf("%s is still there (%v)", folder(first), err)
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(folder(second), "master.m3u8")); err != nil {
		t.Fatalf("the current ladder was touched: %v", err)
	}
}

// The manager killed while a transcode runs: its successor adopts the
// running Job rather than making a second, and the Video becomes Ready.
func TestManagerKilledMidTranscodeMakesNoSecondJob(t *testing.T) {
	ctx := context.Background()
	if _, err := d.Origin.MakeClip(ctx, "long.mp4", 40); err != nil {
		t.Fatal(err)
	}
	apply(t, video(demo.Namespace, "survivor", d.Origin.URL("long.mp4")))
	waitForPhase(t, "survivor", streamgatev1alpha1.VideoPhaseTranscoding, 2*time.Minute)
	managers := func(ctx context.Context) ([]corev1.Pod, error) {
		var pods corev1.PodList
		err := d.Client.List(ctx, &pods, client.InNamespace("streamgate-system"), client.MatchingLabels{"app.kubernetes.io/name": "streamgate", "app.kubernetes.io/component": "manager"})
		return pods.Items, err
	}
	killed, err := managers(ctx)
	if err != nil || len(killed) != 1 {
		t.Fatalf("manager pods: %v %v", killed, err)
	}
	if err := d.Client.Delete(ctx, &killed[0], client.GracePeriodSeconds(0)); err != nil {
		t.Fatal(err)
	}
	if job := jobOf(t, "survivor"); job.Status.Succeeded != 0 {
		t.Fatalf("the transcode finished before the manager was killed: make the clip longer")
	}
	eventually(t, time.Minute, "a new manager pod", func(ctx context.Context) error {
		pods, err := managers(ctx)
		if err != nil {
			return err
		}
		for _, p := range pods {
			if p.UID != killed[0].UID && podReady(&p) {
				return nil
			}
		}
		return fmt.Errorf("%d manager pods, none new and ready", len(pods))
	})
	waitForPhase(t, "survivor", streamgatev1alpha1.VideoPhaseReady, 3*time.Minute)
	jobOf(t, "survivor") // exactly one Job
}
