package gate_test

import (
	"bytes"
	"context"
	"math/big"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/streamgate-io/streamgate/internal/chain"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// The benchmarks report throughput on all cores (b.RunParallel) as a
// custom metric; `make bench-gate` runs them and prints the comparison.

func reportRate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkSignIn: parse and check an EIP-4361 message, recover the EIP-191
// signer, then evaluate the gate from a warm cache.
func BenchmarkSignIn(b *testing.B) {
	benchmarkSignIn(b, gate.Policy{Name: "bench", Conditions: []gate.Condition{{Standard: gate.ERC721, Contract: "0x0000000000000000000000000000000000000001"}}, CacheTTL: time.Hour})
}

// BenchmarkSignInTimedPass: the same with a subscription pass (ERC-5643),
// whose cached decision carries the pass's end.
func BenchmarkSignInTimedPass(b *testing.B) {
	benchmarkSignIn(b, gate.Policy{Name: "bench-5643", CacheTTL: time.Hour,
		Conditions: []gate.Condition{{Standard: gate.ERC5643, Contract: "0x0000000000000000000000000000000000000001", TokenIDs: []string{"1"}}}})
}

func benchmarkSignIn(b *testing.B, policy gate.Policy) {
	key := devchain.Key(1)
	addr := devchain.Address(key).Hex()
	issued := time.Now().UTC().Truncate(time.Second)
	msg := "watch.example.com wants you to sign in with your Ethereum account:\n" + addr + "\n\nSign in.\n\n" +
		"URI: https://watch.example.com/watch/a/b\nVersion: 1\nChain ID: 1\nNonce: abcdefgh12345678\nIssued At: " + issued.Format(time.RFC3339)
	hash := evm.PersonalHash([]byte(msg))
	sig, err := crypto.Sign(hash[:], key)
	if err != nil {
		b.Fatal(err)
	}
	proof := chain.Proof{Message: msg, Signature: hexutil.Encode(sig)}
	origin, _ := siwe.ParseOrigin("https://watch.example.com")
	want := siwe.Expectations{Origins: []siwe.Origin{origin}, ChainID: "1", Nonce: "abcdefgh12345678", Now: issued}
	verifier := &chain.SignInVerifier{}
	evaluator := &gate.Evaluator{Holdings: alwaysHolds{}}
	evaluator.Evaluate(context.Background(), policy, addr) // warm
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m, err := verifier.Verify(context.Background(), proof, want)
			if err != nil {
				b.Fatal(err)
			}
			if d := evaluator.Evaluate(context.Background(), policy, m.Address); !d.Allowed || !d.Cached {
				b.Fatal("not allowed from the cache")
			}
		}
	})
	reportRate(b, "signins/s")
}

// BenchmarkNonce: issue a nonce cookie and consume it.
func BenchmarkNonce(b *testing.B) {
	n := gate.NewNonces(bytes.Repeat([]byte{1}, 32), 5*time.Minute)
	start := time.Now()
	var issued atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			// A spent nonce is remembered for its TTL, and at most
			// DefaultMaxSpentNonces at once (then sign-ins are refused as
			// busy): the clock moves a TTL on every 50,000, as real time
			// would at this rate, so the memory is what is measured.
			now := start.Add(time.Duration(issued.Add(1)/50_000) * 6 * time.Minute)
			nonce, cookie := n.Issue(now)
			if err := n.Consume(cookie, nonce, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	reportRate(b, "nonces/s")
}

// BenchmarkTokenVerify: check a playback token, as every segment request does.
func BenchmarkTokenVerify(b *testing.B) {
	k, err := gate.NewKey(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		b.Fatal(err)
	}
	ring := &gate.Keyring{Current: k}
	now := time.Now()
	token := ring.Issue(gate.Claims{Video: "tenant-a/intro", Address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", Expires: now.Add(time.Hour)})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ring.Verify(token, "tenant-a/intro", now); err != nil {
				b.Fatal(err)
			}
		}
	})
	reportRate(b, "tokens/s")
}

