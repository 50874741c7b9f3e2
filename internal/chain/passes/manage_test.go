package passes_test

import (
	"context"
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

// The creator's command line, as functions: deploy, price, mint, rent, show.
func TestCreatorManagesPasses(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	ctx := context.Background()
	creator := &passes.Creator{Client: anvil.Client, Key: devchain.Key(0)}
	holder, renter := devchain.Address(devchain.Key(1)), devchain.Address(devchain.Key(2))
	pass, sale, err := creator.Deploy(ctx, passes.Sale{Name: "Pass", Symbol: "P", Period: 30 * 24 * time.Hour, PricePerPeriod: big.NewInt(1000),
		Payees: []common.Address{devchain.Address(devchain.Key(0)), devchain.Address(devchain.Key(3))}, Shares: []*big.Int{big.NewInt(3), big.NewInt(1)}, RoyaltyBps: 250})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := passes.NewStreamGatePass(pass, anvil.Client)
	if minter, err := p.Minter(nil); err != nil || minter != sale {
		t.Errorf("minter = %s, %v; want the sale %s", minter, err, sale)
	}
	if err := creator.SetPrice(ctx, pass, sale, big.NewInt(2000)); err != nil {
		t.Fatal(err)
	}
	s, _ := passes.NewPassSale(sale, anvil.Client)
	if price, _ := s.PricePerPeriod(nil); price.Int64() != 2000 {
		t.Errorf("sale price %s", price)
	}
	if err := creator.Mint(ctx, pass, holder, big.NewInt(7), 2); err != nil {
		t.Fatal(err)
	}
	holderCreator := &passes.Creator{Client: anvil.Client, Key: devchain.Key(1)}
	end := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := holderCreator.Rent(ctx, pass, big.NewInt(7), renter, end); err != nil {
		t.Fatal(err)
	}
	if err := creator.Rent(ctx, pass, big.NewInt(7), renter, end); err == nil || !strings.Contains(err.Error(), "refused by the contract: NotOwnerNorApproved") {
		t.Errorf("lending someone else's token: %v, want NotOwnerNorApproved", err)
	}
	state, err := passes.Show(ctx, anvil.Client, pass, big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	if state.Owner != holder || state.User != renter || !state.UserExpires.Equal(end) || state.ExpiresAt.Before(time.Now().Add(59*24*time.Hour)) {
		t.Errorf("state = %+v", state)
	}
}

// Keys come from a file or the environment, and a bad one is not echoed.
func TestKeysComeFromAFileOrTheEnvironment(t *testing.T) {
	want := devchain.Key(1)
	secret := hex.EncodeToString(crypto.FromECDSA(want))
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte("0x"+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passes.KeyEnv, "")
	if _, err := passes.LoadKey(""); err == nil || !strings.Contains(err.Error(), passes.KeyEnv) {
		t.Errorf("no key: %v", err)
	}
	if got, err := passes.LoadKey(file); err != nil || !got.Equal(want) {
		t.Errorf("from the file: %v", err)
	}
	t.Setenv(passes.KeyEnv, secret)
	if got, err := passes.LoadKey(""); err != nil || !got.Equal(want) {
		t.Errorf("from the environment: %v", err)
	}
	bad := "zz" + secret[2:]
	t.Setenv(passes.KeyEnv, bad)
	if _, err := passes.LoadKey(""); err == nil || strings.Contains(err.Error(), bad[2:10]) {
		t.Errorf("a bad key: %v (must not be echoed)", err)
	}
}
