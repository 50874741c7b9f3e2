package passes_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

const month = 30 * 24 * 3600

var price = big.NewInt(1e16) // 0.01 ETH a period

type chain struct {
	t     *testing.T
	anvil *devchain.Anvil
	gas   map[string]uint64
}

func (c *chain) opts(key *ecdsa.PrivateKey, value *big.Int) *bind.TransactOpts {
	o, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(c.anvil.ChainID))
	if err != nil {
		c.t.Fatal(err)
	}
	o.Value = value
	return o
}

// mined waits for tx and fails unless it succeeded; it records its gas.
// (A function to apply, so that a binding's two results go straight in.)
func (c *chain) mined(what string) func(tx *types.Transaction, err error) *types.Receipt {
	return func(tx *types.Transaction, err error) *types.Receipt { return c.minedTx(what, tx, err) }
}

func (c *chain) minedTx(what string, tx *types.Transaction, err error) *types.Receipt {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	receipt, err := bind.WaitMined(context.Background(), c.anvil.Client, tx)
	if err != nil || receipt.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("%s: status %v, %v", what, receipt, err)
	}
	if c.gas[what] == 0 {
		c.gas[what] = receipt.GasUsed
	}
	return receipt
}

// reverts fails unless the call was refused with the named custom error
// (the node estimates gas first, and says why).
func (c *chain) reverts(what, reason string) func(tx *types.Transaction, err error) {
	return func(tx *types.Transaction, err error) { c.revertsTx(what, reason, tx, err) }
}

func (c *chain) revertsTx(what, reason string, tx *types.Transaction, err error) {
	c.t.Helper()
	if err == nil {
		receipt, werr := bind.WaitMined(context.Background(), c.anvil.Client, tx)
		if werr == nil && receipt.Status == types.ReceiptStatusSuccessful {
			c.t.Fatalf("%s succeeded, want a revert with %s", what, reason)
		}
		c.t.Fatalf("%s was mined and failed; want it refused up front with %s", what, reason)
	}
	if got := passes.RevertName(err); got != reason {
		c.t.Fatalf("%s: reverted with %q (%v), want %s", what, got, err, reason)
	}
}

func (c *chain) travel(seconds int64) {
	c.t.Helper()
	if err := c.anvil.RPC.Call(nil, "evm_increaseTime", seconds); err != nil {
		c.t.Fatal(err)
	}
	if err := c.anvil.RPC.Call(nil, "evm_mine"); err != nil {
		c.t.Fatal(err)
	}
}

func (c *chain) now() uint64 {
	head, err := c.anvil.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return head.Time
}

