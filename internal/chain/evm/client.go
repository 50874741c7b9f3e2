package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// Function selectors and interface ids used here.
var (
	selBalanceOf         = selector("balanceOf(address)")
	selOwnerOf           = selector("ownerOf(uint256)")
	selBalanceOfBatch    = selector("balanceOfBatch(address[],uint256[])")
	selSupportsInterface = selector("supportsInterface(bytes4)")
	selIsValidSignature  = selector("isValidSignature(bytes32,bytes)")
	selName              = selector("name()")
	selSymbol            = selector("symbol()")
	selDecimals          = selector("decimals()")
	selTotalSupply       = selector("totalSupply()")

	InterfaceERC165  = [4]byte{0x01, 0xff, 0xc9, 0xa7}
	InterfaceERC721  = [4]byte{0x80, 0xac, 0x58, 0xcd}
	InterfaceERC1155 = [4]byte{0xd9, 0xb6, 0x7a, 0x26}
	// InterfaceERC5643 (subscription NFTs) and InterfaceERC4907 (rentable
	// NFTs) are the ERC-165 ids their standards give.
	InterfaceERC5643 = [4]byte{0x8c, 0x65, 0xf8, 0x4d}
	InterfaceERC4907 = [4]byte{0xad, 0x09, 0x2b, 0x5c}
	magic1271Word    = [32]byte{0x16, 0x26, 0xba, 0x7e} // bytes4 magic value, left-aligned in an ABI word
)

// defaultTimeout bounds each call of Client's own methods.
const defaultTimeout = 5 * time.Second

// Client asks one EVM node, with a timeout on every call.
type Client struct {
	rpc     *rpc.Client
	Timeout time.Duration
}

// Dial connects to an http(s) or ws(s) JSON-RPC endpoint.
func Dial(ctx context.Context, url string) (*Client, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial RPC: %w", err)
	}
	return NewClient(c), nil
}

// Close closes the connection.
func (c *Client) Close() { c.rpc.Close() }

