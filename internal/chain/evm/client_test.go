package evm_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

func TestOwnershipCallsAgainstAnvil(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	multi := anvil.Deploy(t, "TestERC1155")
	token := anvil.Deploy(t, "TestERC20")
	wallet := anvil.Deploy(t, "RejectingWallet1271")
	alice, bob := devchain.Address(devchain.Key(1)), devchain.Address(devchain.Key(2))

	nft.Transact(t, devchain.Key(0), "mint", alice, big.NewInt(7))
	nft.Transact(t, devchain.Key(0), "mint", alice, big.NewInt(8))
	nft.Transact(t, devchain.Key(1), "transferFrom", alice, bob, big.NewInt(8))
	multi.Transact(t, devchain.Key(0), "mintBatch", alice, []*big.Int{big.NewInt(1), big.NewInt(2)}, []*big.Int{big.NewInt(5), big.NewInt(1)})
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	token.Transact(t, devchain.Key(0), "mint", bob, huge)

	c, err := evm.Dial(ctx, anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	if id, err := c.ChainID(ctx); err != nil || id != 31337 {
		t.Errorf("chain id %d, %v", id, err)
	}
	if has, err := c.HasCode(ctx, nft.Address); err != nil || !has {
		t.Errorf("HasCode(contract) = %v, %v", has, err)
	}
	if has, err := c.HasCode(ctx, alice); err != nil || has {
		t.Errorf("HasCode(account) = %v, %v", has, err)
	}
	for _, tc := range []struct {
		contract common.Address
		id       [4]byte
		want     bool
	}{
		{nft.Address, evm.InterfaceERC721, true},
		{nft.Address, evm.InterfaceERC1155, false},
		{multi.Address, evm.InterfaceERC1155, true},
		{token.Address, evm.InterfaceERC721, false}, // no ERC-165 at all: reverts
		{wallet.Address, evm.InterfaceERC165, false},
	} {
		if got, err := c.SupportsInterface(ctx, tc.contract, tc.id); err != nil || got != tc.want {
			t.Errorf("SupportsInterface(%s, %x) = %v, %v; want %v", tc.contract.Hex(), tc.id, got, err, tc.want)
		}
	}
	if b, err := c.BalanceOf(ctx, nft.Address, alice); err != nil || b.Int64() != 1 {
		t.Errorf("ERC-721 balance of alice = %v, %v; want 1", b, err)
	}
	if o, err := c.OwnerOf(ctx, nft.Address, big.NewInt(8)); err != nil || o != bob {
		t.Errorf("owner of 8 = %s, %v; want bob", o.Hex(), err)
	}
	if o, err := c.OwnerOf(ctx, nft.Address, big.NewInt(99)); err != nil || o != (common.Address{}) {
		t.Errorf("owner of a token that does not exist = %s, %v; want zero", o.Hex(), err)
	}
	balances, err := c.BalanceOfBatch(ctx, multi.Address, []common.Address{alice, alice, bob}, []*big.Int{big.NewInt(1), big.NewInt(2), big.NewInt(1)})
	if err != nil || len(balances) != 3 || balances[0].Int64() != 5 || balances[1].Int64() != 1 || balances[2].Int64() != 0 {
		t.Errorf("balanceOfBatch = %v, %v; want [5 1 0]", balances, err)
	}
	if b, err := c.BalanceOf(ctx, token.Address, bob); err != nil || b.Cmp(huge) != 0 {
		t.Errorf("ERC-20 balance = %v, %v; want %v", b, err, huge)
	}
	if name, symbol := c.TokenInfo(ctx, nft.Address); name != "StreamGate Test Pass" || symbol != "SGPASS" {
		t.Errorf("token info %q %q", name, symbol)
	}
	if ok, err := c.LooksLikeERC20(ctx, token.Address); err != nil || !ok {
		t.Errorf("ERC-20 not recognised: %v, %v", ok, err)
	}
	if ok, err := c.LooksLikeERC20(ctx, wallet.Address); err != nil || ok {
		t.Errorf("a wallet recognised as ERC-20: %v, %v", ok, err)
	}
	if _, err := c.BalanceOf(ctx, wallet.Address, alice); !errors.Is(err, evm.ErrReverted) {
		t.Errorf("balanceOf on a contract without it: %v, want ErrReverted", err)
	}
}

func TestUnreachableNodeSaysWhichCallFailed(t *testing.T) {
	c, err := evm.Dial(context.Background(), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ChainID(context.Background())
	if err == nil || !strings.Contains(err.Error(), "eth_chainId") {
		t.Errorf("err = %v, want one naming eth_chainId", err)
	}
}
