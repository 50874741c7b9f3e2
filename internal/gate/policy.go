package gate

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
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

// Decision is the outcome of a policy for an address.
type Decision struct {
	Allowed bool
	// Reason says why, for logs, metrics and the 403 body.
	Reason string
	Cached bool
}

// Evaluator evaluates policies, remembering each (gate, address) decision
// for the gate's cache TTL. Errors fail closed and are not cached.
type Evaluator struct {
	Holdings Holdings
	Now      func() time.Time

	mu    sync.RWMutex
	cache map[cacheKey]cached
}

type cacheKey struct{ gate, address string }

type cached struct {
	decision Decision
	expires  time.Time
}

// Evaluate decides whether owner passes p, short-circuiting: anyOf stops at
// the first condition met, allOf at the first one not met.
func (e *Evaluator) Evaluate(ctx context.Context, p Policy, owner string) Decision {
	now := e.now()
	key := cacheKey{p.Name, strings.ToLower(owner)}
	if p.CacheTTL > 0 {
		e.mu.RLock()
		hit, ok := e.cache[key]
		e.mu.RUnlock()
		if ok && now.Before(hit.expires) {
			hit.decision.Cached = true
			return hit.decision
		}
	}
	d, err := e.evaluate(ctx, p, owner)
	if err != nil {
		return Decision{Allowed: false, Reason: "could not check holdings (denied): " + err.Error()}
	}
	if p.CacheTTL > 0 {
		e.mu.Lock()
		if e.cache == nil {
			e.cache = map[cacheKey]cached{}
		}
		e.cache[key] = cached{decision: d, expires: now.Add(p.CacheTTL)}
		e.mu.Unlock()
	}
	return d
}

func (e *Evaluator) evaluate(ctx context.Context, p Policy, owner string) (Decision, error) {
	if len(p.Conditions) == 0 {
		return Decision{Reason: "the gate has no conditions"}, nil
	}
	for _, c := range p.Conditions {
		ok, err := e.Holdings.Holds(ctx, c, owner)
		if err != nil {
			return Decision{}, fmt.Errorf("%s: %w", c, err)
		}
		switch {
		case ok && !p.RequireAll:
			return Decision{Allowed: true, Reason: "holds " + c.String()}, nil
		case !ok && p.RequireAll:
			return Decision{Reason: "does not hold " + c.String()}, nil
		}
	}
	if p.RequireAll {
		return Decision{Allowed: true, Reason: "holds every required token"}, nil
	}
	return Decision{Reason: "holds none of the required tokens"}, nil
}

// Forget drops cached decisions for an address (all gates), for example
// when an indexer reports a transfer; AnyAddress drops them all.
func (e *Evaluator) Forget(owner string) {
	owner = strings.ToLower(owner)
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.cache {
		if owner == AnyAddress || k.address == owner {
			delete(e.cache, k)
		}
	}
}

func (e *Evaluator) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}
