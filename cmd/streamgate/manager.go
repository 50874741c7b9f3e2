package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/controller"
	"github.com/streamgate-io/streamgate/internal/metricsauth"
	"github.com/streamgate-io/streamgate/internal/redact"
)

// newScheme knows the built-in kinds the operator creates and StreamGate's own.
func newScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(streamgatev1alpha1.AddToScheme(scheme))
	return scheme
}

type managerOptions struct {
	metricsAddr          string
	metricsSecure        bool
	probeAddr            string
	leaderElect          bool
	leaderElectNamespace string
	enableHTTP2          bool
	transcode            controller.TranscodeConfig
	storeCheck           time.Duration
	serveImage           string
	transcodeJobTTL      time.Duration
	supersededGrace      time.Duration
	serviceAddress       string
	noEndpointSlices     bool
	concurrentReconciles int
	syncPeriod           time.Duration
	apiQPS               float64
	apiBurst             int
	pprofAddr            string
	gateRecheck          time.Duration
}

func runManager(args []string) error {
	var opts managerOptions
	fs := newFlagSet("manager")
	fs.StringVar(&opts.metricsAddr, "metrics-bind-address", ":8443",
		"address of the metrics endpoint; \"0\" turns it off")
	fs.BoolVar(&opts.metricsSecure, "metrics-secure", true,
		"serve metrics over HTTPS, to callers authorised by a TokenReview and SubjectAccessReview")
	fs.StringVar(&opts.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.BoolVar(&opts.leaderElect, "leader-elect", false,
		"elect a leader, so that only one of several manager replicas reconciles")
	// POD_NAMESPACE (downward API) rather than the in-cluster namespace
	// file, which only a container's own filesystem has.
	fs.StringVar(&opts.leaderElectNamespace, "leader-election-namespace", os.Getenv("POD_NAMESPACE"),
		"namespace of the leader election Lease (default: $POD_NAMESPACE, else the pod's namespace)")
	fs.BoolVar(&opts.enableHTTP2, "enable-http2", false,
		"allow HTTP/2 on the metrics server (off by default: CVE-2023-44487, CVE-2023-39325)")
	config.RegisterFlags(fs)
	fs.StringVar(&opts.transcode.Image, "transcoder-image", os.Getenv("STREAMGATE_TRANSCODER_IMAGE"),
		"image of transcode Jobs, which has ffmpeg (default $STREAMGATE_TRANSCODER_IMAGE, else this manager pod's image name with -transcoder appended, same tag)")
	fs.StringVar(&opts.serveImage, "image", os.Getenv("STREAMGATE_IMAGE"),
		"image of streaming and indexer pods (default $STREAMGATE_IMAGE, else the image this manager pod runs)")
	fs.DurationVar(&opts.storeCheck, "store-check-interval", controller.StorageRecheckInterval,
		"how often streaming pods check that they reach their object stores and IPFS nodes, and the StreamEndpoint's StorageReachable condition is refreshed")
	fs.DurationVar(&opts.gateRecheck, "gate-recheck-interval", 10*time.Minute,
		"how often a Ready NFTGate's RPC node and contracts are checked again (one that is failing: at most every 30 s)")
	fs.IntVar(&opts.transcode.MaxRunningPerNamespace, "max-running-transcodes-per-namespace", 4,
		"transcode Jobs that may run at once in one namespace; the rest wait in order (0: no cap)")
	fs.DurationVar(&opts.transcodeJobTTL, "transcode-job-ttl", 24*time.Hour,
		"how long a finished transcode Job and its pods are kept (the TranscodeJob keeps the outcome)")
	fs.StringVar(&opts.transcode.Preset, "transcode-preset", "veryfast", "x264 preset of transcode Jobs")
	fs.StringVar(&opts.transcode.IPFSAPI, "ipfs-api", "", "the cluster's default IPFS node (kubo RPC URL) for ipfs:// sources that name none")
	fs.StringVar(&opts.transcode.IPFSGateway, "ipfs-gateway", "", "the cluster's default IPFS gateway for ipfs:// sources that name none (preferred to --ipfs-api for reads)")
	fs.DurationVar(&opts.supersededGrace, "superseded-output-grace", controller.DefaultSupersededOutputGrace,
		"how long a replaced ladder stays on its claim after the new one is published, so viewers mid-playback finish")
	fs.StringVar(&opts.serviceAddress, "service-address", "dns",
		"how status.url names Services: dns (name.namespace.svc) or clusterip")
	fs.BoolVar(&opts.noEndpointSlices, "no-endpoint-slices", false,
		"the cluster publishes no EndpointSlices (the process node of make demo): a StreamEndpoint is Ready when its pods are, without waiting for its Service to list them")
	fs.IntVar(&opts.concurrentReconciles, "max-concurrent-reconciles", controller.DefaultMaxConcurrentReconciles,
		"objects each controller reconciles at once")
	fs.DurationVar(&opts.syncPeriod, "sync-period", 10*time.Hour,
		"how often every object is reconciled again even when nothing changed")
	fs.Float64Var(&opts.apiQPS, "kube-api-qps", 200,
		"requests per second the manager may make to the API server, per resource (a negative value: no client-side limit; API Priority and Fairness still protects the server)")
	fs.IntVar(&opts.apiBurst, "kube-api-burst", 400, "burst of requests above --kube-api-qps")
	fs.StringVar(&opts.pprofAddr, "pprof-bind-address", "0",
		"address of net/http/pprof, for profiling (\"0\": off; never expose it outside the pod)")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctrl.SetLogger(redact.Logger(zap.New(zap.UseFlagOptions(&zapOpts))))
	log := ctrl.Log.WithName("setup")

	var tlsOpts []func(*tls.Config)
	if !opts.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	metricsOpts := metricsserver.Options{
		BindAddress:   opts.metricsAddr,
		SecureServing: opts.metricsSecure,
		TLSOpts:       tlsOpts,
	}
	if opts.metricsSecure {
		metricsOpts.FilterProvider = metricsauth.FilterProvider
	}

	restConfig, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("load kubeconfig: %w", err)
	}
	restConfig.QPS, restConfig.Burst = float32(opts.apiQPS), opts.apiBurst
	opts.transcode.TTLSecondsAfterFinished = int32(opts.transcodeJobTTL / time.Second)
	operator := controller.Options{Transcode: opts.transcode, WatchNamespaces: controller.WatchNamespacesFromEnv(),
		SupersededOutputGrace: opts.supersededGrace, MaxConcurrentReconciles: opts.concurrentReconciles, SyncPeriod: opts.syncPeriod,
		GateRecheck: opts.gateRecheck}
	managerOpts := controller.ManagerOptions(operator)
	managerOpts.Scheme = newScheme()
	managerOpts.Metrics = metricsOpts
	managerOpts.HealthProbeBindAddress = opts.probeAddr
	managerOpts.PprofBindAddress = opts.pprofAddr
	managerOpts.LeaderElection = opts.leaderElect
	managerOpts.LeaderElectionID = "streamgate.streamgate.io"
	managerOpts.LeaderElectionNamespace = opts.leaderElectNamespace
	managerOpts.LeaderElectionReleaseOnCancel = true
	mgr, err := ctrl.NewManager(restConfig, managerOpts)
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("add health check: %w", err)
	}
	// Ready once the informer caches have synced: before that a pod would
	// reconcile from an empty view of the cluster.
	if err := mgr.AddReadyzCheck("readyz", func(req *http.Request) error {
		ctx, cancel := context.WithTimeout(req.Context(), 500*time.Millisecond)
		defer cancel()
		if !mgr.GetCache().WaitForCacheSync(ctx) {
			return errors.New("informer caches not synced")
		}
		return nil
	}); err != nil {
		return fmt.Errorf("add readiness check: %w", err)
	}

	if opts.serveImage == "" || opts.transcode.Image == "" {
		own, err := ownImage(mgr.GetAPIReader())
		if err != nil {
			return fmt.Errorf("find the images of StreamGate's pods (set --image and --transcoder-image): %w", err)
		}
		if opts.serveImage == "" {
			opts.serveImage = own
		}
		if opts.transcode.Image == "" {
			if opts.transcode.Image, err = transcoderImage(own); err != nil {
				return err
			}
		}
	}
	operator.Transcode = opts.transcode
	operator.Serve = controller.ServeConfig{Image: opts.serveImage, ServiceAddress: opts.serviceAddress, StoreCheckInterval: opts.storeCheck,
		NoEndpointSlices: opts.noEndpointSlices}
	if err := controller.SetupAll(mgr, operator); err != nil {
		return err
	}

	log.Info("starting manager", "version", version, "image", opts.serveImage, "watchNamespaces", operator.WatchNamespaces, "transcoderImage", opts.transcode.Image, "metrics", opts.metricsAddr, "probes", opts.probeAddr, "leaderElection", opts.leaderElect)
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		return fmt.Errorf("run manager: %w", err)
	}
	log.Info("manager stopped")
	return nil
}

