package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// The events a token transfer emits.
var (
	TopicTransfer       = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
	TopicTransferSingle = crypto.Keccak256Hash([]byte("TransferSingle(address,address,address,uint256,uint256)"))
	TopicTransferBatch  = crypto.Keccak256Hash([]byte("TransferBatch(address,address,address,uint256[],uint256[])"))
)

// The events of passes that end at a time: an ERC-5643 subscription's new
// expiry and an ERC-4907 rental.
var (
	TopicSubscriptionUpdate = crypto.Keccak256Hash([]byte("SubscriptionUpdate(uint256,uint64)"))
	TopicUpdateUser         = crypto.Keccak256Hash([]byte("UpdateUser(uint256,address,uint64)"))
)

// PassUpdate is an ERC-5643 SubscriptionUpdate (Subscription: the token's
// subscription now ends at Expires) or an ERC-4907 UpdateUser (User may use
// the token until Expires; the zero User: no rental).
type PassUpdate struct {
	Contract     common.Address
	TokenID      *big.Int
	Subscription bool
	User         common.Address
	Expires      uint64
}

// Transfer is one movement of tokens.
type Transfer struct {
	Contract common.Address
	TokenID  *big.Int // 0 for ERC-20
	From, To common.Address
	Amount   *big.Int
	// NFT: ERC-721 ownership moves whole (balance 1).
	NFT bool
}

// NewClient wraps a JSON-RPC connection.
func NewClient(c *rpc.Client) *Client { return &Client{rpc: c, Timeout: defaultTimeout} }

// CallRaw runs one JSON-RPC method under the caller's context only, for
// callers that keep their own deadlines and retries.
func (c *Client) CallRaw(ctx context.Context, result any, method string, args ...any) error {
	return c.rpc.CallContext(ctx, result, method, args...)
}

// TransferLogs asks eth_getLogs for the transfer events of contracts in
// blocks from..to, and their SubscriptionUpdate and UpdateUser events.
func (c *Client) TransferLogs(ctx context.Context, from, to uint64, contracts []common.Address) ([]types.Log, error) {
	if len(contracts) == 0 {
		return nil, nil
	}
	filter := map[string]any{
		"fromBlock": hexutil.EncodeUint64(from), "toBlock": hexutil.EncodeUint64(to), "address": contracts,
		"topics": [][]common.Hash{{TopicTransfer, TopicTransferSingle, TopicTransferBatch, TopicSubscriptionUpdate, TopicUpdateUser}},
	}
	var logs []types.Log
	err := c.rpc.CallContext(ctx, &logs, "eth_getLogs", filter)
	return logs, err
}

// DecodeTransferLog reads Transfer (ERC-20/721), TransferSingle and
// TransferBatch (ERC-1155) logs of a contract of the given standard.
func DecodeTransferLog(l types.Log, standard string) ([]Transfer, error) {
	if len(l.Topics) == 0 {
		return nil, errors.New("no topics")
	}
	topicAddr := func(i int) common.Address { return common.BytesToAddress(l.Topics[i][12:]) }
	switch l.Topics[0] {
	case TopicTransfer:
		switch {
		case standard == "ERC721" && len(l.Topics) == 4:
			return []Transfer{{Contract: l.Address, From: topicAddr(1), To: topicAddr(2), TokenID: l.Topics[3].Big(), Amount: big.NewInt(1), NFT: true}}, nil
		case standard == "ERC20" && len(l.Topics) == 3 && len(l.Data) >= 32:
			return []Transfer{{Contract: l.Address, From: topicAddr(1), To: topicAddr(2), TokenID: new(big.Int), Amount: new(big.Int).SetBytes(l.Data[:32])}}, nil
		}
		return nil, fmt.Errorf("a Transfer log that is not %s", standard)
	case TopicTransferSingle:
		if standard != "ERC1155" || len(l.Topics) != 4 || len(l.Data) < 64 {
			return nil, errors.New("malformed TransferSingle")
		}
		return []Transfer{{Contract: l.Address, From: topicAddr(2), To: topicAddr(3), TokenID: new(big.Int).SetBytes(l.Data[:32]), Amount: new(big.Int).SetBytes(l.Data[32:64])}}, nil
	case TopicTransferBatch:
		if standard != "ERC1155" || len(l.Topics) != 4 {
			return nil, errors.New("malformed TransferBatch")
		}
		ids, err := uintArray(l.Data, 0)
		if err != nil {
			return nil, err
		}
		values, err := uintArray(l.Data, 1)
		if err != nil || len(values) != len(ids) {
			return nil, errors.New("malformed TransferBatch arrays")
		}
		out := make([]Transfer, len(ids))
		for i := range ids {
			out[i] = Transfer{Contract: l.Address, From: topicAddr(2), To: topicAddr(3), TokenID: ids[i], Amount: values[i]}
		}
		return out, nil
	}
	return nil, errors.New("not a transfer event")
}

