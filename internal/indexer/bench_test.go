package indexer

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

// BenchmarkIndexer: on anvil with 100,000 Transfer logs, the indexer's
// backfill rate against a plain loop of eth_getLogs that only decodes, in
// the same run, then query latency over HTTP on loopback. Run with
// -benchtime=1x (`make bench-index`).
func BenchmarkIndexer(b *testing.B) {
	const total, perTx, owners = 100_000, 1_250, 500
	anvil := devchain.StartAnvil(b, "--gas-limit", "100000000")
	spammer := anvil.Deploy(b, "LogSpammer")
	for first := 0; first < total; first += perTx {
		spammer.Transact(b, devchain.Key(0), "mintMany", big.NewInt(int64(first)), big.NewInt(perTx), big.NewInt(owners))
	}
	contracts := []Contract{{Address: spammer.Address, Standard: "ERC721"}}
	client, err := rpc.Dial(anvil.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	var head hexutil.Uint64
	if err := client.Call(&head, "eth_blockNumber"); err != nil {
		b.Fatal(err)
	}
	const batch = 8 // blocks per eth_getLogs: up to 10,000 logs each here

	var plainRate, indexRate float64
	b.Run("plain-getLogs-decode", func(b *testing.B) {
		for range b.N {
			start := time.Now()
			n := 0
			for from := uint64(0); from <= uint64(head); from += batch {
				var logs []types.Log
				filter := map[string]any{"fromBlock": hexutil.EncodeUint64(from), "toBlock": hexutil.EncodeUint64(min(from+batch-1, uint64(head))),
					"address": []common.Address{spammer.Address}}
				if err := client.Call(&logs, "eth_getLogs", filter); err != nil {
					b.Fatal(err)
				}
				for _, l := range logs {
					if _, err := evm.DecodeTransferLog(l, "ERC721"); err == nil {
						n++
					}
				}
			}
			if n != total {
				b.Fatalf("decoded %d logs, want %d", n, total)
			}
			plainRate = float64(n) / time.Since(start).Seconds()
		}
		b.ReportMetric(plainRate, "logs/s")
	})

	var store *Store
	var follower *Follower
	b.Run("indexer-backfill", func(b *testing.B) {
		for i := range b.N {
			store, err = OpenStore(filepath.Join(b.TempDir(), fmt.Sprintf("i%d.db", i)), contracts)
			if err != nil {
				b.Fatal(err)
			}
			follower = NewFollower(Config{ChainID: 31337, Contracts: contracts, BatchBlocks: batch, MaxBatch: batch}, evm.NewClient(client), store,
				logr.Discard(), NewMetrics(prometheus.NewRegistry()), nil)
			start := time.Now()
			for {
				done, err := follower.Step(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if done {
					break
				}
			}
			indexRate = float64(total) / time.Since(start).Seconds()
		}
		b.ReportMetric(indexRate, "logs/s")
		b.ReportMetric(indexRate/plainRate, "x-plain")
	})
	if store == nil {
		return
	}
	defer func() { _ = store.Close() }()

	b.Run("query", func(b *testing.B) {
		api := &API{Store: store, Follower: follower, Hub: &Hub{}, Metrics: follower.m}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		server := &http.Server{Handler: api.Handler()}
		go func() { _ = server.Serve(l) }()
		defer func() { _ = server.Close() }()
		httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		base := "http://" + l.Addr().String()
		var latencies []time.Duration
		for i := range max(b.N, 5000) {
			owner := common.BigToAddress(big.NewInt(int64(0x1000 + i%owners)))
			url := fmt.Sprintf("%s/v1/balance/%s/%s/%d", base, owner.Hex(), spammer.Address.Hex(), i%total)
			if i%2 == 1 {
				url = fmt.Sprintf("%s/v1/owner/%s/%d", base, spammer.Address.Hex(), i%total)
			}
			start := time.Now()
			resp, err := httpClient.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			latencies = append(latencies, time.Since(start))
		}
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
	})
}