func TestPassSubscriptionsRentalsRoyaltiesAndSale(t *testing.T) {
	c := &chain{t: t, anvil: devchain.StartAnvil(t), gas: map[string]uint64{}}
	creator, buyer, renter, payee := devchain.Key(0), devchain.Key(1), devchain.Key(2), devchain.Key(3)
	call := &bind.CallOpts{}

	passAddr, tx, pass, err := passes.DeployStreamGatePass(c.opts(creator, nil), c.anvil.Client, "Creator Pass", "CPASS",
		devchain.Address(creator), month, price, devchain.Address(payee), big.NewInt(500))
	c.mined("deploy StreamGatePass")(tx, err)
	_, tx, sale, err := passes.DeployPassSale(c.opts(creator, nil), c.anvil.Client, passAddr, common.Address{}, price,
		devchain.Address(creator), []common.Address{devchain.Address(creator), devchain.Address(payee)}, []*big.Int{big.NewInt(2), big.NewInt(1)})
	c.mined("deploy PassSale")(tx, err)
	receipt, err := bind.WaitMined(context.Background(), c.anvil.Client, tx)
	if err != nil {
		t.Fatal(err)
	}
	c.mined("setMinter")(pass.SetMinter(c.opts(creator, nil), receipt.ContractAddress))

	// ERC-165 for everything the pass speaks.
	for name, id := range map[string][4]byte{"ERC-721": {0x80, 0xac, 0x58, 0xcd}, "ERC-2981": {0x2a, 0x55, 0x20, 0x5a},
		"ERC-5643": {0x8c, 0x65, 0xf8, 0x4d}, "ERC-4907": {0xad, 0x09, 0x2b, 0x5c}} {
		if ok, err := pass.SupportsInterface(call, id); err != nil || !ok {
			t.Errorf("supportsInterface(%s) = %v, %v", name, ok, err)
		}
	}

	// A sale mints a pass valid for the periods paid, and splits the price 2:1.
	start := c.now()
	c.reverts("a buy paying too little", "WrongPayment")(sale.Buy(c.opts(buyer, big.NewInt(1)), 1))
	c.mined("buy (1 period)")(sale.Buy(c.opts(buyer, price), 1))
	tokenID := big.NewInt(1)
	if owner, err := pass.OwnerOf(call, tokenID); err != nil || owner != devchain.Address(buyer) {
		t.Fatalf("ownerOf(1) = %s, %v", owner, err)
	}
	expires, err := pass.ExpiresAt(call, tokenID)
	if err != nil || expires < start+month || expires > c.now()+month {
		t.Errorf("expiresAt = %d, want about now + a month (%d)", expires, start+month)
	}
	if owedCreator, _ := sale.Owed(call, devchain.Address(creator)); owedCreator.Cmp(new(big.Int).Div(new(big.Int).Mul(price, big.NewInt(2)), big.NewInt(3))) != 0 {
		t.Errorf("creator owed %s", owedCreator)
	}

	// Royalties: 5 % to the payee.
	royalty, err := pass.RoyaltyInfo(call, tokenID, big.NewInt(1000))
	if err != nil || royalty.Receiver != devchain.Address(payee) || royalty.Amount.Int64() != 50 {
		t.Errorf("royaltyInfo = %+v, %v", royalty, err)
	}

	// Rentals: only the owner may lend; the user is the user until the rental ends.
	c.reverts("setUser by a non-owner", "NotOwnerNorApproved")(pass.SetUser(c.opts(renter, nil), tokenID, devchain.Address(renter), uint64(c.now()+3600)))
	c.mined("setUser")(pass.SetUser(c.opts(buyer, nil), tokenID, devchain.Address(renter), uint64(c.now()+3600)))
	if user, _ := pass.UserOf(call, tokenID); user != devchain.Address(renter) {
		t.Errorf("userOf during the rental = %s", user)
	}
	c.travel(3601)
	if user, _ := pass.UserOf(call, tokenID); user != (common.Address{}) {
		t.Errorf("userOf after the rental = %s, want none", user)
	}

	// Expiry without any event, then renewal through the sale brings it back.
	c.travel(month)
	if expires, _ := pass.ExpiresAt(call, tokenID); uint64(expires) > c.now() {
		t.Errorf("expiresAt %d is after now %d, a month later", expires, c.now())
	}
	c.reverts("an unpaid renewal on the pass", "WrongPayment")(pass.RenewSubscription(c.opts(buyer, nil), tokenID, month))
	c.mined("renew (2 periods, through the sale)")(sale.Renew(c.opts(renter, new(big.Int).Mul(price, big.NewInt(2))), tokenID, 2))
	if expires, _ := pass.ExpiresAt(call, tokenID); expires < c.now()+2*month-60 {
		t.Errorf("expiresAt after renewing from expiry = %d, want now + 2 months", expires)
	}

	// Paused: no sale; unpaused: the price the creator sets.
	c.mined("pause")(sale.Pause(c.opts(creator, nil)))
	c.reverts("a buy while paused", "EnforcedPause")(sale.Buy(c.opts(buyer, price), 1))
	c.mined("unpause")(sale.Unpause(c.opts(creator, nil)))
	c.reverts("setPrice by a stranger", "OwnableUnauthorizedAccount")(sale.SetPrice(c.opts(buyer, nil), big.NewInt(1)))

	// Burnt: no renewal.
	c.mined("burn")(pass.Burn(c.opts(buyer, nil), tokenID))
	c.reverts("a renewal of a burnt token", "ERC721NonexistentToken")(sale.Renew(c.opts(buyer, price), tokenID, 1))

	// Pull payments: each payee takes what it is owed, once.
	before, _ := c.anvil.Client.BalanceAt(context.Background(), devchain.Address(payee), nil)
	owedPayee, _ := sale.Owed(call, devchain.Address(payee))
	receipt = c.mined("withdraw")(sale.Withdraw(c.opts(payee, nil)))
	after, _ := c.anvil.Client.BalanceAt(context.Background(), devchain.Address(payee), nil)
	fee := new(big.Int).Mul(new(big.Int).SetUint64(receipt.GasUsed), receipt.EffectiveGasPrice)
	if got := new(big.Int).Sub(new(big.Int).Add(after, fee), before); got.Cmp(owedPayee) != 0 || owedPayee.Sign() == 0 {
		t.Errorf("payee received %s, was owed %s", got, owedPayee)
	}
	c.reverts("a second withdraw", "NothingOwed")(sale.Withdraw(c.opts(payee, nil)))

	for what, gas := range c.gas {
		t.Logf("gas %-40s %7d", what, gas)
	}
}

