package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/indexer"
	"github.com/streamgate-io/streamgate/internal/redact"
)

// runIndex is an indexer pod: it follows the chain into its store, answers
// queries, and reports progress into its ChainIndexer's status.
func runIndex(args []string) error {
	fs := newFlagSet("index")
	rpcURL := fs.String("rpc-url", "", "JSON-RPC URL of the node (prefer --rpc-url-file: URLs carry keys)")
	rpcURLFile := fs.String("rpc-url-file", "/etc/streamgate/rpc/url", "file holding the RPC URL (a mounted Secret key)")
	chainID := fs.Uint64("chain-id", 0, "EVM chain id the node must serve")
	contracts := fs.String("contracts", "", `contracts to follow, JSON: [{"address":"0x..","standard":"ERC721","fromBlock":0}]`)
	confirmations := fs.Int64("confirmations", -1, "blocks a block must be buried under before it is applied (-1: the node's finalized block, else a depth by chain id)")
	batch := fs.Uint64("batch-blocks", 2000, "starting eth_getLogs block range")
	poll := fs.Duration("poll-interval", 2*time.Second, "how often the head is checked once caught up")
	dbPath := fs.String("db", "/var/lib/streamgate/index.db", "the store")
	listen := fs.String("listen", ":8080", "address of the query API")
	name := fs.String("chainindexer", os.Getenv("CHAININDEXER_NAME"), "ChainIndexer to report status to (none: do not report)")
	namespace := fs.String("namespace", os.Getenv("POD_NAMESPACE"), "namespace of the ChainIndexer")
	config.RegisterFlags(fs)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := redact.Logger(zap.New(zap.UseFlagOptions(&zapOpts))).WithName("index")

	url := *rpcURL
	if url == "" {
		data, err := os.ReadFile(*rpcURLFile)
		if err != nil {
			return fmt.Errorf("read the RPC URL: %w", err)
		}
		url = strings.TrimSpace(string(data))
	}
	var cfg indexer.Config
	cfg.ChainID, cfg.BatchBlocks, cfg.PollInterval = *chainID, *batch, *poll
	if err := json.Unmarshal([]byte(*contracts), &cfg.Contracts); err != nil || len(cfg.Contracts) == 0 {
		return fmt.Errorf("--contracts must be a non-empty JSON list: %v", err)
	}
	cfg.Confirmations = indexer.DefaultConfirmations(cfg.ChainID)
	if *confirmations >= 0 {
		cfg.Confirmations = uint64(*confirmations)
	} else {
		// Unset: follow the node's finalized tag where it has one, except on
		// local development chains, which finalize far behind their head.
		cfg.Finalized = cfg.Confirmations > 0
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	store, err := indexer.OpenStore(*dbPath, struct {
		ChainID   uint64             `json:"chainId"`
		Contracts []indexer.Contract `json:"contracts"`
	}{cfg.ChainID, cfg.Contracts})
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	if store.Reindexed {
		log.Info("the store was made by an older version, which did not record pass expiries and rentals: indexing again from the first block")
	}
	client, err := rpc.DialContext(ctx, url)
	if err != nil {
		return fmt.Errorf("dial the RPC node: %w", err)
	}
	defer client.Close()

	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := indexer.NewMetrics(registry)
	hub := &indexer.Hub{}
	follower := indexer.NewFollower(cfg, evm.NewClient(client), store, log, metrics, hub.Publish)
	api := &indexer.API{Store: store, Follower: follower, Hub: hub, Metrics: metrics}
	server := &http.Server{Addr: *listen, Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(err, "query API stopped")
			stop()
		}
	}()
	if *name != "" {
		go reportStatus(ctx, log, follower, *namespace, *name)
	}
	log.Info("indexing", "chainId", cfg.ChainID, "contracts", len(cfg.Contracts), "confirmations", cfg.Confirmations, "listen", *listen)
	runErr := follower.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = server.Shutdown(shutdown)
	if errors.Is(runErr, indexer.ErrChainIDMismatch) {
		// Keep reporting the mismatch instead of crash-looping: a person
		// must fix the spec or the Secret.
		log.Error(runErr, "wrong chain; waiting")
		<-ctx.Done()
		return nil
	}
	return runErr
}

// reportStatus patches the ChainIndexer's status when the follower's status
// changes, at most every few seconds. The pod's Role allows exactly this.
func reportStatus(ctx context.Context, log logr.Logger, f *indexer.Follower, namespace, name string) {
	restConfig, err := ctrl.GetConfig()
	if err != nil {
		log.Error(err, "cannot report status: no kubeconfig")
		return
	}
	k8s, err := client.New(restConfig, client.Options{Scheme: newScheme()})
	if err != nil {
		log.Error(err, "cannot report status")
		return
	}
	var last indexer.Status
	sent := false
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s := f.Status()
		s.Contracts = nil // configuration, not state: the ChainIndexer's spec has it
		if sent && reflect.DeepEqual(s, last) {
			continue
		}
		status := map[string]any{"headBlock": s.Head, "indexedBlock": s.Indexed, "lagBlocks": s.Lag, "caughtUp": s.CaughtUp,
			"reportedAt": metav1.Now(), "lastError": nil}
		if s.ErrReason != "" {
			status["lastError"] = map[string]string{"reason": s.ErrReason, "message": s.ErrMsg}
		}
		patch, _ := json.Marshal(map[string]any{"status": status})
		ci := &streamgatev1alpha1.ChainIndexer{}
		ci.Namespace, ci.Name = namespace, name
		if err := k8s.Status().Patch(ctx, ci, client.RawPatch(types.MergePatchType, patch)); err != nil {
			log.Error(err, "cannot report status")
			continue
		}
		last, sent = s, true
	}
}
