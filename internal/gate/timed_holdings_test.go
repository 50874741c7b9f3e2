package gate_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// chainClock is the evaluator's injected clock, kept at the chain's time:
// anvil's evm_increaseTime moves both, and no test sleeps.
type chainClock struct {
	t     *testing.T
	anvil *devchain.Anvil
}

func (c chainClock) Now() time.Time {
	head, err := c.anvil.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return time.Unix(int64(head.Time), 0)
}

func (c chainClock) travel(d time.Duration) {
	if err := c.anvil.RPC.Call(nil, "evm_increaseTime", int64(d/time.Second)); err != nil {
		c.t.Fatal(err)
	}
	if err := c.anvil.RPC.Call(nil, "evm_mine"); err != nil {
		c.t.Fatal(err)
	}
}

// transactor signs key's transactions on anvil, paying value.
func transactor(t testing.TB, anvil *devchain.Anvil, key *ecdsa.PrivateKey, value *big.Int) *bind.TransactOpts {
	o, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(anvil.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	o.Value = value
	return o
}

func send(t *testing.T, anvil *devchain.Anvil) func(*types.Transaction, error) {
	return func(tx *types.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r, err := bind.WaitMined(context.Background(), anvil.Client, tx); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction failed: %v", err)
		}
	}
}

// Subscriptions, rentals and Unlock keys end at a time with no chain event:
// the decision says until when, is not remembered past it, and says
// "expired" after it; a renewal brings access back.
func TestTimedPassesAgainstAnvil(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	clock := chainClock{t: t, anvil: anvil}
	creator, holder, renter := devchain.Key(0), devchain.Key(1), devchain.Key(2)
	opts := func(value *big.Int) *bind.TransactOpts { return transactor(t, anvil, creator, value) }
	const month = 30 * 24 * time.Hour
	price := big.NewInt(1e15)
	passAddr, tx, pass, err := passes.DeployStreamGatePass(opts(nil), anvil.Client, "P", "P", devchain.Address(creator),
		uint64(month/time.Second), price, devchain.Address(creator), big.NewInt(0))
	send(t, anvil)(tx, err)
	send(t, anvil)(pass.Mint(opts(nil), devchain.Address(holder), big.NewInt(1), uint64(month/time.Second)))
	client, err := evm.Dial(context.Background(), anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	e := &gate.Evaluator{Holdings: &gate.EVMHoldings{Client: client}, Now: clock.Now}
	subscription := gate.Policy{Name: "sub", CacheTTL: 365 * 24 * time.Hour,
		Conditions: []gate.Condition{{Standard: gate.ERC5643, Contract: passAddr.Hex(), TokenIDs: []string{"1"}}}}

	expires, err := pass.ExpiresAt(&bind.CallOpts{}, big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	d := e.Evaluate(context.Background(), subscription, devchain.Address(holder).Hex())
	if !d.Allowed || d.Until.Unix() != int64(expires) {
		t.Fatalf("subscriber: %+v, want allowed until %d", d, expires)
	}
	if d := e.Evaluate(context.Background(), subscription, devchain.Address(renter).Hex()); d.Allowed {
		t.Errorf("a stranger is allowed: %+v", d)
	}
	if d := e.Evaluate(context.Background(), subscription, devchain.Address(holder).Hex()); !d.Cached {
		t.Error("the decision is not cached")
	}
	// The month passes: no event, yet the cached decision ends with it.
	clock.travel(month + time.Second)
	d = e.Evaluate(context.Background(), subscription, devchain.Address(holder).Hex())
	if d.Allowed || d.Cached || d.Reason != gate.ReasonExpired || d.Until.Unix() != int64(expires) {
		t.Fatalf("after the expiry: %+v, want refused as expired at %d, not from the cache", d, expires)
	}
	// A renewal (what an indexer's SubscriptionUpdate makes the evaluator
	// forget) brings it back.
	send(t, anvil)(pass.RenewSubscription(opts(price), big.NewInt(1), uint64(month/time.Second)))
	e.Forget(devchain.Address(holder).Hex())
	if d := e.Evaluate(context.Background(), subscription, devchain.Address(holder).Hex()); !d.Allowed || !d.Until.After(clock.Now()) {
		t.Errorf("after the renewal: %+v", d)
	}

	// Rentals: the renter until the rental ends; the owner not meanwhile,
	// unless owners count during rentals; the owner again after.
	rental := gate.Policy{Name: "rent", Conditions: []gate.Condition{{Standard: gate.ERC4907, Contract: passAddr.Hex(), TokenIDs: []string{"1"}}}}
	ownersToo := rental
	ownersToo.Name, ownersToo.Conditions = "rent-owners", []gate.Condition{{Standard: gate.ERC4907, Contract: passAddr.Hex(), TokenIDs: []string{"1"}, OwnersDuringRental: true}}
	if d := e.Evaluate(context.Background(), rental, devchain.Address(holder).Hex()); !d.Allowed || !d.Until.IsZero() {
		t.Errorf("owner, no rental: %+v, want allowed with no end", d)
	}
	holderOpts, _ := bind.NewKeyedTransactorWithChainID(holder, big.NewInt(anvil.ChainID))
	rentalEnd := clock.Now().Add(time.Hour)
	send(t, anvil)(pass.SetUser(holderOpts, big.NewInt(1), devchain.Address(renter), uint64(rentalEnd.Unix())))
	if d := e.Evaluate(context.Background(), rental, devchain.Address(renter).Hex()); !d.Allowed || !d.Until.Equal(rentalEnd) {
		t.Errorf("renter: %+v, want allowed until %s", d, rentalEnd)
	}
	if d := e.Evaluate(context.Background(), rental, devchain.Address(holder).Hex()); d.Allowed {
		t.Errorf("owner during the rental: %+v, want refused", d)
	}
	if d := e.Evaluate(context.Background(), ownersToo, devchain.Address(holder).Hex()); !d.Allowed {
		t.Errorf("owner during the rental, owners counting: %+v", d)
	}
	clock.travel(time.Hour + time.Second)
	if d := e.Evaluate(context.Background(), rental, devchain.Address(renter).Hex()); d.Allowed {
		t.Errorf("renter after the rental: %+v, want refused", d)
	}
	if d := e.Evaluate(context.Background(), rental, devchain.Address(holder).Hex()); !d.Allowed {
		t.Errorf("owner after the rental: %+v, want allowed", d)
	}

	// Unlock keys: valid until the key's expiration.
	lock := anvil.Deploy(t, "TestPublicLock")
	keyEnd := clock.Now().Add(2 * time.Hour)
	lock.Transact(t, creator, "grantKey", devchain.Address(holder), big.NewInt(keyEnd.Unix()))
	unlock := gate.Policy{Name: "lock", Conditions: []gate.Condition{{Standard: gate.UnlockKey, Contract: lock.Address.Hex()}}}
	if d := e.Evaluate(context.Background(), unlock, devchain.Address(holder).Hex()); !d.Allowed || !d.Until.Equal(keyEnd) {
		t.Errorf("key holder: %+v, want allowed until %s", d, keyEnd)
	}
	if d := e.Evaluate(context.Background(), unlock, devchain.Address(renter).Hex()); d.Allowed {
		t.Errorf("no key: %+v", d)
	}
	clock.travel(2*time.Hour + time.Second)
	if d := e.Evaluate(context.Background(), unlock, devchain.Address(holder).Hex()); d.Allowed {
		t.Errorf("expired key: %+v, want refused", d)
	}
}
