// Package solana reads Solana holdings over JSON-RPC: SPL Token and
// Token-2022 accounts of an owner, and Metaplex metadata (collection,
// verified) of their mints.
package solana

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	sol "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/rpc"
)

// Genesis hashes of the public clusters, to check that an RPC URL serves
// the network a gate names.
var GenesisHashes = map[string]string{
	"mainnet-beta": "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d",
	"devnet":       "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG",
	"testnet":      "4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY",
}

// Program ids.
var (
	TokenProgram    = sol.TokenProgramID
	Token2022       = sol.Token2022ProgramID
	MetadataProgram = sol.TokenMetadataProgramID
)

// Client asks one Solana node, with a timeout on every call.
type Client struct {
	rpc     *rpc.Client
	Timeout time.Duration
}

// NewClient talks to an http(s) JSON-RPC endpoint.
func NewClient(url string) *Client { return &Client{rpc: rpc.New(url), Timeout: 5 * time.Second} }

func (c *Client) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.Timeout)
}

// GenesisHash asks getGenesisHash.
func (c *Client) GenesisHash(ctx context.Context) (string, error) {
	ctx, cancel := c.ctx(ctx)
	defer cancel()
	h, err := c.rpc.GetGenesisHash(ctx)
	if err != nil {
		return "", fmt.Errorf("getGenesisHash: %w", err)
	}
	return h.String(), nil
}

// AccountOwner returns the program that owns an account, or false when the
// account does not exist.
func (c *Client) AccountOwner(ctx context.Context, account string) (string, bool, error) {
	key, err := sol.PublicKeyFromBase58(account)
	if err != nil {
		return "", false, fmt.Errorf("%q is not a base58 public key: %w", account, err)
	}
	ctx, cancel := c.ctx(ctx)
	defer cancel()
	res, err := c.rpc.GetAccountInfoWithOpts(ctx, key, &rpc.GetAccountInfoOpts{Encoding: sol.EncodingBase64})
	if errors.Is(err, rpc.ErrNotFound) || (err == nil && (res == nil || res.Value == nil)) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("getAccountInfo: %w", err)
	}
	return res.Value.Owner.String(), true, nil
}

// TokenHolding is a token account with a positive balance.
type TokenHolding struct {
	Mint    sol.PublicKey
	Amount  uint64
	Program sol.PublicKey
}

// Holdings lists the SPL Token and Token-2022 accounts of owner with a
// positive balance.
func (c *Client) Holdings(ctx context.Context, owner string) ([]TokenHolding, error) {
	key, err := sol.PublicKeyFromBase58(owner)
	if err != nil {
		return nil, fmt.Errorf("%q is not a base58 public key: %w", owner, err)
	}
	var out []TokenHolding
	for _, program := range []sol.PublicKey{TokenProgram, Token2022} {
		ctx, cancel := c.ctx(ctx)
		res, err := c.rpc.GetTokenAccountsByOwner(ctx, key, &rpc.GetTokenAccountsConfig{ProgramId: program.ToPointer()},
			&rpc.GetTokenAccountsOpts{Encoding: sol.EncodingBase64})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("getTokenAccountsByOwner (%s): %w", program, err)
		}
		for _, acc := range res.Value {
			data := acc.Account.Data.GetBinary()
			// SPL token account: mint (32) | owner (32) | amount (u64 LE) | ...
			// Token-2022 accounts start the same way.
			if len(data) < 72 {
				continue
			}
			amount := binary.LittleEndian.Uint64(data[64:72])
			if amount == 0 || sol.PublicKeyFromBytes(data[32:64]) != key {
				continue
			}
			out = append(out, TokenHolding{Mint: sol.PublicKeyFromBytes(data[0:32]), Amount: amount, Program: program})
		}
	}
	return out, nil
}

// HoldsVerifiedCollection tells whether owner holds a token whose Metaplex
// metadata names collection, verified.
func (c *Client) HoldsVerifiedCollection(ctx context.Context, owner, collection string) (bool, error) {
	want, err := sol.PublicKeyFromBase58(collection)
	if err != nil {
		return false, fmt.Errorf("collection %q is not a base58 public key: %w", collection, err)
	}
	holdings, err := c.Holdings(ctx, owner)
	if err != nil || len(holdings) == 0 {
		return false, err
	}
	pdas := make([]sol.PublicKey, len(holdings))
	for i, h := range holdings {
		if pdas[i], _, err = sol.FindTokenMetadataAddress(h.Mint); err != nil {
			return false, fmt.Errorf("metadata address of %s: %w", h.Mint, err)
		}
	}
	ctx, cancel := c.ctx(ctx)
	defer cancel()
	res, err := c.rpc.GetMultipleAccountsWithOpts(ctx, pdas, &rpc.GetMultipleAccountsOpts{Encoding: sol.EncodingBase64})
	if err != nil {
		return false, fmt.Errorf("getMultipleAccounts (metadata): %w", err)
	}
	for i, acc := range res.Value {
		// Only the metadata program can write a verified collection; an
		// account at the PDA owned by anyone else proves nothing.
		if acc == nil || acc.Owner != MetadataProgram {
			continue
		}
		md, err := DecodeMetadata(acc.Data.GetBinary())
		if err != nil || md.Mint != holdings[i].Mint {
			continue
		}
		if md.Collection != nil && md.Collection.Verified && md.Collection.Key == want {
			return true, nil
		}
	}
	return false, nil
}

// SignInChainID is how a Sign-In With Solana message names a cluster:
// "mainnet" for what RPC providers and the API call "mainnet-beta".
func SignInChainID(network string) string {
	if network == "mainnet-beta" {
		return "mainnet"
	}
	return network
}
