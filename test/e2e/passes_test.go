//go:build e2e

package e2e_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// passTenant follows a StreamGatePass with a ChainIndexer and gates two
// Videos by it: "members" by a running subscription (ERC-5643), "rented"
// by renting (ERC-4907). Neither gate names token ids: the index finds
// an address's passes. The gates keep the default 60 s decision cache.
func passTenant(pass common.Address, source string) string {
	gated := func(name, standard string) string {
		return fmt.Sprintf(`---
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata: {name: %[1]s, namespace: %[3]s}
spec:
  chain: {family: evm, chainId: 31337, rpc: {secretRef: {name: chain-rpc, key: url}}}
  anyOf:
  - {standard: %[2]s, contract: "%[4]s"}
  indexerRef: {name: passes}
---
`, name, standard, demo.Namespace, pass.Hex()) + gatedVideo(name, source, name, "main")
	}
	return fmt.Sprintf(`apiVersion: streamgate.io/v1alpha1
kind: ChainIndexer
metadata: {name: passes, namespace: %s}
spec:
  chain: {family: evm, chainId: 31337, rpc: {secretRef: {name: chain-rpc, key: url}}}
  contracts:
  - {address: "%s", standard: ERC721, fromBlock: 0}
  confirmations: 0
  pollInterval: 500ms
`, demo.Namespace, pass.Hex()) + gated("members", "ERC5643") + gated("rented", "ERC4907")
}

