package indexer

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/loopback"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/devchain"
	bolt "go.etcd.io/bbolt"
)

type world struct {
	anvil             *devchain.Anvil
	nft, multi, token *devchain.Contract
	alice, bob, carol common.Address
	contracts         []Contract
	chain             *evm.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	a := devchain.StartAnvil(t)
	w := &world{anvil: a, nft: a.Deploy(t, "TestERC721"), multi: a.Deploy(t, "TestERC1155"), token: a.Deploy(t, "TestERC20"),
		alice: devchain.Address(devchain.Key(1)), bob: devchain.Address(devchain.Key(2)), carol: devchain.Address(devchain.Key(3))}
	w.contracts = []Contract{{Address: w.nft.Address, Standard: "ERC721"}, {Address: w.multi.Address, Standard: "ERC1155"}, {Address: w.token.Address, Standard: "ERC20"}}
	var err error
	if w.chain, err = evm.Dial(context.Background(), a.URL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.chain.Close)
	return w
}

// activity mints, transfers, batch-transfers and burns on all three contracts.
func (w *world) activity(t *testing.T, round int64) {
	owner := devchain.Key(0)
	id := big.NewInt(100 + round)
	w.nft.Transact(t, owner, "mint", w.alice, id)
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.bob, id)
	w.nft.Transact(t, owner, "mint", w.carol, big.NewInt(200+round))
	w.nft.Transact(t, owner, "burn", big.NewInt(200+round))
	w.multi.Transact(t, owner, "mintBatch", w.alice, []*big.Int{big.NewInt(1), big.NewInt(2)}, []*big.Int{big.NewInt(10), big.NewInt(3)})
	w.multi.Transact(t, devchain.Key(1), "safeBatchTransferFrom", w.alice, w.bob, []*big.Int{big.NewInt(1), big.NewInt(2)}, []*big.Int{big.NewInt(4), big.NewInt(1)}, []byte{})
	w.multi.Transact(t, devchain.Key(1), "safeTransferFrom", w.alice, w.carol, big.NewInt(1), big.NewInt(2), []byte{})
	w.multi.Transact(t, owner, "burn", w.carol, big.NewInt(1), big.NewInt(1))
	w.token.Transact(t, owner, "mint", w.alice, big.NewInt(1_000_000))
	w.token.Transact(t, devchain.Key(1), "transfer", w.bob, big.NewInt(250_000))
	w.token.Transact(t, owner, "burn", w.bob, big.NewInt(1))
}

func newFollower(t *testing.T, w *world, rpcURL string, confirmations uint64, store *Store) *Follower {
	t.Helper()
	client, err := rpc.Dial(rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	if store == nil {
		if store, err = OpenStore(filepath.Join(t.TempDir(), "index.db"), Config{ChainID: 31337, Contracts: w.contracts}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
	}
	return NewFollower(Config{ChainID: 31337, Contracts: w.contracts, Confirmations: confirmations, BatchBlocks: 4, PollInterval: 20 * time.Millisecond},
		evm.NewClient(client), store, logr.Discard(), NewMetrics(prometheus.NewRegistry()), nil)
}

// catchUp steps the follower until it has applied everything confirmed.
func catchUp(t *testing.T, f *Follower) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		done, err := f.Step(context.Background())
		if err != nil {
			t.Fatalf("step: %v", err)
		}
		if done {
			return
		}
	}
	t.Fatal("did not catch up")
}

// assertMatchesChain compares every touched balance with the chain's own
// balanceOf / ownerOf / balanceOfBatch answers.
func assertMatchesChain(t *testing.T, w *world, s *Store) {
	t.Helper()
	ctx := context.Background()
	people := []common.Address{w.alice, w.bob, w.carol}
	for _, p := range people {
		got, _, _ := s.HoldingsOf(p, &w.nft.Address, MaxHoldings)
		want, err := w.chain.BalanceOf(ctx, w.nft.Address, p)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) != want.Int64() {
			t.Errorf("ERC-721 holdings of %s: indexer %d tokens, chain %d", p.Hex(), len(got), want)
		}
		for _, h := range got {
			id, _ := new(big.Int).SetString(h.TokenID, 10)
			if owner, _ := w.chain.OwnerOf(ctx, w.nft.Address, id); owner != p {
				t.Errorf("indexer says %s owns token %s, chain says %s", p.Hex(), h.TokenID, owner.Hex())
			}
		}
		for _, id := range []int64{1, 2} {
			chainBal, err := w.chain.BalanceOfBatch(ctx, w.multi.Address, []common.Address{p}, []*big.Int{big.NewInt(id)})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := s.BalanceOf(p, w.multi.Address, big.NewInt(id)); got.Cmp(chainBal[0]) != 0 {
				t.Errorf("ERC-1155 %d of %s: indexer %v, chain %v", id, p.Hex(), got, chainBal[0])
			}
		}
		chainBal, err := w.chain.BalanceOf(ctx, w.token.Address, p)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.BalanceOf(p, w.token.Address, new(big.Int)); got.Cmp(chainBal) != 0 {
			t.Errorf("ERC-20 of %s: indexer %v, chain %v", p.Hex(), got, chainBal)
		}
	}
}