// BenchmarkOwnership: an ERC-721 ownership check against anvil, asked of the
// node every time (the baseline) and through the gate's cache.
func BenchmarkOwnership(b *testing.B) {
	anvil := devchain.StartAnvil(b)
	nft := anvil.Deploy(b, "TestERC721")
	holder := devchain.Address(devchain.Key(1))
	nft.Transact(b, devchain.Key(0), "mint", holder, big.NewInt(1))
	client, err := evm.Dial(context.Background(), anvil.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	cond := gate.Condition{Standard: gate.ERC721, Contract: nft.Address.Hex()}
	for _, ttl := range []time.Duration{0, time.Minute} {
		name := "uncached"
		if ttl > 0 {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			e := &gate.Evaluator{Holdings: &gate.EVMHoldings{Client: client}}
			var i atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					// A handful of gates, so the cache sees repeat visitors.
					p := gate.Policy{Name: "g" + strconv.Itoa(int(i.Add(1)%8)), Conditions: []gate.Condition{cond}, CacheTTL: ttl}
					if d := e.Evaluate(context.Background(), p, holder.Hex()); !d.Allowed {
						b.Fatal(d.Reason)
					}
				}
			})
			reportRate(b, "checks/s")
		})
	}
}

// BenchmarkPassDecision: an uncached rental (ERC-4907) decision for a
// renter, asked of anvil (userOf, userExpires, ownerOf of the named token,
// the baseline) and of an indexer of the pass (no token ids needed).
func BenchmarkPassDecision(b *testing.B) {
	anvil := devchain.StartAnvil(b)
	creator, renter := devchain.Key(0), devchain.Key(1)
	opts, err := bind.NewKeyedTransactorWithChainID(creator, big.NewInt(anvil.ChainID))
	if err != nil {
		b.Fatal(err)
	}
	mined := func(tx *types.Transaction, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bind.WaitMined(context.Background(), anvil.Client, tx); err != nil {
			b.Fatal(err)
		}
	}
	passAddr, tx, pass, err := passes.DeployStreamGatePass(opts, anvil.Client, "P", "P", devchain.Address(creator), 3600, big.NewInt(1), devchain.Address(creator), big.NewInt(0))
	mined(tx, err)
	mined(pass.Mint(opts, devchain.Address(creator), big.NewInt(1), 3600))
	mined(pass.SetUser(opts, big.NewInt(1), devchain.Address(renter), uint64(time.Now().Add(24*time.Hour).Unix())))
	ix := startIndexer(b, anvil, passAddr)
	ix.catchUp()
	client, err := evm.Dial(context.Background(), anvil.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	rpcHoldings := &gate.EVMHoldings{Client: client}
	for _, tc := range []struct {
		name     string
		holdings gate.Holdings
		ids      []string
	}{
		{"rpc", rpcHoldings, []string{"1"}},
		{"index", &gate.IndexerHoldings{URL: ix.server.URL, ChainID: 31337, Fallback: rpcHoldings}, nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := &gate.Evaluator{Holdings: tc.holdings}
			p := gate.Policy{Name: "rent", Conditions: []gate.Condition{{Standard: gate.ERC4907, Contract: passAddr.Hex(), TokenIDs: tc.ids}}}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if d := e.Evaluate(context.Background(), p, devchain.Address(renter).Hex()); !d.Allowed || d.Until.IsZero() {
						b.Fatalf("%+v", d)
					}
				}
			})
			reportRate(b, "decisions/s")
		})
	}
}

type alwaysHolds struct{}

func (alwaysHolds) Holds(context.Context, gate.Condition, string) (bool, error) { return true, nil }

// HoldsUntil: a pass that ends in a day, for the timed conditions.
func (alwaysHolds) HoldsUntil(_ context.Context, c gate.Condition, _ string) (bool, time.Time, error) {
	if c.Expiring() {
		return true, time.Now().Add(24 * time.Hour), nil
	}
	return true, time.Time{}, nil
}
