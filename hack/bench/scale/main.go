// Command scale measures the operator alone at scale: a real kube-apiserver
// and etcd (envtest's), no kube-controller-manager (so Jobs never start),
// and the real manager binary, built by `make build`, run out of process
// with the production wiring. For each N, layout and queue cap it creates N
// Videos and reports how fast Jobs follow, the writes per Video, memory,
// CPU, the writes of an idle resync and those of a restart.
//
//	go run ./hack/bench/scale -n 1000,10000 -layouts one,spread -caps off,4
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/testenv"
)

var (
	managerGOGC    string
	profileDir     string
	profileSeconds time.Duration
)

type scenario struct {
	n      int
	layout string // one namespace, or spread over 100
	cap    int    // running transcodes per namespace; 0: no cap
}

func (s scenario) namespaces() []string {
	if s.layout == "one" {
		return []string{"bench"}
	}
	var out []string
	for i := range 100 {
		out = append(out, fmt.Sprintf("bench-%03d", i))
	}
	return out
}

// expectedJobs is how many Jobs the operator should make: with a cap and
// no Job ever finishing, each namespace runs cap of them.
func (s scenario) expectedJobs() int {
	if s.cap == 0 {
		return s.n
	}
	return min(s.n, s.cap*len(s.namespaces()))
}

func (s scenario) fileName(kind string) string {
	return filepath.Join(profileDir, fmt.Sprintf("%d-%s-cap%d-%s.pprof", s.n, s.layout, s.cap, kind))
}

func (s scenario) String() string {
	capText := "off"
	if s.cap > 0 {
		capText = strconv.Itoa(s.cap)
	}
	return fmt.Sprintf("N=%d %s cap=%s", s.n, s.layout, capText)
}

type result struct {
	scenario
	createSeconds     float64 // first create to last create
	jobsAfterCreate   float64 // last create to the last expected Job
	settledAfter      float64 // last create to an idle manager
	writes            writeCount
	managerRSS        float64 // MiB, at the end of the first run
	managerHeap       float64 // MiB live, just after a collection
	apiserverRSS      float64
	idleWrites        int
	idleReconciles    int
	restartSeconds    float64
	restartWrites     int
	restartReconciles int
	cpuSeconds        float64
	apiserverCPU      float64 // CPU seconds of kube-apiserver and etcd, first create to settled
	throttled         int     // 429s the API server answered the manager
	throttledBy       map[string]int
}

func main() {
	ns := flag.String("n", "1000,5000,10000", "numbers of Videos")
	layouts := flag.String("layouts", "one,spread", "one namespace, or spread over 100")
	caps := flag.String("caps", "off,4", "running transcodes per namespace (off: no cap; 4 is the default)")
	syncPeriod := flag.Duration("sync-period", 30*time.Second, "the manager's --sync-period; idle writes are counted over 1.5 of it")
	managerArgs := flag.String("manager-args", "", "more flags for the manager, space-separated (e.g. a baseline's --max-concurrent-reconciles=1)")
	timeout := flag.Duration("timeout", 20*time.Minute, "longest wait for one scenario to settle")
	binaryFlag := flag.String("binary", filepath.Join(repo.Root(), "bin", "streamgate"), "the streamgate binary to measure")
	serveVideos := flag.Int("serve-videos", 10000, "also measure serve's memory with a catalog of this many gated videos against an empty one (0: skip)")
	flag.StringVar(&managerGOGC, "gogc", "50", "GOGC of the manager; config/manager/manager.yaml sets 50")
	flag.StringVar(&profileDir, "profile", "", "folder for the manager's CPU profile (from the first create) and heap profile (once settled)")
	flag.DurationVar(&profileSeconds, "profile-seconds", 30*time.Second, "length of the CPU profile")
	flag.Parse()

	var scenarios []scenario
	for _, n := range strings.FieldsFunc(*ns, func(r rune) bool { return r == ',' }) {
		count, err := strconv.Atoi(n)
		if err != nil {
			fail(fmt.Errorf("-n %q: %w", n, err))
		}
		for _, layout := range strings.Split(*layouts, ",") {
			for _, c := range strings.Split(*caps, ",") {
				limit := 0
				if c != "off" {
					if limit, err = strconv.Atoi(c); err != nil {
						fail(fmt.Errorf("-caps %q: %w", c, err))
					}
				}
				scenarios = append(scenarios, scenario{n: count, layout: layout, cap: limit})
			}
		}
	}
	binary := *binaryFlag
	if _, err := os.Stat(binary); err != nil {
		fail(fmt.Errorf("%s: run `make build` first: %w", binary, err))
	}
	// Ctrl-C stops the scenario, and with it the API server and manager.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var results []result
	for _, s := range scenarios {
		fmt.Fprintf(os.Stderr, "== %s\n", s)
		r, err := run(ctx, s, binary, *syncPeriod, strings.Fields(*managerArgs), *timeout)
		if err != nil {
			stop()
			fail(fmt.Errorf("%s: %w", s, err))
		}
		results = append(results, r)
		printResults(os.Stdout, results[len(results)-1:])
	}
	if len(results) > 1 {
		fmt.Println()
		fmt.Println("All scenarios:")
		printResults(os.Stdout, results)
	}
	if *serveVideos > 0 {
		if err := measureServe(ctx, binary, *serveVideos); err != nil {
			fail(fmt.Errorf("serve: %w", err))
		}
	}
}