// DecodePassLog reads a SubscriptionUpdate or an UpdateUser log.
func DecodePassLog(l types.Log) (PassUpdate, error) {
	if len(l.Topics) < 2 || len(l.Data) < 32 {
		return PassUpdate{}, errors.New("not a pass event")
	}
	// A uint64 argument is ABI-encoded in a whole word: higher bytes set
	// mean the log is not what its topic claims.
	if new(big.Int).SetBytes(l.Data[:24]).Sign() != 0 {
		return PassUpdate{}, errors.New("the expiry does not fit a uint64")
	}
	u := PassUpdate{Contract: l.Address, TokenID: l.Topics[1].Big(), Expires: new(big.Int).SetBytes(l.Data[24:32]).Uint64()}
	switch {
	case l.Topics[0] == TopicSubscriptionUpdate && len(l.Topics) == 2:
		u.Subscription = true
	case l.Topics[0] == TopicUpdateUser && len(l.Topics) == 3:
		u.User = common.BytesToAddress(l.Topics[2][12:])
	default:
		return PassUpdate{}, errors.New("malformed pass event")
	}
	return u, nil
}

// IsPassLog tells a SubscriptionUpdate or UpdateUser log from a transfer.
func IsPassLog(l types.Log) bool {
	return len(l.Topics) > 0 && (l.Topics[0] == TopicSubscriptionUpdate || l.Topics[0] == TopicUpdateUser)
}

// uintArray reads the n-th uint256[] argument of ABI-encoded data.
func uintArray(data []byte, n int) ([]*big.Int, error) {
	if len(data) < 32*(n+1) {
		return nil, errors.New("short data")
	}
	offset := new(big.Int).SetBytes(data[32*n : 32*(n+1)])
	if !offset.IsUint64() || offset.Uint64()+32 > uint64(len(data)) {
		return nil, errors.New("bad offset")
	}
	o := offset.Uint64()
	length := new(big.Int).SetBytes(data[o : o+32])
	if !length.IsUint64() || length.Uint64() > uint64(len(data)) || o+32+32*length.Uint64() > uint64(len(data)) {
		return nil, errors.New("bad length")
	}
	out := make([]*big.Int, length.Uint64())
	for i := range out {
		start := o + 32 + 32*uint64(i)
		out[i] = new(big.Int).SetBytes(data[start : start+32])
	}
	return out, nil
}

// ErrorKind classifies an RPC error for retries and metrics:
// rate_limited, range (ask for fewer blocks), timeout, rpc or transport.
func ErrorKind(err error) string {
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) && httpErr.StatusCode == 429 {
		return "rate_limited"
	}
	if IsRangeError(err) {
		return "range"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		return "rpc"
	}
	return "transport"
}

// IsRangeError recognises the providers' ways of saying "ask for less".
func IsRangeError(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"too many results", "query returned more than", "block range", "range is too large", "range too large",
		"exceed maximum block range", "limit exceeded", "response size", "query timeout", "logs matched by query exceeds",
		"max results", "try with this block range"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