// A buyer that re-enters the sale from the mint callback gets one pass and
// pays once; a payee that re-enters withdraw from its payment is paid
// nothing, and its balance stays owed (no funds lost).
func TestSaleResistsReentrancy(t *testing.T) {
	c := &chain{t: t, anvil: devchain.StartAnvil(t), gas: map[string]uint64{}}
	creator := devchain.Key(0)
	call := &bind.CallOpts{}
	attacker := c.anvil.Deploy(t, "ReentrantBuyer")

	passAddr, tx, pass, err := passes.DeployStreamGatePass(c.opts(creator, nil), c.anvil.Client, "P", "P",
		devchain.Address(creator), month, price, devchain.Address(creator), big.NewInt(0))
	c.mined("deploy")(tx, err)
	// The attacker is a payee too.
	saleAddr, tx, sale, err := passes.DeployPassSale(c.opts(creator, nil), c.anvil.Client, passAddr, common.Address{}, price,
		devchain.Address(creator), []common.Address{attacker.Address}, []*big.Int{big.NewInt(1)})
	c.mined("deploy sale")(tx, err)
	c.mined("setMinter")(pass.SetMinter(c.opts(creator, nil), saleAddr))
	attacker.Transact(t, creator, "setSale", saleAddr)

	// It pays for two (one to re-enter with) and gets one.
	data, err := attacker.ABI.Pack("attack", price)
	if err != nil {
		t.Fatal(err)
	}
	value := new(big.Int).Mul(price, big.NewInt(2))
	txOpts := c.opts(creator, value)
	raw := bind.NewBoundContract(attacker.Address, attacker.ABI, c.anvil.Client, c.anvil.Client, c.anvil.Client)
	tx, err = raw.RawTransact(txOpts, data)
	c.mined("attack")(tx, err)
	if n, _ := pass.BalanceOf(call, attacker.Address); n.Int64() != 1 {
		t.Errorf("the re-entering buyer holds %d passes, want 1", n)
	}
	var out []any
	if err := raw.Call(call, &out, "reentered"); err != nil || len(out) != 1 || out[0] != false {
		t.Errorf("re-entered the sale: %v %v", out, err)
	}
	owed, _ := sale.Owed(call, attacker.Address)
	if owed.Cmp(price) != 0 {
		t.Errorf("owed after one sale = %s, want %s", owed, price)
	}
	// Its withdraw re-enters from receive(): the payment fails and nothing is lost.
	data, _ = attacker.ABI.Pack("drain")
	tx, err = raw.RawTransact(c.opts(creator, nil), data)
	c.reverts("a re-entering withdraw", "TransferFailed")(tx, err)
	if still, _ := sale.Owed(call, attacker.Address); still.Cmp(price) != 0 {
		t.Errorf("owed after the failed withdraw = %s, want %s kept", still, price)
	}
	if held, _ := c.anvil.Client.BalanceAt(context.Background(), saleAddr, nil); held.Cmp(price) != 0 {
		t.Errorf("the sale holds %s, want %s", held, price)
	}
}