// transcoderImage is the transcoder image released with the manager's:
// the same repository with "-transcoder" appended, and the same tag. A
// digest names one image's content, so it cannot be carried over.
func transcoderImage(own string) (string, error) {
	if strings.Contains(own, "@") {
		return "", fmt.Errorf("the manager's image %s is pinned by digest: set --transcoder-image (or $STREAMGATE_TRANSCODER_IMAGE) to the transcoder's", own)
	}
	repository, tag := own, ""
	if i := strings.LastIndex(own, ":"); i > strings.LastIndex(own, "/") {
		repository, tag = own[:i], own[i:]
	}
	return repository + "-transcoder" + tag, nil
}

// ownImage reads the image of the manager container of this very pod, so
// that transcode Jobs run the same build as the operator.
func ownImage(reader client.Reader) (string, error) {
	name, namespace := os.Getenv("POD_NAME"), os.Getenv("POD_NAMESPACE")
	if name == "" || namespace == "" {
		return "", errors.New("not in a pod: $POD_NAME and $POD_NAMESPACE are unset")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var pod corev1.Pod
	if err := reader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &pod); err != nil {
		return "", fmt.Errorf("get own pod %s/%s: %w", namespace, name, err)
	}
	for _, c := range pod.Spec.Containers {
		if c.Name == "manager" {
			return c.Image, nil
		}
	}
	return "", fmt.Errorf("pod %s/%s has no container named manager", namespace, name)
}