// A rented pass plays; when the rental ends the renter is refused and the
// owner may watch again, with no chain event and no cache in the way; a
// subscription runs out, and a renewal through PassSale brings access
// back as soon as the indexer sees it. Times are the chain's (anvil's
// block time is the wall clock here: nothing in e2e travels in time).
func TestPassesExpireRentAndRenew(t *testing.T) {
	ctx := context.Background()
	const period = 30 * time.Second
	creator := &passes.Creator{Client: d.Chain.Client, Key: devchain.Key(0)}
	passAddr, saleAddr, err := creator.Deploy(ctx, passes.Sale{Name: "Members", Symbol: "MEM", Period: period, PricePerPeriod: big.NewInt(1000),
		Payees: []common.Address{crypto.PubkeyToAddress(devchain.Key(0).PublicKey)}, Shares: []*big.Int{big.NewInt(1)}})
	if err != nil {
		t.Fatal(err)
	}
	sale, err := passes.NewPassSale(saleAddr, d.Chain.Client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Origin.MakeClip(ctx, "passes.mp4", 4); err != nil {
		t.Fatal(err)
	}
	apply(t, passTenant(passAddr, d.Origin.URL("passes.mp4")))
	for _, name := range []string{"members", "rented"} {
		waitForPhase(t, name, streamgatev1alpha1.VideoPhaseReady, 3*time.Minute)
	}

	// Wallets of their own, funded: the demo's keys have their own tests
	// and sign-in budgets.
	owner, renter := fundedKey(t), fundedKey(t)
	mined := func(tx *types.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", passes.RevertName(err), err)
		}
		if r, err := bind.WaitMined(ctx, d.Chain.Client, tx); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction failed: %v", err)
		}
	}
	paying := func(key *ecdsa.PrivateKey, value int64) *bind.TransactOpts {
		o, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(d.Chain.ChainID))
		if err != nil {
			t.Fatal(err)
		}
		o.Value = big.NewInt(value)
		return o
	}
	id, err := sale.NextTokenId(&bind.CallOpts{})
	if err != nil {
		t.Fatal(err)
	}
	mined(sale.Buy(paying(owner, 1000), 1))
	state, err := passes.Show(ctx, d.Chain.Client, passAddr, id)
	if err != nil {
		t.Fatal(err)
	}
	subscriptionEnd, rentalEnd := state.ExpiresAt, state.ExpiresAt
	if err := (&passes.Creator{Client: d.Chain.Client, Key: owner}).Rent(ctx, passAddr, id, crypto.PubkeyToAddress(renter.PublicKey), rentalEnd); err != nil {
		t.Fatal(err)
	}

	signIn := func(key *ecdsa.PrivateKey, video string) (int, map[string]string) {
		t.Helper()
		return signInAs(t, key, demo.Namespace+"/"+video)
	}
	waitSignIn := func(key *ecdsa.PrivateKey, video string, timeout time.Duration, want func(int, map[string]string) bool) map[string]string {
		t.Helper()
		return signInUntil(t, key, demo.Namespace+"/"+video, timeout, want)
	}
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }

	// The rented pass plays for the renter until the rental ends; its owner
	// is refused meanwhile.
	grant := waitSignIn(renter, "rented", 30*time.Second, allowed)
	if grant["accessUntil"] != stamp(rentalEnd) || grant["expiresAt"] != stamp(rentalEnd) {
		t.Errorf("renter: %v, want a token and access until the rental ends, %s", grant, stamp(rentalEnd))
	}
	plain := &viewer.Viewer{Client: &http.Client{}, Base: d.EndpointURL}
	renterPlayback, err := plain.Watch(demo.Namespace+"/rented", grant["token"])
	if err != nil || renterPlayback.Files == 0 {
		t.Fatalf("the renter's playback: %+v %v", renterPlayback, err)
	}
	if status, answer := signIn(owner, "rented"); status != http.StatusForbidden || answer["code"] != "NotHolder" {
		t.Errorf("owner during the rental: %d %v, want 403 NotHolder", status, answer)
	}
	member := waitSignIn(owner, "members", 30*time.Second, allowed)
	if member["accessUntil"] != stamp(subscriptionEnd) {
		t.Errorf("subscriber: %v, want access until %s", member, stamp(subscriptionEnd))
	}

	// Both end on the clock: each playback token is refused from then on.
	tokens := map[string]string{"rented": grant["token"], "members": member["token"]}
	refusedAt := map[string]time.Time{}
	for len(refusedAt) < len(tokens) {
		if time.Now().After(subscriptionEnd.Add(30 * time.Second)) {
			t.Fatalf("tokens still play 30 s after the passes ended (refused: %v)", refusedAt)
		}
		for video, token := range tokens {
			if _, done := refusedAt[video]; done {
				continue
			}
			resp, _, err := plain.Get("/v/" + demo.Namespace + "/" + video + "/master.m3u8?t=" + token)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode == http.StatusUnauthorized {
				refusedAt[video] = time.Now()
			} else if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s before its end: %d", video, resp.StatusCode)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	for video, at := range refusedAt {
		if at.Before(subscriptionEnd) {
			t.Errorf("the %s token was refused %s before the pass ended", video, subscriptionEnd.Sub(at))
		}
		t.Logf("%s: the playback token was refused %s after the pass ended", video, at.Sub(subscriptionEnd).Round(time.Millisecond))
	}
	if status, answer := signIn(renter, "rented"); status != http.StatusForbidden || answer["code"] != "PassExpired" || answer["accessEnded"] != stamp(rentalEnd) {
		t.Errorf("renter after the rental: %d %v, want 403 PassExpired ended %s", status, answer, stamp(rentalEnd))
	}
	// The owner's refusal was cached for 60 s, but only until the rental's end.
	if status, answer := signIn(owner, "rented"); status != http.StatusOK {
		t.Errorf("owner after the rental: %d %v, want 200", status, answer)
	}
	if status, answer := signIn(owner, "members"); status != http.StatusForbidden || answer["code"] != "PassExpired" || answer["accessEnded"] != stamp(subscriptionEnd) {
		t.Errorf("subscriber after the end: %d %v, want 403 PassExpired ended %s", status, answer, stamp(subscriptionEnd))
	}

	// A renewal through the sale: the indexer's change stream makes the
	// streaming pod forget the refusal, well before its 60 s cache would.
	renewed := time.Now()
	mined(sale.Renew(paying(renter, 3000), id, 3))
	again := waitSignIn(owner, "members", 30*time.Second, allowed)
	state, err = passes.Show(ctx, d.Chain.Client, passAddr, id)
	if err != nil {
		t.Fatal(err)
	}
	if again["accessUntil"] != stamp(state.ExpiresAt) {
		t.Errorf("after the renewal: %v, want access until %s", again, stamp(state.ExpiresAt))
	}
	t.Logf("the renewed subscriber signed in %s after the renewal was sent", time.Since(renewed).Round(100*time.Millisecond))
}

// fundedKey is a new wallet with 100 ETH on the demo's chain.
func fundedKey(t *testing.T) *ecdsa.PrivateKey {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Chain.RPC.Call(nil, "anvil_setBalance", crypto.PubkeyToAddress(key.PublicKey), "0x56BC75E2D63100000"); err != nil {
		t.Fatal(err)
	}
	return key
}

// signInAs signs in to video with key's wallet.
func signInAs(t *testing.T, key *ecdsa.PrivateKey, video string) (int, map[string]string) {
	t.Helper()
	status, answer, _, err := viewer.New(d.EndpointURL, key).SignIn(video)
	if err != nil {
		t.Fatal(err)
	}
	return status, answer
}

// signInUntil signs in once a second until want is met: a wallet may sign
// in 20 times a minute, a client address 120 times.
func signInUntil(t *testing.T, key *ecdsa.PrivateKey, video string, timeout time.Duration, want func(int, map[string]string) bool) map[string]string {
	t.Helper()
	var status int
	var answer map[string]string
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(time.Second) {
		if status, answer = signInAs(t, key, video); want(status, answer) {
			return answer
		}
	}
	t.Fatalf("%s: %d %v", video, status, answer)
	return nil
}

func allowed(status int, _ map[string]string) bool { return status == http.StatusOK }
