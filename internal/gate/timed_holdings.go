package gate

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
)

// Standards whose holdings end at a time, with no chain event at that time.
const (
	// ERC5643: owns one of the named subscription tokens, until its expiresAt.
	ERC5643 Standard = "ERC5643"
	// ERC4907: is the current user of one of the named rentable tokens, until
	// its userExpires; or its owner while no rental is active (during one
	// too, with OwnersDuringRental).
	ERC4907 Standard = "ERC4907"
	// UnlockKey: holds a valid key of an Unlock Protocol PublicLock, until the
	// key expires.
	UnlockKey Standard = "UnlockKey"
)

// Expiring reports whether a condition's holdings end at a time.
func (c Condition) Expiring() bool {
	return c.Standard == ERC5643 || c.Standard == ERC4907 || c.Standard == UnlockKey
}

// TimedHoldings also says until when a holding lasts. The zero time: until
// a chain event changes it (a transfer, a new rental).
type TimedHoldings interface {
	HoldsUntil(ctx context.Context, c Condition, owner string) (bool, time.Time, error)
}

// HoldsUntil implements TimedHoldings: the time standards by their expiry,
// the others as Holds with no expiry.
func (h *EVMHoldings) HoldsUntil(ctx context.Context, c Condition, owner string) (bool, time.Time, error) {
	if !c.Expiring() {
		ok, err := h.Holds(ctx, c, owner)
		return ok, time.Time{}, err
	}
	if !common.IsHexAddress(owner) {
		return false, time.Time{}, fmt.Errorf("%q is not an EVM address", owner)
	}
	who, contract := common.HexToAddress(owner), common.HexToAddress(c.Contract)
	switch c.Standard {
	case ERC5643:
		return h.subscription(ctx, c, contract, who)
	case ERC4907:
		return h.rental(ctx, c, contract, who)
	default:
		return h.unlockKey(ctx, contract, who)
	}
}

// words asks every call in one JSON-RPC batch; a call that reverted (a
// token that does not exist) gives nil.
func (h *EVMHoldings) words(ctx context.Context, contract common.Address, calls [][]byte) ([][]byte, error) {
	to := make([]common.Address, len(calls))
	for i := range to {
		to[i] = contract
	}
	outs, errs, err := h.Client.CallBatch(ctx, to, calls)
	if err != nil {
		return nil, err
	}
	for i := range outs {
		if errs[i] != nil || len(outs[i]) < 32 {
			outs[i] = nil
		}
	}
	return outs, nil
}

func addressOf(word []byte) common.Address {
	if word == nil {
		return common.Address{}
	}
	return common.BytesToAddress(word[12:32])
}

func unixOf(word []byte) time.Time {
	if word == nil {
		return time.Time{}
	}
	v := new(big.Int).SetBytes(word[:32])
	if !v.IsInt64() {
		return time.Unix(1<<62, 0) // "forever", as Unlock writes it
	}
	return time.Unix(v.Int64(), 0)
}

// later keeps the later of an expiry so far (none yet: found false) and t.
func later(until time.Time, found bool, t time.Time) time.Time {
	if !found || t.After(until) {
		return t
	}
	return until
}

// perToken asks, in one batch, the calls each of c's token ids needs, in
// order: the answers come len(calls(id)) at a time, token after token.
func (h *EVMHoldings) perToken(ctx context.Context, c Condition, contract common.Address, calls func(id *big.Int) [][]byte) ([][]byte, error) {
	ids, err := parseIDs(c.TokenIDs)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s needs token ids: its expiry is read per token", c.Standard)
	}
	var batch [][]byte
	for _, id := range ids {
		batch = append(batch, calls(id)...)
	}
	return h.words(ctx, contract, batch)
}

// subscription: of the named tokens the address owns, the latest expiresAt.
// An expired subscription comes back with its (past) time; the evaluator
// compares it with its clock.
func (h *EVMHoldings) subscription(ctx context.Context, c Condition, contract, who common.Address) (bool, time.Time, error) {
	outs, err := h.perToken(ctx, c, contract, func(id *big.Int) [][]byte {
		return [][]byte{evm.OwnerOfCall(id), evm.ExpiresAtCall(id)}
	})
	if err != nil {
		return false, time.Time{}, err
	}
	var until time.Time
	found := false
	for i := 0; i < len(outs); i += 2 {
		if outs[i] == nil || outs[i+1] == nil || addressOf(outs[i]) != who {
			continue
		}
		until, found = later(until, found, unixOf(outs[i+1])), true
	}
	return found, until, nil
}

// rental: the current user of a named token until the rental ends; its
// owner while no rental is active (or during one, if owners count).
func (h *EVMHoldings) rental(ctx context.Context, c Condition, contract, who common.Address) (bool, time.Time, error) {
	outs, err := h.perToken(ctx, c, contract, func(id *big.Int) [][]byte {
		return [][]byte{evm.UserOfCall(id), evm.UserExpiresCall(id), evm.OwnerOfCall(id)}
	})
	if err != nil {
		return false, time.Time{}, err
	}
	var until time.Time
	found := false
	for i := 0; i < len(outs); i += 3 {
		user, owner := addressOf(outs[i]), addressOf(outs[i+2])
		switch {
		case user == who && user != (common.Address{}):
			until, found = later(until, found, unixOf(outs[i+1])), true
		case owner == who && (user == (common.Address{}) || c.OwnersDuringRental):
			// Until someone rents it: an UpdateUser event, not a time.
			return true, time.Time{}, nil
		}
	}
	return found, until, nil
}

// unlockKey: getHasValidKey, and the expiry of the address's first key.
func (h *EVMHoldings) unlockKey(ctx context.Context, lock, who common.Address) (bool, time.Time, error) {
	outs, err := h.words(ctx, lock, [][]byte{evm.GetHasValidKeyCall(who), evm.TokenOfOwnerByIndexCall(who, 0)})
	if err != nil {
		return false, time.Time{}, err
	}
	if outs[0] == nil {
		return false, time.Time{}, fmt.Errorf("lock %s does not answer getHasValidKey", lock.Hex())
	}
	if new(big.Int).SetBytes(outs[0][:32]).Sign() == 0 {
		return false, time.Time{}, nil
	}
	if outs[1] == nil {
		return true, time.Time{}, nil
	}
	exp, err := h.words(ctx, lock, [][]byte{evm.KeyExpirationCall(new(big.Int).SetBytes(outs[1][:32]))})
	if err != nil {
		return false, time.Time{}, err
	}
	if exp[0] == nil {
		return true, time.Time{}, nil
	}
	return true, unixOf(exp[0]), nil
}
