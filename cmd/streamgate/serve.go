package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/streamgate-io/streamgate/internal/redact"
	"github.com/streamgate-io/streamgate/internal/stream"
)

// runServe is a streaming pod: it serves the endpoint's catalog until SIGTERM,
// then drains open requests.
func runServe(args []string) error {
	fs := newFlagSet("serve")
	catalogFile := fs.String("catalog", "/etc/streamgate/catalog/catalog.json", "the endpoint's catalog (a mounted ConfigMap)")
	secretDir := fs.String("secret-dir", "/etc/streamgate/secret", "the endpoint's Secret: signing keys and RPC URLs")
	claimsRoot := fs.String("claims-root", "/var/run/streamgate/claims", "folder where each PersistentVolumeClaim is mounted under its name")
	listen := fs.String("listen", ":8080", "address to serve viewers on")
	metricsListen := fs.String("metrics-listen", ":9090", "address to serve /metrics on, apart from viewers (empty: no metrics)")
	reload := fs.Duration("reload-interval", 2*time.Second, "how often the mounted catalog and Secret are checked for changes")
	storeCheck := fs.Duration("store-check-interval", stream.DefaultStoreCheckInterval, "how often to check that the object stores and IPFS nodes of the catalog's videos answer (reported at /storagez on the metrics port)")
	storeCache := fs.Int64("store-cache-bytes", stream.DefaultStoreCacheBytes, "memory for playlists and segments read from object stores and IPFS (whole files up to 16 MiB; least recently used out first)")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile to this file until the server stops (for tuning)")
	shutdownDelay := fs.Duration("shutdown-delay", 5*time.Second,
		"after SIGTERM, keep serving (and answer /readyz 503) this long before closing, while Services stop sending viewers here")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := redact.Logger(zap.New(zap.UseFlagOptions(&zapOpts))).WithName("serve")

	// A streaming pod holds little memory and makes many small short-lived
	// objects: trade some memory for less time in the garbage collector.
	debug.SetGCPercent(400)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	server, err := stream.New(ctx, stream.Config{CatalogFile: *catalogFile, SecretDir: *secretDir, ClaimsRoot: *claimsRoot,
		ReloadInterval: *reload, StoreCacheBytes: *storeCache, StoreCheckInterval: *storeCheck, Log: log, Registry: registry})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	go server.Run(ctx)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	// Viewers' requests are small: a client that trickles its headers or a
	// sign-in body holds a goroutine for at most these, and cannot send a
	// megabyte of headers. Responses have no deadline: a segment may take a
	// slow client a while.
	httpServer := &http.Server{Addr: *listen, Handler: server.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	errs := make(chan error, 2)
	go func() { errs <- httpServer.ListenAndServe() }()
	servers := []*http.Server{httpServer}
	if *metricsListen != "" {
		metricsServer := &http.Server{Addr: *metricsListen, Handler: server.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errs <- metricsServer.ListenAndServe() }()
		servers = append(servers, metricsServer)
	}
	log.Info("serving", "listen", *listen, "metrics", *metricsListen)
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	// A Service learns that this pod is going a moment after SIGTERM
	// (kube-proxy's rules, a load balancer's health check): meanwhile new
	// viewers still arrive, and are served rather than refused.
	server.Drain()
	log.Info("draining", "for", shutdownDelay.String())
	time.Sleep(*shutdownDelay)
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	log.Info("stopped")
	return nil
}