func (c *Client) call(ctx context.Context, result any, method string, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if err := c.rpc.CallContext(ctx, result, method, args...); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// ChainID asks eth_chainId.
func (c *Client) ChainID(ctx context.Context) (uint64, error) {
	var id hexutil.Uint64
	err := c.call(ctx, &id, "eth_chainId")
	return uint64(id), err
}

// HasCode tells whether a contract is deployed at addr.
func (c *Client) HasCode(ctx context.Context, addr common.Address) (bool, error) {
	var code hexutil.Bytes
	if err := c.call(ctx, &code, "eth_getCode", addr, "latest"); err != nil {
		return false, err
	}
	return len(code) > 0, nil
}

type callArgs struct {
	To   common.Address `json:"to"`
	Data hexutil.Bytes  `json:"data"`
}

// ErrReverted marks an eth_call that reverted: the contract does not have
// the function, or refused.
var ErrReverted = errors.New("call reverted")

// Call runs eth_call on the latest block.
func (c *Client) Call(ctx context.Context, to common.Address, data []byte) ([]byte, error) {
	var out hexutil.Bytes
	if err := c.call(ctx, &out, "eth_call", callArgs{To: to, Data: data}, "latest"); err != nil {
		if isRevert(err) {
			return nil, fmt.Errorf("%w: %v", ErrReverted, err)
		}
		return nil, err
	}
	return out, nil
}

// CallBatch runs several eth_calls in one JSON-RPC batch. Each result or
// error lands at the index of its call.
func (c *Client) CallBatch(ctx context.Context, to []common.Address, data [][]byte) ([][]byte, []error, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	outs := make([]hexutil.Bytes, len(to))
	batch := make([]rpc.BatchElem, len(to))
	for i := range to {
		batch[i] = rpc.BatchElem{Method: "eth_call", Args: []any{callArgs{To: to[i], Data: data[i]}, "latest"}, Result: &outs[i]}
	}
	if err := c.rpc.BatchCallContext(ctx, batch); err != nil {
		return nil, nil, fmt.Errorf("eth_call batch: %w", err)
	}
	results := make([][]byte, len(to))
	errs := make([]error, len(to))
	for i, b := range batch {
		results[i] = outs[i]
		if b.Error != nil {
			errs[i] = fmt.Errorf("eth_call: %w", b.Error)
			if isRevert(b.Error) {
				errs[i] = fmt.Errorf("%w: %v", ErrReverted, b.Error)
			}
		}
	}
	return results, errs, nil
}

func isRevert(err error) bool {
	var de rpc.DataError
	if errors.As(err, &de) {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "revert") || strings.Contains(msg, "invalid opcode")
}

// SupportsInterface asks ERC-165 (false when the contract does not answer).
func (c *Client) SupportsInterface(ctx context.Context, contract common.Address, id [4]byte) (bool, error) {
	out, err := c.Call(ctx, contract, pack(selSupportsInterface, bytes4Word(id)))
	if errors.Is(err, ErrReverted) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return len(out) >= 32 && new(big.Int).SetBytes(out[:32]).Cmp(big.NewInt(1)) == 0, nil
}

// BalanceOf asks balanceOf(owner) of an ERC-721 or ERC-20 contract.
func (c *Client) BalanceOf(ctx context.Context, contract, owner common.Address) (*big.Int, error) {
	out, err := c.Call(ctx, contract, pack(selBalanceOf, addressWord(owner)))
	if err != nil {
		return nil, fmt.Errorf("balanceOf on %s: %w", contract.Hex(), err)
	}
	return uintResult(out, "balanceOf")
}

// OwnerOf asks ownerOf(tokenId) of an ERC-721 contract; a reverted call
// (no such token) is the zero address.
func (c *Client) OwnerOf(ctx context.Context, contract common.Address, tokenID *big.Int) (common.Address, error) {
	out, err := c.Call(ctx, contract, pack(selOwnerOf, uintWord(tokenID)))
	if errors.Is(err, ErrReverted) {
		return common.Address{}, nil
	}
	if err != nil {
		return common.Address{}, fmt.Errorf("ownerOf on %s: %w", contract.Hex(), err)
	}
	if len(out) < 32 {
		return common.Address{}, fmt.Errorf("ownerOf on %s: short answer", contract.Hex())
	}
	return common.BytesToAddress(out[12:32]), nil
}

// BalanceOfBatch asks ERC-1155 balanceOfBatch(owners, ids).
func (c *Client) BalanceOfBatch(ctx context.Context, contract common.Address, owners []common.Address, ids []*big.Int) ([]*big.Int, error) {
	if len(owners) != len(ids) {
		return nil, fmt.Errorf("balanceOfBatch: %d owners for %d ids", len(owners), len(ids))
	}
	// Two dynamic arrays: head offsets, then each array's length and items.
	n := len(ids)
	words := [][]byte{uintWord(big.NewInt(64)), uintWord(big.NewInt(int64(64 + 32 + 32*n))), uintWord(big.NewInt(int64(n)))}
	for _, o := range owners {
		words = append(words, addressWord(o))
	}
	words = append(words, uintWord(big.NewInt(int64(n))))
	for _, id := range ids {
		words = append(words, uintWord(id))
	}
	out, err := c.Call(ctx, contract, pack(selBalanceOfBatch, words...))
	if err != nil {
		return nil, fmt.Errorf("balanceOfBatch on %s: %w", contract.Hex(), err)
	}
	// offset, length, items
	if len(out) < 64+32*n || new(big.Int).SetBytes(out[32:64]).Int64() != int64(n) {
		return nil, fmt.Errorf("balanceOfBatch on %s: malformed answer", contract.Hex())
	}
	balances := make([]*big.Int, n)
	for i := range balances {
		balances[i] = new(big.Int).SetBytes(out[64+32*i : 96+32*i])
	}
	return balances, nil
}

// IsValidSignature asks an EIP-1271 wallet whether sig signs hash.
func (c *Client) IsValidSignature(ctx context.Context, wallet common.Address, hash common.Hash, sig []byte) (bool, error) {
	// bytes32 hash, offset of bytes, length, padded data
	padded := make([]byte, (len(sig)+31)/32*32)
	copy(padded, sig)
	data := pack(selIsValidSignature, hash[:], uintWord(big.NewInt(64)), uintWord(big.NewInt(int64(len(sig)))), padded)
	out, err := c.Call(ctx, wallet, data)
	if errors.Is(err, ErrReverted) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("isValidSignature on %s: %w", wallet.Hex(), err)
	}
	// The whole return word must be the magic value: a contract that
	// echoes its call data starts its answer with the selector too.
	return len(out) == 32 && [32]byte(out) == magic1271Word, nil
}

// TokenInfo reads name() and symbol() when the contract has them.
func (c *Client) TokenInfo(ctx context.Context, contract common.Address) (name, symbol string) {
	outs, errs, err := c.CallBatch(ctx, []common.Address{contract, contract}, [][]byte{selName[:], selSymbol[:]})
	if err != nil {
		return "", ""
	}
	if errs[0] == nil {
		name = decodeString(outs[0])
	}
	if errs[1] == nil {
		symbol = decodeString(outs[1])
	}
	return name, symbol
}

// LooksLikeERC20 tells whether decimals() and totalSupply() both answer.
// AnswersGetHasValidKey tells a contract that answers like an Unlock
// PublicLock (getHasValidKey(address) returns a word; Unlock's locks do not
// declare an ERC-165 id for it).
func (c *Client) AnswersGetHasValidKey(ctx context.Context, lock common.Address) (bool, error) {
	out, err := c.Call(ctx, lock, GetHasValidKeyCall(common.Address{}))
	if errors.Is(err, ErrReverted) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return len(out) >= 32, nil
}

func (c *Client) LooksLikeERC20(ctx context.Context, contract common.Address) (bool, error) {
	outs, errs, err := c.CallBatch(ctx, []common.Address{contract, contract}, [][]byte{selDecimals[:], selTotalSupply[:]})
	if err != nil {
		return false, err
	}
	for i := range outs {
		if errs[i] != nil {
			if errors.Is(errs[i], ErrReverted) {
				return false, nil
			}
			return false, errs[i]
		}
		if len(outs[i]) < 32 {
			return false, nil
		}
	}
	return true, nil
}
