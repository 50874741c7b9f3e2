package passes

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// KeyEnv names the environment variable a creator's key may come from.
const KeyEnv = "STREAMGATE_PRIVATE_KEY"

// LoadKey reads a hex private key from file, else from $STREAMGATE_PRIVATE_KEY:
// never from a flag, which would land in shell history and process lists.
func LoadKey(file string) (*ecdsa.PrivateKey, error) {
	text := os.Getenv(KeyEnv)
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read the key file: %w", err)
		}
		text = string(data)
	}
	text = strings.TrimPrefix(strings.TrimSpace(text), "0x")
	if text == "" {
		return nil, fmt.Errorf("no key: give --key-file, or set $%s", KeyEnv)
	}
	key, err := crypto.HexToECDSA(text)
	if err != nil {
		return nil, errors.New("the key is not a hex secp256k1 private key") // never echo it
	}
	return key, nil
}

// Creator sends a creator's transactions to one chain.
type Creator struct {
	Client *ethclient.Client
	Key    *ecdsa.PrivateKey
}

func (c *Creator) opts(ctx context.Context, value *big.Int) (*bind.TransactOpts, error) {
	chainID, err := c.Client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	o, err := bind.NewKeyedTransactorWithChainID(c.Key, chainID)
	if err != nil {
		return nil, err
	}
	o.Context, o.Value = ctx, value
	return o, nil
}

// bound is the pass at addr, and options for transactions to it.
func (c *Creator) bound(ctx context.Context, addr common.Address) (*StreamGatePass, *bind.TransactOpts, error) {
	o, err := c.opts(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	p, err := NewStreamGatePass(addr, c.Client)
	return p, o, err
}

func (c *Creator) wait(ctx context.Context, what string, tx *types.Transaction, err error) (*types.Receipt, error) {
	if err != nil {
		if name := RevertName(err); name != "" {
			return nil, fmt.Errorf("%s: refused by the contract: %s", what, name)
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	receipt, err := bind.WaitMined(ctx, c.Client, tx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("%s: transaction %s reverted", what, tx.Hash().Hex())
	}
	return receipt, nil
}

// RevertName names the custom error (e.g. NotOwnerNorApproved) a call to a
// pass or sale reverted with, from the revert data the node returns; "" if
// it is not one of theirs.
func RevertName(err error) string {
	var dataErr rpc.DataError
	if !errors.As(err, &dataErr) {
		return ""
	}
	text, _ := dataErr.ErrorData().(string)
	data, derr := hexutil.Decode(text)
	if derr != nil || len(data) < 4 {
		return ""
	}
	for _, meta := range []*bind.MetaData{StreamGatePassMetaData, PassSaleMetaData} {
		parsed, perr := meta.GetAbi()
		if perr != nil {
			continue
		}
		for name, e := range parsed.Errors {
			if bytes.Equal(e.ID[:4], data[:4]) {
				return name
			}
		}
	}
	return ""
}

// Sale describes a pass and its sale to deploy.
type Sale struct {
	Name, Symbol   string
	Period         time.Duration
	PricePerPeriod *big.Int
	// Currency is the ERC-20 prices are in; the zero address: the native coin.
	Currency common.Address
	// Payees share revenue by Shares; RoyaltyBps (of 10,000) go to the first.
	Payees     []common.Address
	Shares     []*big.Int
	RoyaltyBps int64
}

// Deploy deploys a StreamGatePass and its PassSale, owned by the creator,
// and makes the sale the pass's minter.
func (c *Creator) Deploy(ctx context.Context, s Sale) (pass, sale common.Address, err error) {
	if s.Period < time.Second || len(s.Payees) == 0 {
		return pass, sale, errors.New("a period of at least a second and at least one payee are needed")
	}
	creator := crypto.PubkeyToAddress(c.Key.PublicKey)
	o, err := c.opts(ctx, nil)
	if err != nil {
		return pass, sale, err
	}
	pass, tx, p, err := DeployStreamGatePass(o, c.Client, s.Name, s.Symbol, creator, uint64(s.Period/time.Second), s.PricePerPeriod, s.Payees[0], big.NewInt(s.RoyaltyBps))
	if _, err := c.wait(ctx, "deploy StreamGatePass", tx, err); err != nil {
		return pass, sale, err
	}
	sale, tx, _, err = DeployPassSale(o, c.Client, pass, s.Currency, s.PricePerPeriod, creator, s.Payees, s.Shares)
	if _, err := c.wait(ctx, "deploy PassSale", tx, err); err != nil {
		return pass, sale, err
	}
	tx, err = p.SetMinter(o, sale)
	_, err = c.wait(ctx, "make the sale the minter", tx, err)
	return pass, sale, err
}

// SetPrice sets the price of a period on the pass (direct renewals) and on
// its sale.
func (c *Creator) SetPrice(ctx context.Context, pass, sale common.Address, price *big.Int) error {
	p, o, err := c.bound(ctx, pass)
	if err != nil {
		return err
	}
	tx, err := p.SetPrice(o, price)
	if _, err := c.wait(ctx, "set the pass's price", tx, err); err != nil {
		return err
	}
	if sale == (common.Address{}) {
		return nil
	}
	ps, err := NewPassSale(sale, c.Client)
	if err != nil {
		return err
	}
	tx, err = ps.SetPrice(o, price)
	_, err = c.wait(ctx, "set the sale's price", tx, err)
	return err
}

// Mint gives `to` token id, valid for periods periods (the creator mints
// without paying).
func (c *Creator) Mint(ctx context.Context, pass, to common.Address, id *big.Int, periods uint64) error {
	p, o, err := c.bound(ctx, pass)
	if err != nil {
		return err
	}
	period, err := p.Period(&bind.CallOpts{Context: ctx})
	if err != nil {
		return fmt.Errorf("period: %w", err)
	}
	tx, err := p.Mint(o, to, id, periods*period)
	_, err = c.wait(ctx, "mint", tx, err)
	return err
}

// Rent lends token id to user until the given time (the key must be the
// token's owner's, or approved).
func (c *Creator) Rent(ctx context.Context, pass common.Address, id *big.Int, user common.Address, until time.Time) error {
	p, o, err := c.bound(ctx, pass)
	if err != nil {
		return err
	}
	tx, err := p.SetUser(o, id, user, uint64(until.Unix()))
	_, err = c.wait(ctx, "rent", tx, err)
	return err
}

// TokenState is what a pass says of a token.
type TokenState struct {
	Owner       common.Address
	ExpiresAt   time.Time
	User        common.Address // zero: not rented out now
	UserExpires time.Time
}

// Show reads a token's state.
func Show(ctx context.Context, client *ethclient.Client, pass common.Address, id *big.Int) (TokenState, error) {
	p, err := NewStreamGatePass(pass, client)
	if err != nil {
		return TokenState{}, err
	}
	call := &bind.CallOpts{Context: ctx}
	var s TokenState
	if s.Owner, err = p.OwnerOf(call, id); err != nil {
		return s, fmt.Errorf("ownerOf %s: %w", id, err)
	}
	expires, err := p.ExpiresAt(call, id)
	if err != nil {
		return s, fmt.Errorf("expiresAt: %w", err)
	}
	s.ExpiresAt = time.Unix(int64(expires), 0).UTC()
	if s.User, err = p.UserOf(call, id); err != nil {
		return s, fmt.Errorf("userOf: %w", err)
	}
	userExpires, err := p.UserExpires(call, id)
	if err != nil {
		return s, fmt.Errorf("userExpires: %w", err)
	}
	s.UserExpires = time.Unix(userExpires.Int64(), 0).UTC()
	return s, nil
}