func TestBackfillAndFollowAgreeWithTheChain(t *testing.T) {
	w := newWorld(t)
	w.activity(t, 1)
	w.activity(t, 2)
	f := newFollower(t, w, w.anvil.URL, 0, nil)
	catchUp(t, f) // backfill
	assertMatchesChain(t, w, f.store)
	w.activity(t, 3) // while following
	catchUp(t, f)
	assertMatchesChain(t, w, f.store)
	if s := f.Status(); !s.CaughtUp || s.Indexed != s.Head || s.Lag != 0 {
		t.Errorf("status %+v", s)
	}
}

func anvilCall(t *testing.T, w *world, method string, params ...any) json.RawMessage {
	t.Helper()
	var out json.RawMessage
	if err := w.anvil.RPC.Call(&out, method, params...); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return out
}

func TestReorgRollsBackAndReapplies(t *testing.T) {
	w := newWorld(t)
	owner := devchain.Key(0)
	w.nft.Transact(t, owner, "mint", w.alice, big.NewInt(1))
	f := newFollower(t, w, w.anvil.URL, 0, nil)
	catchUp(t, f)

	snapshot := anvilCall(t, w, "evm_snapshot")
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.bob, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x2")
	catchUp(t, f)
	if o, _ := f.store.OwnerOf(w.nft.Address, big.NewInt(1)); o != w.bob {
		t.Fatalf("before the reorg the indexer says %s owns token 1", o.Hex())
	}

	// Replace those blocks: the token goes to carol instead, on a longer fork.
	var id string
	_ = json.Unmarshal(snapshot, &id)
	anvilCall(t, w, "evm_revert", id)
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.carol, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x5")
	catchUp(t, f)
	if o, _ := f.store.OwnerOf(w.nft.Address, big.NewInt(1)); o != w.carol {
		t.Errorf("after the reorg the indexer says %s owns token 1, want carol", o.Hex())
	}
	if got, _, _ := f.store.HoldingsOf(w.bob, nil, MaxHoldings); len(got) != 0 {
		t.Errorf("bob still holds %v after the reorg", got)
	}
	assertMatchesChain(t, w, f.store)
}

