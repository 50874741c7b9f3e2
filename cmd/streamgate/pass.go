package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/redact"
)

const passUsage = `usage: streamgate pass <action> [flags]

A creator's passes (StreamGatePass + PassSale) on an EVM chain. The key comes
from --key-file or $STREAMGATE_PRIVATE_KEY, never from a flag; the RPC URL
from --rpc or $STREAMGATE_RPC_URL (provider URLs embed API keys).

actions:
  deploy     deploy a pass and its sale; the sale becomes the pass's minter
  set-price  set the price of a period (wei, or the ERC-20's smallest unit)
  mint       give a token, valid for some periods
  rent       lend a token to a user until a time (ERC-4907)
  show       a token's owner, expiry, user and rental end
`

func runPass(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Print(passUsage)
		if len(args) == 0 {
			return errors.New("no action")
		}
		return flag.ErrHelp
	}
	action, args := args[0], args[1:]
	fs := newFlagSet("pass " + action)
	rpcURL := fs.String("rpc", os.Getenv("STREAMGATE_RPC_URL"), "JSON-RPC URL of the chain (default $STREAMGATE_RPC_URL)")
	keyFile := fs.String("key-file", "", "file holding the hex private key (default: $"+passes.KeyEnv+")")
	pass := fs.String("pass", "", "the StreamGatePass contract")
	sale := fs.String("sale", "", "the PassSale contract")
	tokenID := fs.String("token-id", "", "token id (decimal)")
	to := fs.String("to", "", "address receiving a minted token")
	user := fs.String("user", "", "address a token is lent to")
	until := fs.String("until", "", "end of a rental (RFC 3339)")
	periods := fs.Uint64("periods", 1, "periods a minted token is valid for")
	name := fs.String("name", "StreamGate Pass", "the pass's name")
	symbol := fs.String("symbol", "SGPASS", "the pass's symbol")
	period := fs.Duration("period", 30*24*time.Hour, "length of a subscription period")
	price := fs.String("price", "", "price of a period (wei, or the ERC-20's smallest unit)")
	currency := fs.String("currency", "", "ERC-20 the sale is priced in (default: the native coin)")
	payees := fs.String("payees", "", "revenue split, address:shares,... (default: the creator, all of it); royalties go to the first")
	royaltyBps := fs.Int64("royalty-bps", 500, "royalty on resales, in basis points (ERC-2981)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rpcURL == "" {
		return errors.New("no RPC URL: give --rpc or set $STREAMGATE_RPC_URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client, err := ethclient.DialContext(ctx, *rpcURL)
	if err != nil {
		return fmt.Errorf("dial %s: %w", redact.URL(*rpcURL), err)
	}
	defer client.Close()
	address := func(flagName, value string) (common.Address, error) {
		if !common.IsHexAddress(value) {
			return common.Address{}, fmt.Errorf("--%s %q is not an address", flagName, value)
		}
		return common.HexToAddress(value), nil
	}
	number := func(flagName, value string) (*big.Int, error) {
		v, ok := new(big.Int).SetString(value, 10)
		if !ok || v.Sign() < 0 {
			return nil, fmt.Errorf("--%s %q is not a decimal number", flagName, value)
		}
		return v, nil
	}
	if action == "show" {
		passAddr, err := address("pass", *pass)
		if err != nil {
			return err
		}
		id, err := number("token-id", *tokenID)
		if err != nil {
			return err
		}
		s, err := passes.Show(ctx, client, passAddr, id)
		if err != nil {
			return err
		}
		fmt.Printf("owner         %s\nexpiresAt     %s\nuser          %s\nuserExpires   %s\n",
			s.Owner.Hex(), s.ExpiresAt.Format(time.RFC3339), s.User.Hex(), s.UserExpires.Format(time.RFC3339))
		return nil
	}
	key, err := passes.LoadKey(*keyFile)
	if err != nil {
		return err
	}
	creator := &passes.Creator{Client: client, Key: key}
	switch action {
	case "deploy":
		amount, err := number("price", *price)
		if err != nil {
			return err
		}
		s := passes.Sale{Name: *name, Symbol: *symbol, Period: *period, PricePerPeriod: amount, RoyaltyBps: *royaltyBps}
		if *currency != "" {
			if s.Currency, err = address("currency", *currency); err != nil {
				return err
			}
		}
		if *payees == "" {
			*payees = crypto.PubkeyToAddress(key.PublicKey).Hex() + ":1"
		}
		for _, part := range strings.Split(*payees, ",") {
			addr, share, _ := strings.Cut(part, ":")
			a, err := address("payees", addr)
			if err != nil {
				return err
			}
			n, err := number("payees", share)
			if err != nil {
				return err
			}
			s.Payees, s.Shares = append(s.Payees, a), append(s.Shares, n)
		}
		passAddr, saleAddr, err := creator.Deploy(ctx, s)
		if err != nil {
			return err
		}
		fmt.Printf("pass  %s\nsale  %s\n", passAddr.Hex(), saleAddr.Hex())
		return nil
	case "set-price":
		passAddr, err := address("pass", *pass)
		if err != nil {
			return err
		}
		var saleAddr common.Address
		if *sale != "" {
			if saleAddr, err = address("sale", *sale); err != nil {
				return err
			}
		}
		amount, err := number("price", *price)
		if err != nil {
			return err
		}
		return creator.SetPrice(ctx, passAddr, saleAddr, amount)
	case "mint":
		passAddr, err := address("pass", *pass)
		if err != nil {
			return err
		}
		toAddr, err := address("to", *to)
		if err != nil {
			return err
		}
		id, err := number("token-id", *tokenID)
		if err != nil {
			return err
		}
		return creator.Mint(ctx, passAddr, toAddr, id, *periods)
	case "rent":
		passAddr, err := address("pass", *pass)
		if err != nil {
			return err
		}
		userAddr, err := address("user", *user)
		if err != nil {
			return err
		}
		id, err := number("token-id", *tokenID)
		if err != nil {
			return err
		}
		end, err := time.Parse(time.RFC3339, *until)
		if err != nil {
			return fmt.Errorf("--until: %w", err)
		}
		return creator.Rent(ctx, passAddr, id, userAddr, end)
	default:
		fmt.Print(passUsage)
		return fmt.Errorf("unknown action %q", action)
	}
}
