package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
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
}

func runManager(args []string) error {
	var opts managerOptions
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.StringVar(&opts.metricsAddr, "metrics-bind-address", ":8443",
		"address of the metrics endpoint; \"0\" turns it off")
	fs.BoolVar(&opts.metricsSecure, "metrics-secure", true,
		"serve metrics over HTTPS, to callers authorised by a TokenReview and SubjectAccessReview")
	fs.StringVar(&opts.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.BoolVar(&opts.leaderElect, "leader-elect", false,
		"elect a leader, so that only one of several manager replicas reconciles")
	fs.StringVar(&opts.leaderElectNamespace, "leader-election-namespace", "",
		"namespace of the leader election Lease (default: the pod's namespace)")
	fs.BoolVar(&opts.enableHTTP2, "enable-http2", false,
		"allow HTTP/2 on the metrics server (off by default: CVE-2023-44487, CVE-2023-39325)")
	config.RegisterFlags(fs)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
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
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}

	restConfig, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("load kubeconfig: %w", err)
	}
	mgr, err := ctrl.NewManager(restConfig, ctrl.Options{
		Scheme:                        newScheme(),
		Metrics:                       metricsOpts,
		HealthProbeBindAddress:        opts.probeAddr,
		LeaderElection:                opts.leaderElect,
		LeaderElectionID:              "streamgate.streamgate.io",
		LeaderElectionNamespace:       opts.leaderElectNamespace,
		LeaderElectionReleaseOnCancel: true,
	})
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

	log.Info("starting manager", "metrics", opts.metricsAddr, "probes", opts.probeAddr, "leaderElection", opts.leaderElect)
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		return fmt.Errorf("run manager: %w", err)
	}
	log.Info("manager stopped")
	return nil
}
