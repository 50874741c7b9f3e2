package gate_test

import (
	"context"
	"math/big"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/loopback"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/indexer"
)

type countingHoldings struct {
	gate.Holdings
	calls atomic.Int64
}

func (c *countingHoldings) Holds(ctx context.Context, cond gate.Condition, owner string) (bool, error) {
	c.calls.Add(1)
	return c.Holdings.Holds(ctx, cond, owner)
}

func TestGateReadsTheIndexerAndForgetsOnItsChanges(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	holder, buyer := devchain.Address(devchain.Key(1)), devchain.Address(devchain.Key(2))
	nft.Transact(t, devchain.Key(0), "mint", holder, big.NewInt(1))

	contracts := []indexer.Contract{{Address: nft.Address, Standard: "ERC721"}}
	store, err := indexer.OpenStore(filepath.Join(t.TempDir(), "i.db"), contracts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = store.Close() }()
	rpcClient, err := rpc.Dial(anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	hub := &indexer.Hub{}
	metrics := indexer.NewMetrics(prometheus.NewRegistry())
	follower := indexer.NewFollower(indexer.Config{ChainID: 31337, Contracts: contracts}, evm.NewClient(rpcClient), store, logr.Discard(), metrics, hub.Publish)
	server := loopback.Server(t, (&indexer.API{Store: store, Follower: follower, Hub: hub, Metrics: metrics}).Handler())

	client, err := evm.Dial(ctx, anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	fallback := &countingHoldings{Holdings: &gate.EVMHoldings{Client: client}}
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	holdings := &gate.IndexerHoldings{URL: server.URL, Fallback: fallback, Now: func() time.Time { return clock }}
	cond := gate.Condition{Standard: gate.ERC721, Contract: nft.Address.Hex()}

	// Not caught up yet: the RPC node answers.
	if ok, err := holdings.Holds(ctx, cond, holder.Hex()); err != nil || !ok || fallback.calls.Load() != 1 {
		t.Fatalf("before the indexer caught up: %v %v, %d fallback calls", ok, err, fallback.calls.Load())
	}
	step := func() {
		for {
			if done, err := follower.Step(ctx); err != nil {
				t.Fatal(err)
			} else if done {
				return
			}
		}
	}
	step()
	clock = clock.Add(gate.IndexerStatusTTL) // the believed "not caught up" expires
	evaluator := &gate.Evaluator{Holdings: holdings}
	policy := gate.Policy{Name: "g", Conditions: []gate.Condition{cond}, CacheTTL: time.Hour}
	if d := evaluator.Evaluate(ctx, policy, holder.Hex()); !d.Allowed || fallback.calls.Load() != 1 {
		t.Fatalf("caught up: %+v, %d fallback calls (want the indexer to answer)", d, fallback.calls.Load())
	}

	// Selling the NFT: the indexer's change stream drops the cached decision.
	watchCtx, stop := context.WithCancel(ctx)
	defer stop()
	// Whether the stream connects before or after the sale, the decision
	// cached above must not outlive it.
	go holdings.Watch(watchCtx, evaluator.Forget)
	nft.Transact(t, devchain.Key(1), "transferFrom", holder, buyer, big.NewInt(1))
	step()
	deadline := time.Now().Add(5 * time.Second)
	for {
		d := evaluator.Evaluate(ctx, policy, holder.Hex())
		if !d.Allowed && !d.Cached {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the seller still passes after the indexer saw the sale: %+v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if d := evaluator.Evaluate(ctx, policy, buyer.Hex()); !d.Allowed {
		t.Errorf("the buyer does not pass: %+v", d)
	}
}
