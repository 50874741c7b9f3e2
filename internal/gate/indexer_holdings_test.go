package gate_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/loopback"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
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

type testIndexer struct {
	t        testing.TB
	follower *indexer.Follower
	server   *httptest.Server
}

// startIndexer serves an index of ERC-721 contracts on anvil; it applies
// blocks only when told to (catchUp).
func startIndexer(t testing.TB, anvil *devchain.Anvil, nfts ...common.Address) *testIndexer {
	t.Helper()
	var contracts []indexer.Contract
	for _, a := range nfts {
		contracts = append(contracts, indexer.Contract{Address: a, Standard: "ERC721"})
	}
	store, err := indexer.OpenStore(filepath.Join(t.TempDir(), "i.db"), contracts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	rpcClient, err := rpc.Dial(anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rpcClient.Close)
	hub := &indexer.Hub{}
	metrics := indexer.NewMetrics(prometheus.NewRegistry())
	follower := indexer.NewFollower(indexer.Config{ChainID: 31337, Contracts: contracts}, evm.NewClient(rpcClient), store, logr.Discard(), metrics, hub.Publish)
	return &testIndexer{t: t, follower: follower, server: loopback.Server(t, (&indexer.API{Store: store, Follower: follower, Hub: hub, Metrics: metrics}).Handler())}
}

func (ix *testIndexer) catchUp() {
	ix.t.Helper()
	for {
		if done, err := ix.follower.Step(context.Background()); err != nil {
			ix.t.Fatal(err)
		} else if done {
			return
		}
	}
}

func TestGateReadsTheIndexerAndForgetsOnItsChanges(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	holder, buyer := devchain.Address(devchain.Key(1)), devchain.Address(devchain.Key(2))
	nft.Transact(t, devchain.Key(0), "mint", holder, big.NewInt(1))

	ix := startIndexer(t, anvil, nft.Address)
	server := ix.server

	client, err := evm.Dial(ctx, anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	fallback := &countingHoldings{Holdings: &gate.EVMHoldings{Client: client}}
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	holdings := &gate.IndexerHoldings{URL: server.URL, ChainID: 31337, Fallback: fallback, Now: func() time.Time { return clock }}
	cond := gate.Condition{Standard: gate.ERC721, Contract: nft.Address.Hex()}

	// Not caught up yet: the RPC node answers.
	if ok, err := holdings.Holds(ctx, cond, holder.Hex()); err != nil || !ok || fallback.calls.Load() != 1 {
		t.Fatalf("before the indexer caught up: %v %v, %d fallback calls", ok, err, fallback.calls.Load())
	}
	step := ix.catchUp
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

func (c *countingHoldings) HoldsUntil(ctx context.Context, cond gate.Condition, owner string) (bool, time.Time, error) {
	c.calls.Add(1)
	return c.Holdings.(gate.TimedHoldings).HoldsUntil(ctx, cond, owner)
}

// Subscriptions and rentals of a followed contract are answered by the
// index, with the same expiries the chain gives, and end on the clock with
// no chain event; a contract the indexer does not follow is asked of the
// RPC node instead of being refused.
func TestPassesAreAnsweredFromTheIndex(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	clock := chainClock{t: t, anvil: anvil}
	creator, holder, renter, buyer := devchain.Key(0), devchain.Key(1), devchain.Key(2), devchain.Key(3)
	transact := func(key *ecdsa.PrivateKey, value *big.Int) *bind.TransactOpts {
		return transactor(t, anvil, key, value)
	}
	const month = 30 * 24 * time.Hour
	price := big.NewInt(1e15)
	deploy := func() (common.Address, *passes.StreamGatePass) {
		addr, tx, pass, err := passes.DeployStreamGatePass(transact(creator, nil), anvil.Client, "P", "P", devchain.Address(creator),
			uint64(month/time.Second), price, devchain.Address(creator), big.NewInt(0))
		send(t, anvil)(tx, err)
		return addr, pass
	}
	passAddr, pass := deploy()
	send(t, anvil)(pass.Mint(transact(creator, nil), devchain.Address(holder), big.NewInt(1), uint64(month/time.Second)))
	unindexedAddr, unindexed := deploy()

	ix := startIndexer(t, anvil, passAddr)
	ix.catchUp()
	client, err := evm.Dial(ctx, anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	fallback := &countingHoldings{Holdings: &gate.EVMHoldings{Client: client}}
	holdings := &gate.IndexerHoldings{URL: ix.server.URL, ChainID: 31337, Fallback: fallback, Now: clock.Now}
	e := &gate.Evaluator{Holdings: holdings, Now: clock.Now}
	// What the indexer's change stream does after each block (tested above).
	chainChanged := func() { ix.catchUp(); e.Forget(gate.AnyAddress) }
	const year = 365 * 24 * time.Hour
	policy := func(name string, c gate.Condition) gate.Policy {
		return gate.Policy{Name: name, CacheTTL: year, Conditions: []gate.Condition{c}}
	}
	// No tokenIds: only an index can find an address's passes.
	subscription := policy("sub", gate.Condition{Standard: gate.ERC5643, Contract: passAddr.Hex()})
	rental := policy("rent", gate.Condition{Standard: gate.ERC4907, Contract: passAddr.Hex()})
	ownersToo := policy("rent-owners", gate.Condition{Standard: gate.ERC4907, Contract: passAddr.Hex(), OwnersDuringRental: true})
	expiresAt := func() time.Time {
		v, err := pass.ExpiresAt(&bind.CallOpts{}, big.NewInt(1))
		if err != nil {
			t.Fatal(err)
		}
		return time.Unix(int64(v), 0)
	}
	evaluate := func(p gate.Policy, who *ecdsa.PrivateKey) gate.Decision {
		return e.Evaluate(ctx, p, devchain.Address(who).Hex())
	}

	if d := evaluate(subscription, holder); !d.Allowed || !d.Until.Equal(expiresAt()) {
		t.Fatalf("subscriber: %+v, want allowed until %s", d, expiresAt())
	}
	if d := evaluate(subscription, renter); d.Allowed || d.Reason != gate.ReasonHoldsNone {
		t.Errorf("a stranger: %+v", d)
	}

	// A rental: the renter until it ends; the owner not meanwhile, but
	// again the moment it ends, with no event and no cache in the way.
	rentalEnd := clock.Now().Add(time.Hour)
	send(t, anvil)(pass.SetUser(transact(holder, nil), big.NewInt(1), devchain.Address(renter), uint64(rentalEnd.Unix())))
	chainChanged()
	if d := evaluate(rental, renter); !d.Allowed || !d.Until.Equal(rentalEnd) {
		t.Errorf("renter: %+v, want allowed until %s", d, rentalEnd)
	}
	if d := evaluate(rental, holder); d.Allowed {
		t.Errorf("owner during the rental: %+v, want refused", d)
	}
	if d := evaluate(rental, holder); !d.Cached {
		t.Errorf("the owner's refusal is not cached: %+v", d)
	}
	if d := evaluate(ownersToo, holder); !d.Allowed || !d.Until.IsZero() {
		t.Errorf("owner during the rental, owners counting: %+v", d)
	}
	clock.travel(time.Hour + time.Second)
	if d := evaluate(rental, renter); d.Allowed || d.Cached || d.Reason != gate.ReasonExpired || !d.Until.Equal(rentalEnd) {
		t.Errorf("renter after the rental: %+v, want refused as expired at %s", d, rentalEnd)
	}
	if d := evaluate(rental, holder); !d.Allowed || d.Cached {
		t.Errorf("owner after the rental: %+v, want allowed, not the cached refusal", d)
	}

	// A transfer ends a rental: the renter is out, the buyer in.
	send(t, anvil)(pass.SetUser(transact(holder, nil), big.NewInt(1), devchain.Address(renter), uint64(clock.Now().Add(time.Hour).Unix())))
	send(t, anvil)(pass.TransferFrom(transact(holder, nil), devchain.Address(holder), devchain.Address(buyer), big.NewInt(1)))
	chainChanged()
	if d := evaluate(rental, renter); d.Allowed {
		t.Errorf("renter after the token was sold: %+v, want refused", d)
	}
	if d := evaluate(rental, buyer); !d.Allowed {
		t.Errorf("buyer: %+v", d)
	}
	if d := evaluate(subscription, holder); d.Allowed {
		t.Errorf("seller: %+v", d)
	}

	// The subscription runs out, and a renewal brings it back.
	clock.travel(month)
	if d := evaluate(subscription, buyer); d.Allowed || d.Reason != gate.ReasonExpired {
		t.Errorf("after the month: %+v, want expired", d)
	}
	send(t, anvil)(pass.RenewSubscription(transact(buyer, price), big.NewInt(1), uint64(month/time.Second)))
	chainChanged()
	if d := evaluate(subscription, buyer); !d.Allowed || !d.Until.Equal(expiresAt()) || !d.Until.After(clock.Now()) {
		t.Errorf("after the renewal: %+v, want allowed until %s", d, expiresAt())
	}
	if d := evaluate(policy("sub-2", gate.Condition{Standard: gate.ERC5643, Contract: passAddr.Hex(), TokenIDs: []string{"2"}}), buyer); d.Allowed {
		t.Errorf("a condition on another token id: %+v", d)
	}
	if n := fallback.calls.Load(); n != 0 {
		t.Errorf("the RPC node was asked %d times, want the index to answer", n)
	}

	// A contract the indexer does not follow: the RPC node answers.
	send(t, anvil)(unindexed.Mint(transact(creator, nil), devchain.Address(holder), big.NewInt(1), uint64(month/time.Second)))
	if d := evaluate(policy("other", gate.Condition{Standard: gate.ERC5643, Contract: unindexedAddr.Hex(), TokenIDs: []string{"1"}}), holder); !d.Allowed || fallback.calls.Load() != 1 {
		t.Errorf("a contract the indexer does not follow: %+v, %d RPC answers", d, fallback.calls.Load())
	}

	// An indexer of another chain is never believed: the same address may
	// be another contract there.
	otherChain := &gate.IndexerHoldings{URL: ix.server.URL, ChainID: 1, Fallback: fallback, Now: clock.Now}
	if ok, _, err := otherChain.HoldsUntil(ctx, subscription.Conditions[0], devchain.Address(buyer).Hex()); ok || err == nil || fallback.calls.Load() != 2 {
		t.Errorf("an indexer of another chain: %v %v, %d RPC answers (the RPC node cannot answer without token ids)", ok, err, fallback.calls.Load())
	}
}
