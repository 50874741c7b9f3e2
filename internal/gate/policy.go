package gate

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/streamgate-io/streamgate/internal/lru"
)

// Standard is a token standard a condition checks.
type Standard string

const (
	ERC721   Standard = "ERC721"
	ERC1155  Standard = "ERC1155"
	ERC20    Standard = "ERC20"
	Metaplex Standard = "Metaplex"
)

// Condition is one holding that can open a gate.
type Condition struct {
	Standard   Standard `json:"standard"`
	Contract   string   `json:"contract,omitempty"`
	TokenIDs   []string `json:"tokenIds,omitempty"`
	MinBalance string   `json:"minBalance,omitempty"`
	Collection string   `json:"collection,omitempty"`
	// OwnersDuringRental: for ERC4907, a token's owner may watch while it
	// is rented out too.
	OwnersDuringRental bool `json:"ownersDuringRental,omitempty"`
}

// MinBalanceInt is the least balance that passes (default 1).
func (c Condition) MinBalanceInt() *big.Int {
	if v, ok := new(big.Int).SetString(c.MinBalance, 10); ok && v.Sign() > 0 {
		return v
	}
	return big.NewInt(1)
}

// String names the condition in reasons.
func (c Condition) String() string {
	target := c.Contract
	if c.Standard == Metaplex {
		target = c.Collection
	}
	s := fmt.Sprintf("%s %s", c.Standard, target)
	if len(c.TokenIDs) > 0 {
		s += " ids " + strings.Join(c.TokenIDs, ",")
	}
	return s
}

// Policy is a gate: all or any of its conditions.
type Policy struct {
	// Name identifies the gate in the cache ("namespace/name@generation").
	Name       string        `json:"name"`
	RequireAll bool          `json:"requireAll,omitempty"`
	Conditions []Condition   `json:"conditions"`
	CacheTTL   time.Duration `json:"cacheTTL,omitempty"`
}

// Holdings answers whether an address holds what a condition asks.
type Holdings interface {
	Holds(ctx context.Context, c Condition, owner string) (bool, error)
}

// Reasons of a decision: a fixed vocabulary, safe to show a viewer. What
// went wrong in detail (an RPC error may carry the node's URL and its API
// key) is in Decision.Err, for logs only.
const (
	ReasonHoldsNone         = "holds none of the required tokens"
	ReasonMissingSome       = "does not hold every required token"
	ReasonNoConditions      = "the gate has no conditions"
	ReasonChainUnavailable  = "chain unavailable"
	ReasonHoldsEveryToken   = "holds every required token"
	ReasonHoldsARequirement = "holds a required token"
	ReasonExpired           = "the pass has expired"
)

// Decision is the outcome of a policy for an address.
type Decision struct {
	Allowed bool
	// Reason is one of the Reason constants.
	Reason string
	// Unavailable: the holdings could not be read; denied, not cached.
	Unavailable bool
	// Err is the cause of an unavailable decision, for logs.
	Err    error
	Cached bool
	// Until is when an allowed decision ends without any chain event (a
	// subscription's or rental's expiry); for ReasonExpired, when the pass
	// ended. The zero time: no such end.
	Until time.Time
	// recheck: when a refusal may turn into a pass with no chain event (an
	// owner's rental ends); it is not remembered past then.
	recheck time.Time
}

// DefaultMaxDecisions bounds an Evaluator's cache when MaxEntries is 0.
const DefaultMaxDecisions = 50_000

// Evaluator evaluates policies, remembering each (gate, address) decision
// for the gate's cache TTL, in a cache of at most MaxEntries. Errors fail
// closed and are not cached.
type Evaluator struct {
	Holdings Holdings
	Now      func() time.Time
	// MaxEntries bounds the decision cache (default DefaultMaxDecisions).
	MaxEntries int

	init  sync.Once
	cache *lru.Cache[cacheKey, Decision]
}

type cacheKey struct{ gate, address string }

func (e *Evaluator) decisions() *lru.Cache[cacheKey, Decision] {
	e.init.Do(func() {
		max := e.MaxEntries
		if max <= 0 {
			max = DefaultMaxDecisions
		}
		e.cache = lru.New[cacheKey, Decision](max)
	})
	return e.cache
}

// Evaluate decides whether owner passes p, short-circuiting: anyOf stops at
// the first condition met, allOf at the first one not met.
func (e *Evaluator) Evaluate(ctx context.Context, p Policy, owner string) Decision {
	now := e.now()
	key := cacheKey{p.Name, strings.ToLower(owner)}
	if p.CacheTTL > 0 {
		if hit, ok := e.decisions().Get(key, now); ok {
			hit.Cached = true
			return hit
		}
	}
	d, err := e.evaluate(ctx, p, owner, now)
	if err != nil {
		return Decision{Reason: ReasonChainUnavailable, Unavailable: true, Err: err}
	}
	if p.CacheTTL > 0 {
		// An allowed decision is not remembered past the pass's end, nor a
		// refusal past the time it may change.
		expires := now.Add(p.CacheTTL)
		for _, end := range []time.Time{d.Until, d.recheck} {
			if !end.IsZero() && end.After(now) && end.Before(expires) {
				expires = end
			}
		}
		e.decisions().Add(key, d, expires, now)
	}
	return d
}

// CachedDecisions is how many decisions the cache holds.
func (e *Evaluator) CachedDecisions() int { return e.decisions().Len() }

func (e *Evaluator) evaluate(ctx context.Context, p Policy, owner string, now time.Time) (Decision, error) {
	if len(p.Conditions) == 0 {
		return Decision{Reason: ReasonNoConditions}, nil
	}
	timed, _ := e.Holdings.(TimedHoldings)
	// The earliest end of what is held; the latest end of what ran out; the
	// earliest time a refusal may change.
	var until, expired, recheck time.Time
	for _, c := range p.Conditions {
		var ok bool
		var end time.Time
		var err error
		if timed != nil {
			ok, end, err = timed.HoldsUntil(ctx, c, owner)
		} else {
			ok, err = e.Holdings.Holds(ctx, c, owner)
		}
		if err != nil {
			return Decision{}, fmt.Errorf("%s: %w", c, err)
		}
		switch {
		case ok && !end.IsZero() && !end.After(now):
			// Held, but its time is over: no chain event says so.
			ok = false
			if end.After(expired) {
				expired = end
			}
		case !ok && end.After(now) && (recheck.IsZero() || end.Before(recheck)):
			recheck = end
		}
		switch {
		case ok && !p.RequireAll:
			return Decision{Allowed: true, Reason: ReasonHoldsARequirement, Until: end}, nil
		case !ok && p.RequireAll:
			return refusal(ReasonMissingSome, expired, recheck), nil
		case ok && !end.IsZero() && (until.IsZero() || end.Before(until)):
			until = end
		}
	}
	if p.RequireAll {
		return Decision{Allowed: true, Reason: ReasonHoldsEveryToken, Until: until}, nil
	}
	return refusal(ReasonHoldsNone, expired, recheck), nil
}

// refusal says "expired" when a pass ran out, reason otherwise.
func refusal(reason string, expired, recheck time.Time) Decision {
	if !expired.IsZero() {
		reason = ReasonExpired
	}
	return Decision{Reason: reason, Until: expired, recheck: recheck}
}

// Forget drops cached decisions for an address (all gates), for example
// when an indexer reports a transfer; AnyAddress drops them all.
func (e *Evaluator) Forget(owner string) {
	owner = strings.ToLower(owner)
	e.decisions().RemoveFunc(func(k cacheKey) bool { return owner == AnyAddress || k.address == owner })
}

func (e *Evaluator) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}