// measureServe starts `streamgate serve` on an empty catalog and on one
// of n gated videos, as the operator stores it, and prints both RSS.
func measureServe(ctx context.Context, binary string, n int) error {
	fmt.Println()
	for _, count := range []int{0, n} {
		dir, err := os.MkdirTemp("", "bench-serve-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		secrets, claims := filepath.Join(dir, "secret"), filepath.Join(dir, "claims")
		for _, d := range []string{secrets, filepath.Join(claims, "media")} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(secrets, "signing-key"), []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(secrets, "rpc"), []byte("http://127.0.0.1:1"), 0o600); err != nil {
			return err
		}
		data, compressed, err := catalog.Encode(syntheticCatalog(count))
		if err != nil {
			return err
		}
		catalogFile := filepath.Join(dir, catalog.FileName)
		if err := os.WriteFile(catalogFile, data, 0o644); err != nil {
			return err
		}
		port, err := freePort()
		if err != nil {
			return err
		}
		cmd := exec.Command(binary, "serve", "--catalog="+catalogFile, "--secret-dir="+secrets, "--claims-root="+claims,
			fmt.Sprintf("--listen=127.0.0.1:%d", port), "--metrics-listen=")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			return err
		}
		err = waitFor(ctx, time.Minute, 50*time.Millisecond, "serve to load its catalog", func() (bool, string) {
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
			if err != nil {
				return false, err.Error()
			}
			_ = resp.Body.Close()
			return resp.StatusCode == http.StatusOK, resp.Status
		})
		rss, rerr := rssMiB(cmd.Process.Pid)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil {
			return err
		}
		if rerr != nil {
			return rerr
		}
		fmt.Printf("serve with %5d gated videos: RSS %5.1f MiB; catalog %d bytes (gzipped: %v, limit %d)\n", count, rss, len(data), compressed, catalog.MaxStoredBytes)
	}
	return nil
}

