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
// a chain event changes it (a transfer, a new rental). A refusal may come
// with a time too: when it may turn into a pass with no chain event (an
// owner's rental ends).
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

// passView is what a time standard needs of one token, from the chain or
// from an index: its owner, its subscription's end, and its renter until
// when. rented: the rental is still running.
type passView struct {
	owner, user          common.Address
	expires, userExpires time.Time
	rented               bool
}

// subscriptionOf: of the tokens who owns, the latest subscription end. An
// expired subscription comes back with its (past) time; the evaluator
// compares it with its clock. A token never subscribed is not held.
func subscriptionOf(tokens []passView, who common.Address) (bool, time.Time) {
	var until time.Time
	found := false
	for _, p := range tokens {
		if p.owner == who && who != (common.Address{}) && p.expires.Unix() > 0 {
			until, found = later(until, found, p.expires), true
		}
	}
	return found, until
}

// rentalOf: the renter of a token until the rental ends (past: expired);
// its owner while it is not rented out (or during a rental too, if owners
// count), with no end but an UpdateUser event. An owner refused because
// of a rental is refused only until the rental ends: that time comes back
// with the refusal.
func rentalOf(tokens []passView, who common.Address, ownersDuringRental bool) (bool, time.Time) {
	if who == (common.Address{}) {
		return false, time.Time{}
	}
	var until, rentalEnds time.Time
	found := false
	for _, p := range tokens {
		switch {
		case p.user == who:
			until, found = later(until, found, p.userExpires), true
		case p.owner == who && (!p.rented || ownersDuringRental):
			return true, time.Time{}
		case p.owner == who && (rentalEnds.IsZero() || p.userExpires.Before(rentalEnds)):
			rentalEnds = p.userExpires
		}
	}
	if !found {
		return false, rentalEnds
	}
	return true, until
}

// subscription reads the named tokens' owners and expiries.
func (h *EVMHoldings) subscription(ctx context.Context, c Condition, contract, who common.Address) (bool, time.Time, error) {
	outs, err := h.perToken(ctx, c, contract, func(id *big.Int) [][]byte {
		return [][]byte{evm.OwnerOfCall(id), evm.ExpiresAtCall(id)}
	})
	if err != nil {
		return false, time.Time{}, err
	}
	var tokens []passView
	for i := 0; i < len(outs); i += 2 {
		if outs[i] != nil && outs[i+1] != nil {
			tokens = append(tokens, passView{owner: addressOf(outs[i]), expires: unixOf(outs[i+1])})
		}
	}
	ok, until := subscriptionOf(tokens, who)
	return ok, until, nil
}

// rental reads the named tokens' renters and owners; userOf answers the
// zero address once a rental has ended, by the chain's clock.
func (h *EVMHoldings) rental(ctx context.Context, c Condition, contract, who common.Address) (bool, time.Time, error) {
	outs, err := h.perToken(ctx, c, contract, func(id *big.Int) [][]byte {
		return [][]byte{evm.UserOfCall(id), evm.UserExpiresCall(id), evm.OwnerOfCall(id)}
	})
	if err != nil {
		return false, time.Time{}, err
	}
	tokens := make([]passView, 0, len(outs)/3)
	for i := 0; i < len(outs); i += 3 {
		user := addressOf(outs[i])
		tokens = append(tokens, passView{user: user, userExpires: unixOf(outs[i+1]), owner: addressOf(outs[i+2]), rented: user != (common.Address{})})
	}
	ok, until := rentalOf(tokens, who, c.OwnersDuringRental)
	return ok, until, nil
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