func TestConfirmationsDeeperThanTheReorgSeeNothing(t *testing.T) {
	w := newWorld(t)
	w.nft.Transact(t, devchain.Key(0), "mint", w.alice, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x6")
	f := newFollower(t, w, w.anvil.URL, 5, nil)
	catchUp(t, f)
	snapshot := anvilCall(t, w, "evm_snapshot")
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.bob, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x2")
	catchUp(t, f)
	if o, _ := f.store.OwnerOf(w.nft.Address, big.NewInt(1)); o != w.alice {
		t.Fatalf("an unconfirmed transfer was applied: owner %s", o.Hex())
	}
	var id string
	_ = json.Unmarshal(snapshot, &id)
	anvilCall(t, w, "evm_revert", id)
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.carol, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x8")
	catchUp(t, f)
	if o, _ := f.store.OwnerOf(w.nft.Address, big.NewInt(1)); o != w.carol {
		t.Errorf("owner %s, want carol", o.Hex())
	}
	if reorgs := testutilValue(f.m.reorgs); reorgs != 0 {
		t.Errorf("%v reorgs rolled back; confirmations deeper than the reorg should see none", reorgs)
	}
}

// faultyProxy sits in front of anvil: every n-th call fails with 500, every
// m-th answers 429, and eth_getLogs over more than maxRange blocks answers a
// provider's range-limit error.
func faultyProxy(t *testing.T, target string, n, m int64, maxRange uint64) string {
	t.Helper()
	var count atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := count.Add(1)
		switch {
		case c%n == 0:
			http.Error(w, "upstream flaked", http.StatusInternalServerError)
			return
		case c%m == 0:
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		var req struct {
			ID     json.RawMessage  `json:"id"`
			Method string           `json:"method"`
			Params []map[string]any `json:"params"`
		}
		if json.Unmarshal(body, &req) == nil && req.Method == "eth_getLogs" && len(req.Params) == 1 {
			from, _ := new(big.Int).SetString(strings.TrimPrefix(fmt.Sprint(req.Params[0]["fromBlock"]), "0x"), 16)
			to, _ := new(big.Int).SetString(strings.TrimPrefix(fmt.Sprint(req.Params[0]["toBlock"]), "0x"), 16)
			if from != nil && to != nil && to.Uint64()-from.Uint64()+1 > maxRange {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"query returned more than 10000 results. Try with this block range [0x1, 0x2]."}}`, req.ID)
				return
			}
		}
		resp, err := http.Post(target, "application/json", strings.NewReader(string(body)))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, resp.Body)
	})
	return loopback.Server(t, h).URL
}

func TestRPCFaultsStillGiveTheRightHoldings(t *testing.T) {
	w := newWorld(t)
	for r := int64(1); r <= 3; r++ {
		w.activity(t, r)
	}
	proxy := faultyProxy(t, w.anvil.URL, 7, 11, 3)
	f := newFollower(t, w, proxy, 0, nil)
	f.cfg.BatchBlocks, f.batch = 64, 64
	for i := 0; ; i++ {
		done, err := f.Step(context.Background())
		if err == nil && done {
			break
		}
		if i > 5000 {
			t.Fatalf("did not finish through the faulty proxy: %v", err)
		}
	}
	assertMatchesChain(t, w, f.store)
	for _, kind := range []string{"range", "rate_limited"} {
		if testutilValue(f.m.rpcErrors.WithLabelValues(kind)) == 0 {
			t.Errorf("no %s errors counted; the proxy sends them", kind)
		}
	}
}

func TestQueryAPI(t *testing.T) {
	w := newWorld(t)
	w.activity(t, 1)
	f := newFollower(t, w, w.anvil.URL, 0, nil)
	catchUp(t, f)
	api := &API{Store: f.store, Follower: f, Hub: &Hub{}, Metrics: f.m}
	h := api.Handler()
	get := func(path string) (int, map[string]any) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		var out map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out
	}
	head := float64(f.Status().Indexed)
	if code, out := get("/v1/owner/" + w.nft.Address.Hex() + "/101"); code != 200 || !strings.EqualFold(out["owner"].(string), w.bob.Hex()) || out["block"] != head {
		t.Errorf("owner: %d %v", code, out)
	}
	if code, out := get("/v1/balance/" + w.bob.Hex() + "/" + w.token.Address.Hex() + "/0"); code != 200 || out["balance"] != "249999" {
		t.Errorf("balance: %d %v", code, out)
	}
	aliceMulti := "/v1/holdings/" + w.alice.Hex() + "?contract=" + w.multi.Address.Hex()
	if code, out := get(aliceMulti); code != 200 || len(out["holdings"].([]any)) != 2 || out["truncated"] != false {
		t.Errorf("holdings: %d %v", code, out)
	}
	// An answer is bounded: a limit below what is held says it left some out.
	if code, out := get(aliceMulti + "&limit=1"); code != 200 || len(out["holdings"].([]any)) != 1 || out["truncated"] != true {
		t.Errorf("holdings, limit 1: %d %v", code, out)
	}
	for _, limit := range []string{"0", "1025", "-1", "ten"} {
		if code, out := get(aliceMulti + "&limit=" + limit); code != 400 || out["reason"] != "limit must be an integer from 1 to 1024" {
			t.Errorf("limit %s: %d %v", limit, code, out)
		}
	}
	if code, out := get("/v1/holdings/not-an-address"); code != 400 || !strings.Contains(out["reason"].(string), "not an EVM address") {
		t.Errorf("bad address: %d %v", code, out)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz %d after catching up", code)
	}
}

func testutilValue(c prometheus.Collector) float64 {
	ch := make(chan prometheus.Metric, 1)
	c.Collect(ch)
	m := <-ch
	pb := &dtoMetric{}
	_ = m.Write(pb.m())
	return pb.value()
}

func TestFinalizedTagBoundsWhatIsApplied(t *testing.T) {
	w := newWorld(t)
	w.nft.Transact(t, devchain.Key(0), "mint", w.alice, big.NewInt(1))
	anvilCall(t, w, "anvil_mine", "0x50") // anvil finalizes 64 blocks behind its head
	w.nft.Transact(t, devchain.Key(1), "transferFrom", w.alice, w.bob, big.NewInt(1))
	f := newFollower(t, w, w.anvil.URL, 0, nil)
	f.cfg.Finalized = true
	catchUp(t, f)
	var finalized struct {
		Number hexutil.Uint64 `json:"number"`
	}
	if err := w.anvil.RPC.Call(&finalized, "eth_getBlockByNumber", "finalized", false); err != nil {
		t.Fatal(err)
	}
	if s := f.Status(); s.Indexed != uint64(finalized.Number) || s.Head <= s.Indexed {
		t.Errorf("indexed %d, want the finalized block %d (head %d)", s.Indexed, finalized.Number, s.Head)
	}
	if o, _ := f.store.OwnerOf(w.nft.Address, big.NewInt(1)); o != w.alice {
		t.Errorf("a transfer after the finalized block was applied: owner %s", o.Hex())
	}
}

// passWorld is a StreamGatePass (ERC-721 with ERC-5643 subscriptions and
// ERC-4907 rentals) on anvil, followed by an indexer that records whom
// each block's changes concern.
type passWorld struct {
	*world
	pass    *passes.StreamGatePass
	addr    common.Address
	creator *ecdsa.PrivateKey
	f       *Follower
	changed map[common.Address]bool
}

func newPassWorld(t *testing.T) *passWorld {
	a := devchain.StartAnvil(t)
	w := &passWorld{world: &world{anvil: a, alice: devchain.Address(devchain.Key(1)), bob: devchain.Address(devchain.Key(2)), carol: devchain.Address(devchain.Key(3))},
		creator: devchain.Key(0), changed: map[common.Address]bool{}}
	var tx *types.Transaction
	var err error
	w.addr, tx, w.pass, err = passes.DeployStreamGatePass(w.opts(t, w.creator, nil), a.Client, "P", "P", devchain.Address(w.creator), 3600, big.NewInt(1), devchain.Address(w.creator), big.NewInt(0))
	w.mined(t)(tx, err)
	w.contracts = []Contract{{Address: w.addr, Standard: "ERC721"}}
	if w.chain, err = evm.Dial(context.Background(), a.URL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.chain.Close)
	w.f = newFollower(t, w.world, a.URL, 0, nil)
	w.f.notify = func(_ uint64, changes []Change) {
		for _, c := range changes {
			w.changed[c.Address] = true
		}
	}
	return w
}

func (w *passWorld) opts(t *testing.T, key *ecdsa.PrivateKey, value *big.Int) *bind.TransactOpts {
	o, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(w.anvil.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	o.Value = value
	return o
}

// mined waits for a transaction: w.mined(t)(w.pass.Mint(...)).
func (w *passWorld) mined(t *testing.T) func(*types.Transaction, error) {
	return func(tx *types.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r, err := bind.WaitMined(context.Background(), w.anvil.Client, tx); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction failed: %v", err)
		}
	}
}

func (w *passWorld) now(t *testing.T) uint64 {
	head, err := w.anvil.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return head.Time
}

// catchUp applies what is new and returns whom it concerned.
func (w *passWorld) catchUp(t *testing.T) map[common.Address]bool {
	t.Helper()
	w.changed = map[common.Address]bool{}
	catchUp(t, w.f)
	return w.changed
}

// assertPassesMatchChain compares what the index says of tokens with the
// contract's ownerOf, expiresAt, userOf and userExpires.
func (w *passWorld) assertPassesMatchChain(t *testing.T, ids ...int64) {
	t.Helper()
	call := &bind.CallOpts{}
	listed := map[common.Address]map[string]Pass{}
	for _, p := range []common.Address{w.alice, w.bob, w.carol} {
		got, truncated, _ := w.f.store.PassesOf(p, w.addr)
		if truncated {
			t.Fatal("truncated")
		}
		listed[p] = map[string]Pass{}
		for _, pass := range got {
			listed[p][pass.TokenID] = pass
		}
	}
	for _, id := range ids {
		key := big.NewInt(id).String()
		owner, err := w.pass.OwnerOf(call, big.NewInt(id))
		if err != nil { // burnt: nobody lists it
			for p, l := range listed {
				if _, ok := l[key]; ok {
					t.Errorf("token %d is burnt, yet listed for %s", id, p.Hex())
				}
			}
			continue
		}
		expires, _ := w.pass.ExpiresAt(call, big.NewInt(id))
		user, _ := w.pass.UserOf(call, big.NewInt(id))
		userExpires, _ := w.pass.UserExpires(call, big.NewInt(id))
		got, ok := listed[owner][key]
		if !ok || got.Owner != owner || got.ExpiresAt != expires {
			t.Errorf("token %d: index %+v (listed for its owner: %v), chain owner %s expires %d", id, got, ok, owner.Hex(), expires)
		}
		if user != (common.Address{}) {
			if r, ok := listed[user][key]; !ok || r.User != user || r.UserExpires != userExpires.Uint64() {
				t.Errorf("token %d: index %+v for the renter, chain user %s until %d", id, r, user.Hex(), userExpires)
			}
		}
		for p, l := range listed {
			if r, ok := l[key]; ok && p != owner && p != user && !(r.User == p && r.UserExpires <= w.now(t)) {
				t.Errorf("token %d is listed for %s, who neither owns nor rents it", id, p.Hex())
			}
		}
	}
}

func TestPassesAgreeWithTheChain(t *testing.T) {
	w := newPassWorld(t)
	w.mined(t)(w.pass.Mint(w.opts(t, w.creator, nil), w.alice, big.NewInt(1), 3600))
	w.mined(t)(w.pass.Mint(w.opts(t, w.creator, nil), w.bob, big.NewInt(2), 7200))
	w.catchUp(t)
	w.assertPassesMatchChain(t, 1, 2)

	// A rental concerns the renter and the owner.
	w.mined(t)(w.pass.SetUser(w.opts(t, devchain.Key(1), nil), big.NewInt(1), w.carol, w.now(t)+600))
	if changed := w.catchUp(t); !changed[w.carol] || !changed[w.alice] {
		t.Errorf("a rental concerns %v, want the renter and the owner", changed)
	}
	w.assertPassesMatchChain(t, 1, 2)

	// A reorg takes back a renewal and a new renter.
	var snapshot string
	_ = json.Unmarshal(anvilCall(t, w.world, "evm_snapshot"), &snapshot)
	w.mined(t)(w.pass.SetUser(w.opts(t, devchain.Key(1), nil), big.NewInt(1), w.bob, w.now(t)+900))
	w.mined(t)(w.pass.RenewSubscription(w.opts(t, devchain.Key(1), big.NewInt(1)), big.NewInt(1), 3600))
	w.catchUp(t)
	w.assertPassesMatchChain(t, 1, 2)
	anvilCall(t, w.world, "evm_revert", snapshot)
	anvilCall(t, w.world, "anvil_mine", "0x5")
	if changed := w.catchUp(t); !changed[w.bob] || !changed[w.carol] {
		t.Errorf("the rolled-back rental concerns %v, want both renters", changed)
	}
	w.assertPassesMatchChain(t, 1, 2)

	// A rental and a sale in one block, in that order: no renter is left.
	anvilCall(t, w.world, "evm_setAutomine", false)
	rent, err := w.pass.SetUser(w.opts(t, devchain.Key(1), nil), big.NewInt(1), w.carol, w.now(t)+3000)
	if err != nil {
		t.Fatal(err)
	}
	sell, err := w.pass.TransferFrom(w.opts(t, devchain.Key(1), nil), w.alice, w.bob, big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	anvilCall(t, w.world, "evm_mine")
	anvilCall(t, w.world, "evm_setAutomine", true)
	w.mined(t)(rent, nil)
	w.mined(t)(sell, nil)
	if changed := w.catchUp(t); !changed[w.carol] || !changed[w.bob] || !changed[w.alice] {
		t.Errorf("the sale concerns %v, want the renter, the seller and the buyer", changed)
	}
	w.assertPassesMatchChain(t, 1, 2)
	if got, _, _ := w.f.store.PassesOf(w.carol, w.addr); len(got) != 0 {
		t.Errorf("the renter keeps %+v after the sale", got)
	}

	// A burnt pass is gone, its subscription with it.
	w.mined(t)(w.pass.Burn(w.opts(t, devchain.Key(2), nil), big.NewInt(2)))
	w.catchUp(t)
	w.assertPassesMatchChain(t, 1, 2)
}

// A store made before passes were recorded lacks them for the blocks it
// applied: it starts over rather than answering without them.
func TestOlderStoresAreIndexedAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	config := Config{ChainID: 31337}
	old, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	configJSON, _ := json.Marshal(config)
	err = old.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketHoldings); err != nil {
			return err
		}
		if err := meta.Put(keyConfig, configJSON); err != nil {
			return err
		}
		return setCheckpoint(tx, Checkpoint{Number: 42})
	})
	if err != nil || old.Close() != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(path, config)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Checkpoint(); ok || !s.Reindexed {
		t.Errorf("an older store kept its checkpoint (reindexed %v)", s.Reindexed)
	}
	if _, err := s.Apply(nil, Checkpoint{Number: 7}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if s, err = OpenStore(path, config); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if cp, _ := s.Checkpoint(); cp.Number != 7 || s.Reindexed {
		t.Errorf("a current store was not kept: checkpoint %d, reindexed %v", cp.Number, s.Reindexed)
	}
}