// syntheticCatalog is n videos of one namespace behind one ERC-721 gate.
func syntheticCatalog(n int) *catalog.Catalog {
	g := &catalog.Gate{Policy: gate.Policy{Name: "bench/holders@1", Conditions: []gate.Condition{{
		Standard: gate.ERC721, Contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3"}}},
		Ready: true, Family: "evm", ChainID: "31337", RPCKey: "rpc"}
	c := &catalog.Catalog{TokenTTL: catalog.Duration{Duration: 15 * time.Minute},
		SignIn: catalog.SignIn{Origins: []string{"https://watch.example.com"}}, Videos: []catalog.Video{}}
	for i := range n {
		root := fmt.Sprintf("bench/video-%05d", i)
		c.Videos = append(c.Videos, catalog.Video{Namespace: "bench", Name: fmt.Sprintf("video-%05d", i), Claim: "media",
			Root: root, Revision: "3f9a1c0d2b7e", Playlist: root + "/3f9a1c0d2b7e/master.m3u8", Title: fmt.Sprintf("Episode %d", i), Gate: g})
	}
	return c
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench-scale:", err)
	os.Exit(1)
}

func run(ctx context.Context, s scenario, binary string, syncPeriod time.Duration, extraArgs []string, timeout time.Duration) (result, error) {
	res := result{scenario: s}
	ctx, cancel := context.WithTimeout(ctx, 3*timeout+5*syncPeriod)
	defer cancel()

	env, err := testenv.Start()
	if err != nil {
		return res, err
	}
	defer func() { _ = env.Stop() }()
	work, err := os.MkdirTemp("", "bench-scale-")
	if err != nil {
		return res, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	admin, err := env.AddUser(envtest.User{Name: "bench-manager", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return res, fmt.Errorf("add the manager's user: %w", err)
	}
	kubeconfig, err := admin.KubeConfig()
	if err != nil {
		return res, err
	}
	kubeconfigPath := filepath.Join(work, "kubeconfig")
	if err := os.WriteFile(kubeconfigPath, kubeconfig, 0o600); err != nil {
		return res, err
	}

	cfg := rest.CopyConfig(env.Config)
	cfg.QPS, cfg.Burst = -1, 0 // the bench's creates are not what is measured
	k8s, err := client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	if err != nil {
		return res, err
	}
	api := apiServer{cfg: cfg}
	if api.pid, err = apiserverPID(env.Config.Host); err != nil {
		return res, err
	}
	api.etcdPID = parentsChild(api.pid, "etcd")
	for _, ns := range s.namespaces() {
		if err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return res, fmt.Errorf("create namespace %s: %w", ns, err)
		}
	}
	counts, err := watchCounts(ctx, cfg)
	if err != nil {
		return res, err
	}

	args := append([]string{"manager", "--kubeconfig=" + kubeconfigPath,
		"--image=registry.example.com/streamgate:bench", "--transcoder-image=registry.example.com/streamgate-transcoder:bench",
		"--metrics-secure=false",
		"--sync-period=" + syncPeriod.String(),
		"--max-running-transcodes-per-namespace=" + strconv.Itoa(s.cap),
	}, extraArgs...)
	mgr, err := startManager(ctx, binary, args, filepath.Join(work, "manager-1.log"))
	if err != nil {
		return res, err
	}
	defer mgr.kill()

	before, err := api.requests(ctx)
	if err != nil {
		return res, err
	}
	serverCPUBefore := cpuSeconds(api.pid) + cpuSeconds(api.etcdPID)
	var profiled sync.WaitGroup
	if profileDir != "" {
		profiled.Add(1)
		go func() {
			defer profiled.Done()
			mgr.profile(ctx, fmt.Sprintf("profile?seconds=%d", int(profileSeconds.Seconds())), s.fileName("cpu"))
		}()
		profiled.Add(1)
		go func() {
			defer profiled.Done()
			api.profile(ctx, profileSeconds, s.fileName("apiserver-cpu"))
		}()
	}
	defer profiled.Wait()
	first := time.Now()
	if err := createVideos(ctx, k8s, s); err != nil {
		return res, err
	}
	lastCreate := time.Now()
	res.createSeconds = lastCreate.Sub(first).Seconds()

	if err := waitFor(ctx, timeout, 20*time.Millisecond, "the TranscodeJobs and Jobs", func() (bool, string) {
		tjs, jobs := counts.transcodeJobs.Load(), counts.jobs.Load()
		return tjs >= int64(s.n) && jobs >= int64(s.expectedJobs()), fmt.Sprintf("%d TranscodeJobs, %d Jobs", tjs, jobs)
	}); err != nil {
		return res, err
	}
	res.jobsAfterCreate = counts.lastJob().Sub(lastCreate).Seconds()
	if err := mgr.waitIdle(ctx, timeout, s.n); err != nil {
		return res, err
	}
	res.settledAfter = time.Since(lastCreate).Seconds()
	res.apiserverCPU = cpuSeconds(api.pid) + cpuSeconds(api.etcdPID) - serverCPUBefore
	settled, err := api.requests(ctx)
	if err != nil {
		return res, err
	}
	res.writes = settled.sub(before)
	res.throttledBy = diff(settled.throttledBy, before.throttledBy)
	if res.managerRSS, err = rssMiB(mgr.cmd.Process.Pid); err != nil {
		return res, err
	}
	if res.apiserverRSS, err = rssMiB(api.pid); err != nil {
		return res, err
	}
	// The heap profile, asked for with gc=1, collects first: the heap
	// read after it is what the manager holds, not what it has yet to free.
	heapProfile := filepath.Join(work, "heap.pprof")
	if profileDir != "" {
		heapProfile = s.fileName("heap")
	}
	mgr.profile(ctx, "heap?gc=1", heapProfile)
	heap, err := mgr.metric(ctx, "go_memstats_heap_alloc_bytes", nil)
	if err != nil {
		return res, err
	}
	res.managerHeap = heap / (1 << 20)

	// Idle: every object goes through its reconciler again on the resync,
	// and nothing may be written.
	reconciledBefore, err := mgr.reconciles(ctx)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(os.Stderr, "   idle for %s (1.5 sync periods)\n", syncPeriod*3/2)
	select {
	case <-time.After(syncPeriod * 3 / 2):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	if err := mgr.waitIdle(ctx, timeout, 0); err != nil {
		return res, err
	}
	idle, err := api.requests(ctx)
	if err != nil {
		return res, err
	}
	reconciledAfter, err := mgr.reconciles(ctx)
	if err != nil {
		return res, err
	}
	res.idleWrites = idle.sub(settled).total()
	res.idleReconciles = int(reconciledAfter - reconciledBefore)

	// Restart with everything in place.
	cpu, err := mgr.stop()
	if err != nil {
		return res, err
	}
	res.cpuSeconds = cpu
	stopped, err := api.requests(ctx)
	if err != nil {
		return res, err
	}
	restartAt := time.Now()
	mgr, err = startManager(ctx, binary, args, filepath.Join(work, "manager-2.log"))
	if err != nil {
		return res, err
	}
	defer mgr.kill()
	if err := mgr.waitIdle(ctx, timeout, s.n); err != nil {
		return res, err
	}
	res.restartSeconds = time.Since(restartAt).Seconds()
	caughtUp, err := api.requests(ctx)
	if err != nil {
		return res, err
	}
	res.restartWrites = caughtUp.sub(stopped).total()
	reconciled, err := mgr.reconciles(ctx)
	if err != nil {
		return res, err
	}
	res.restartReconciles = int(reconciled)
	cpu, err = mgr.stop()
	if err != nil {
		return res, err
	}
	res.cpuSeconds += cpu
	for k, v := range diff(caughtUp.throttledBy, stopped.throttledBy) {
		res.throttledBy[k] += v
	}
	for k, v := range res.throttledBy {
		if k != "POST videos" { // the bench's own creates
			res.throttled += v
		}
	}
	return res, nil
}

// createVideos creates N Videos, round robin over the namespaces, from 32
// clients at once: the create rate is not what is measured.
func createVideos(ctx context.Context, k8s client.Client, s scenario) error {
	namespaces := s.namespaces()
	var next atomic.Int64
	errs := make(chan error, 32)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= s.n {
					return
				}
				name := fmt.Sprintf("video-%05d", i)
				video := &streamgatev1alpha1.Video{
					ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespaces[i%len(namespaces)]},
					Spec: streamgatev1alpha1.VideoSpec{
						Source: streamgatev1alpha1.MediaSource{URL: "https://media.example.com/" + name + ".mp4"},
						Output: streamgatev1alpha1.MediaOutput{Volume: &streamgatev1alpha1.VolumePath{ClaimName: "media", Path: name}},
					},
				}
				if err := k8s.Create(ctx, video); err != nil {
					errs <- fmt.Errorf("create Video %s: %w", name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// counts follows how many TranscodeJobs and Jobs exist, by metadata only.
type counts struct {
	transcodeJobs, jobs atomic.Int64
	mu                  sync.Mutex
	lastJobAt           time.Time
}

func (c *counts) lastJob() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastJobAt
}

func watchCounts(ctx context.Context, cfg *rest.Config) (*counts, error) {
	informers, err := cache.New(cfg, cache.Options{Scheme: testenv.Scheme()})
	if err != nil {
		return nil, err
	}
	c := &counts{}
	watch := func(gvk schema.GroupVersionKind, add func()) error {
		obj := &metav1.PartialObjectMetadata{}
		obj.SetGroupVersionKind(gvk)
		informer, err := informers.GetInformer(ctx, obj)
		if err != nil {
			return fmt.Errorf("watch %s: %w", gvk.Kind, err)
		}
		_, err = informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{AddFunc: func(any) { add() }})
		return err
	}
	if err := watch(streamgatev1alpha1.GroupVersion.WithKind("TranscodeJob"), func() { c.transcodeJobs.Add(1) }); err != nil {
		return nil, err
	}
	if err := watch(schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}, func() {
		c.jobs.Add(1)
		c.mu.Lock()
		c.lastJobAt = time.Now()
		c.mu.Unlock()
	}); err != nil {
		return nil, err
	}
	go func() { _ = informers.Start(ctx) }()
	if !informers.WaitForCacheSync(ctx) {
		return nil, errors.New("the bench's informers did not sync")
	}
	return c, nil
}

// waitFor asks done every interval until it says yes.
func waitFor(ctx context.Context, timeout, interval time.Duration, what string, done func() (bool, string)) error {
	deadline := time.Now().Add(timeout)
	last := time.Now()
	for {
		ok, state := done()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s: %s", timeout, what, state)
		}
		if time.Since(last) > 10*time.Second {
			fmt.Fprintf(os.Stderr, "   waiting for %s: %s\n", what, state)
			last = time.Now()
		}
		select {
		case <-time.After(interval):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// manager is the operator running as its own process.
type manager struct {
	cmd     *exec.Cmd
	metrics string
	pprof   string
	done    chan struct{}
}

// profile saves one of the manager's pprof profiles; a failure is said,
// not fatal.
func (m *manager) profile(ctx context.Context, which, path string) {
	err := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.pprof+which, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s", resp.Status)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		return os.WriteFile(path, body, 0o644)
	}()
	if err != nil {
		fmt.Fprintf(os.Stderr, "   profile %s: %v\n", which, err)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startManager(ctx context.Context, binary string, args []string, logPath string) (*manager, error) {
	metricsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	probePort, err := freePort()
	if err != nil {
		return nil, err
	}
	pprofPort, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args = append(args, fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", metricsPort),
		fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", probePort),
		fmt.Sprintf("--pprof-bind-address=127.0.0.1:%d", pprofPort))
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "GOGC="+managerGOGC)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	m := &manager{cmd: cmd, metrics: fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort),
		pprof: fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", pprofPort), done: make(chan struct{})}
	go func() { _ = cmd.Wait(); _ = logFile.Close(); close(m.done) }()
	ready := fmt.Sprintf("http://127.0.0.1:%d/readyz", probePort)
	err = waitFor(ctx, time.Minute, 50*time.Millisecond, "the manager to be ready", func() (bool, string) {
		select {
		case <-m.done:
			return true, "exited"
		default:
		}
		resp, err := http.Get(ready)
		if err != nil {
			return false, err.Error()
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	select {
	case <-m.done:
		return nil, fmt.Errorf("the manager exited: see %s", logPath)
	default:
	}
	return m, err
}

func (m *manager) kill() {
	select {
	case <-m.done:
	default:
		_ = m.cmd.Process.Kill()
		<-m.done
	}
}

// stop stops the manager as Kubernetes would (SIGTERM) and returns the CPU
// seconds it used.
func (m *manager) stop() (float64, error) {
	if err := m.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-m.done:
	case <-time.After(30 * time.Second):
		m.kill()
	}
	usage := m.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds(), nil
}

func (m *manager) families(ctx context.Context) (map[string]*familyValues, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.metrics, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape the manager: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	return parseMetrics(resp.Body)
}

func (m *manager) metric(ctx context.Context, name string, match map[string]string) (float64, error) {
	families, err := m.families(ctx)
	if err != nil {
		return 0, err
	}
	return families[name].sum(match), nil
}

// reconciles counts the reconciles of every controller so far.
func (m *manager) reconciles(ctx context.Context) (float64, error) {
	return m.metric(ctx, "controller_runtime_reconcile_total", nil)
}

// waitIdle waits until the Video and TranscodeJob controllers each
// reconciled at least atLeast objects and every work queue is empty with
// no reconcile running, three scrapes in a row.
func (m *manager) waitIdle(ctx context.Context, timeout time.Duration, atLeast int) error {
	quiet := 0
	// Not more often: a scrape makes the manager list its objects for its
	// own gauges.
	return waitFor(ctx, timeout, 500*time.Millisecond, "an idle manager", func() (bool, string) {
		families, err := m.families(ctx)
		if err != nil {
			return false, err.Error()
		}
		videos := families["controller_runtime_reconcile_total"].sum(map[string]string{"controller": "video"})
		tjs := families["controller_runtime_reconcile_total"].sum(map[string]string{"controller": "transcodejob"})
		depth := families["workqueue_depth"].sum(nil)
		active := families["controller_runtime_active_workers"].sum(nil)
		if videos >= float64(atLeast) && tjs >= float64(atLeast) && depth == 0 && active == 0 {
			quiet++
		} else {
			quiet = 0
		}
		return quiet >= 3, fmt.Sprintf("%.0f Video and %.0f TranscodeJob reconciles, %.0f queued, %.0f running", videos, tjs, depth, active)
	})
}

// apiServer reads the API server's own request counters.
type apiServer struct {
	cfg          *rest.Config
	pid, etcdPID int
}

// profile saves a CPU profile of the API server (it serves pprof to
// cluster admins by default).
func (a apiServer) profile(ctx context.Context, length time.Duration, path string) {
	err := func() error {
		clientset, err := kubernetes.NewForConfig(a.cfg)
		if err != nil {
			return err
		}
		body, err := clientset.RESTClient().Get().AbsPath("/debug/pprof/profile").
			Param("seconds", strconv.Itoa(int(length.Seconds()))).Timeout(length + time.Minute).DoRaw(ctx)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, body, 0o644)
	}()
	if err != nil {
		fmt.Fprintf(os.Stderr, "   API server profile: %v\n", err)
	}
}

// parentsChild finds the process named name that shares pid's parent
// (envtest starts etcd and the API server side by side); 0 if none.
func parentsChild(pid int, name string) int {
	parent := statField(pid, 4)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		other, err := strconv.Atoi(e.Name())
		if err != nil || other == pid {
			continue
		}
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", other)); strings.TrimSpace(string(comm)) == name && statField(other, 4) == parent {
			return other
		}
	}
	return 0
}

// statField reads field n (1-based, as proc(5) numbers them) of
// /proc/pid/stat as a number.
func statField(pid, n int) int {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command (field 2) is in parentheses and may hold spaces.
	rest := string(stat)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	fields := strings.Fields(rest)
	if n-3 < 0 || n-3 >= len(fields) {
		return 0
	}
	v, _ := strconv.Atoi(fields[n-3])
	return v
}

// cpuSeconds is a process's user and system time so far (clock ticks of
// 1/100 s on Linux).
func cpuSeconds(pid int) float64 {
	if pid == 0 {
		return 0
	}
	return float64(statField(pid, 14)+statField(pid, 15)) / 100
}

// writeCount is the API server's count of successful writes by verb and
// resource, without the bench's own (Videos and namespaces).
type writeCount struct {
	byKey map[string]int
	// throttledBy counts the requests answered 429, by verb and resource.
	throttledBy map[string]int
}

func (w writeCount) sub(o writeCount) writeCount {
	return writeCount{byKey: diff(w.byKey, o.byKey)}
}

func diff(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range a {
		if d := v - b[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

func (w writeCount) total() int {
	n := 0
	for _, v := range w.byKey {
		n += v
	}
	return n
}

func (w writeCount) String() string {
	var keys []string
	for k := range w.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, w.byKey[k]))
	}
	return strings.Join(parts, " ")
}

func (a apiServer) requests(ctx context.Context) (writeCount, error) {
	clientset, err := kubernetes.NewForConfig(a.cfg)
	if err != nil {
		return writeCount{}, err
	}
	body, err := clientset.RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return writeCount{}, fmt.Errorf("scrape the API server: %w", err)
	}
	families, err := parseMetrics(bytes.NewReader(body))
	if err != nil {
		return writeCount{}, err
	}
	out := writeCount{byKey: map[string]int{}, throttledBy: map[string]int{}}
	for _, s := range families["apiserver_flowcontrol_rejected_requests_total"].all() {
		out.throttledBy["rejected by flow control ("+s.labels["priority_level"]+")"] += int(s.value)
	}
	for _, s := range families["apiserver_request_total"].all() {
		verb, resource, code := s.labels["verb"], s.labels["resource"], s.labels["code"]
		if code == "429" && s.value > 0 {
			out.throttledBy[verb+" "+resource] += int(s.value)
		}
		if verb != "POST" && verb != "PUT" && verb != "PATCH" && verb != "DELETE" {
			continue
		}
		if !strings.HasPrefix(code, "2") {
			key := fmt.Sprintf("%s %s failed %s", verb, resource, code)
			out.byKey[key] += int(s.value)
			continue
		}
		if verb == "POST" && (resource == "videos" || resource == "namespaces") {
			continue // the bench's, or envtest's
		}
		if resource == "leases" || resource == "tokenreviews" || resource == "subjectaccessreviews" || resource == "selfsubjectreviews" {
			continue
		}
		key := verb + " " + resource
		if sub := s.labels["subresource"]; sub != "" {
			key += "/" + sub
		}
		out.byKey[key] += int(s.value)
	}
	return out, nil
}

type sample struct {
	labels map[string]string
	value  float64
}

type familyValues struct{ samples []sample }

// all is the family's samples; none for a family the target does not have.
func (f *familyValues) all() []sample {
	if f == nil {
		return nil
	}
	return f.samples
}

func (f *familyValues) sum(match map[string]string) float64 {
	if f == nil {
		return 0
	}
	total := 0.0
next:
	for _, s := range f.samples {
		for k, v := range match {
			if s.labels[k] != v {
				continue next
			}
		}
		total += s.value
	}
	return total
}

func parseMetrics(r io.Reader) (map[string]*familyValues, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bufio.NewReader(r))
	if err != nil {
		return nil, fmt.Errorf("parse metrics: %w", err)
	}
	out := map[string]*familyValues{}
	for name, f := range families {
		values := &familyValues{}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			var v float64
			switch {
			case m.Counter != nil:
				v = m.GetCounter().GetValue()
			case m.Gauge != nil:
				v = m.GetGauge().GetValue()
			case m.Untyped != nil:
				v = m.GetUntyped().GetValue()
			default:
				continue
			}
			values.samples = append(values.samples, sample{labels: labels, value: v})
		}
		out[name] = values
	}
	return out, nil
}

// apiserverPID finds the kube-apiserver envtest started for host.
func apiserverPID(host string) (int, error) {
	u, err := url.Parse(host)
	if err != nil {
		return 0, fmt.Errorf("API server address %q: %w", host, err)
	}
	port := u.Port()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "kube-apiserver" {
			continue
		}
		for _, a := range args {
			if a == "--secure-port="+port {
				return pid, nil
			}
		}
	}
	return 0, fmt.Errorf("no kube-apiserver process serves port %s", port)
}

func rssMiB(pid int) (float64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

func printResults(w io.Writer, results []result) {
	fmt.Fprintf(w, "%-24s %8s %9s %9s %9s %8s %8s %8s %8s %9s %6s %6s %9s %8s %8s %6s\n",
		"scenario", "create s", "jobs +s", "settle +s", "videos/s", "w/video", "mgr MiB", "heap MiB", "KiB/vid", "apisv MiB",
		"idle w", "idle r", "restart s", "restart w", "cpu s", "429s")
	fmt.Fprintln(w, "  (jobs +s: last create to the last expected Job; settle +s: to an idle manager; videos/s: N over first create to the last Job (with a cap: to idle);")
	fmt.Fprintln(w, "   w/video: the manager's writes, Events included; heap: live after a GC; idle w/r: writes and reconciles over 1.5 sync periods; cpu s: the manager's, whole run)")
	for _, r := range results {
		total := r.createSeconds + r.jobsAfterCreate
		if r.cap > 0 {
			// Most wait in the queue: done is when each is queued or running.
			total = r.createSeconds + r.settledAfter
		}
		fmt.Fprintf(w, "%-24s %8.1f %9.1f %9.1f %9.0f %8.2f %8.0f %8.0f %8.1f %9.0f %6d %6d %9.1f %8d %8.1f %6d\n",
			r.scenario, r.createSeconds, r.jobsAfterCreate, r.settledAfter, float64(r.n)/total,
			float64(r.writes.total())/float64(r.n), r.managerRSS, r.managerHeap, r.managerHeap*1024/float64(r.n), r.apiserverRSS,
			r.idleWrites, r.idleReconciles, r.restartSeconds, r.restartWrites, r.cpuSeconds, r.throttled)
		fmt.Fprintf(w, "    writes: %s\n", r.writes)
		fmt.Fprintf(w, "    API server + etcd CPU, first create to settled: %.1f s (%.1f ms per Video); manager: %.1f ms per Video over the run\n",
			r.apiserverCPU, r.apiserverCPU*1000/float64(r.n), r.cpuSeconds*1000/float64(r.n))
		if len(r.throttledBy) > 0 {
			fmt.Fprintf(w, "    429s: %s\n", writeCount{byKey: r.throttledBy})
		}
	}
}
