package gate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/indexerapi"
)

// IndexerHoldings asks a ChainIndexer's query API, and the Fallback (RPC)
// while the indexer is not caught up or cannot be reached.
type IndexerHoldings struct {
	URL string
	// ChainID is the gate's chain: an indexer of another chain (the same
	// contract address can hold other tokens there) is never believed.
	ChainID  uint64
	Fallback Holdings
	Client   *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu        sync.Mutex
	synced    bool
	checkedAt time.Time
	// follows: the contracts the indexer follows, by lower-case address, and
	// their standard.
	follows map[string]string
}

// IndexerStatusTTL bounds how long what the indexer said of itself
// (caught up or not) is believed.
const IndexerStatusTTL = 2 * time.Second

// Holds implements Holdings.
func (h *IndexerHoldings) Holds(ctx context.Context, c Condition, owner string) (bool, error) {
	if !h.answers(ctx, c) {
		return h.Fallback.Holds(ctx, c, owner)
	}
	ok, err := h.ask(ctx, c, owner)
	if err != nil {
		h.distrust()
		return h.Fallback.Holds(ctx, c, owner)
	}
	return ok, nil
}

// HoldsUntil implements TimedHoldings: the index answers subscriptions and
// rentals of the ERC-721 contracts it follows, with their expiries, and
// the Fallback the rest (Unlock keys, and everything while the index is
// behind).
func (h *IndexerHoldings) HoldsUntil(ctx context.Context, c Condition, owner string) (bool, time.Time, error) {
	if !c.Expiring() {
		ok, err := h.Holds(ctx, c, owner)
		return ok, time.Time{}, err
	}
	timed, _ := h.Fallback.(TimedHoldings)
	if !h.answers(ctx, c) {
		if timed == nil {
			return false, time.Time{}, fmt.Errorf("%s: the indexer is not caught up and there is no fallback", c.Standard)
		}
		return timed.HoldsUntil(ctx, c, owner)
	}
	ok, until, err := h.askPasses(ctx, c, owner)
	if err != nil && timed != nil {
		h.distrust()
		return timed.HoldsUntil(ctx, c, owner)
	}
	return ok, until, err
}

// indexedAs is the standard under which an indexer follows the contract of
// a condition: subscriptions and rentals are ERC-721 tokens.
func indexedAs(s Standard) string {
	switch s {
	case ERC721, ERC5643, ERC4907:
		return string(ERC721)
	case ERC1155, ERC20:
		return string(s)
	}
	return "" // Unlock keys and Solana: not indexed
}

// answers: the indexer is caught up and follows the condition's contract
// as its standard. A gate whose indexer does not follow one of its
// contracts is answered by the RPC node for that one, not refused.
func (h *IndexerHoldings) answers(ctx context.Context, c Condition) bool {
	if !h.caughtUp(ctx) {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	want := indexedAs(c.Standard)
	return want != "" && h.follows[strings.ToLower(c.Contract)] == want
}

// distrust sends questions to the Fallback until the believed status
// expires (IndexerStatusTTL) and the indexer's status is asked again.
func (h *IndexerHoldings) distrust() {
	h.mu.Lock()
	h.synced = false
	h.mu.Unlock()
}

func (h *IndexerHoldings) client() *http.Client {
	if h.Client != nil {
		return h.Client
	}
	return &http.Client{Timeout: 2 * time.Second}
}

func (h *IndexerHoldings) caughtUp(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.now().Sub(h.checkedAt) < IndexerStatusTTL {
		return h.synced
	}
	var s indexerapi.Status
	h.synced = h.get(ctx, "/v1/status", &s) == nil && s.CaughtUp && s.ErrReason == "" && s.ChainID == h.ChainID
	h.checkedAt = h.now()
	h.follows = make(map[string]string, len(s.Contracts))
	for _, c := range s.Contracts {
		h.follows[strings.ToLower(c.Address.Hex())] = c.Standard
	}
	return h.synced
}

func (h *IndexerHoldings) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// askPasses reads the passes of c's contract that owner owns or rents, with
// their expiries; the index's rentals run by this clock.
func (h *IndexerHoldings) askPasses(ctx context.Context, c Condition, owner string) (bool, time.Time, error) {
	if !common.IsHexAddress(owner) {
		return false, time.Time{}, fmt.Errorf("%q is not an EVM address", owner)
	}
	var out struct {
		Passes []struct {
			TokenID     string         `json:"tokenId"`
			Owner       common.Address `json:"owner"`
			ExpiresAt   int64          `json:"expiresAt"`
			User        common.Address `json:"user"`
			UserExpires int64          `json:"userExpires"`
		} `json:"passes"`
	}
	if err := h.get(ctx, fmt.Sprintf("/v1/passes/%s?contract=%s", owner, c.Contract), &out); err != nil {
		return false, time.Time{}, err
	}
	wanted := map[string]bool{}
	for _, id := range c.TokenIDs {
		wanted[id] = true
	}
	now := h.now()
	var tokens []passView
	for _, p := range out.Passes {
		if len(wanted) > 0 && !wanted[p.TokenID] {
			continue
		}
		userExpires := time.Unix(p.UserExpires, 0)
		tokens = append(tokens, passView{owner: p.Owner, expires: time.Unix(p.ExpiresAt, 0), user: p.User, userExpires: userExpires,
			rented: p.User != (common.Address{}) && userExpires.After(now)})
	}
	who := common.HexToAddress(owner)
	var ok bool
	var until time.Time
	if c.Standard == ERC5643 {
		ok, until = subscriptionOf(tokens, who)
	} else {
		ok, until = rentalOf(tokens, who, c.OwnersDuringRental)
	}
	return ok, until, nil
}

func (h *IndexerHoldings) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(h.URL, "/")+path, nil)
	if err != nil {
		return err
	}
	resp, err := h.client().Do(req)
	if err != nil {
		return fmt.Errorf("indexer %s: %w", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("indexer %s: HTTP %d", path, resp.StatusCode)
	}
	// Bounded: the indexer's largest answer, 1,024 passes, is about 300 kB.
	return json.NewDecoder(io.LimitReader(resp.Body, maxIndexerAnswer)).Decode(out)
}

// maxIndexerAnswer is the most of one indexer answer a gate reads.
const maxIndexerAnswer = 4 << 20

func (h *IndexerHoldings) ask(ctx context.Context, c Condition, owner string) (bool, error) {
	min := c.MinBalanceInt()
	balanceAtLeast := func(id string) (bool, error) {
		var out struct {
			Balance string `json:"balance"`
		}
		if err := h.get(ctx, fmt.Sprintf("/v1/balance/%s/%s/%s", owner, c.Contract, id), &out); err != nil {
			return false, err
		}
		v, ok := new(big.Int).SetString(out.Balance, 10)
		return ok && v.Cmp(min) >= 0, nil
	}
	switch c.Standard {
	case ERC20:
		return balanceAtLeast("0")
	case ERC721:
		if len(c.TokenIDs) == 0 {
			// One token of the contract passes (an ERC721 condition has
			// no minBalance): the answer need hold only that one.
			var out struct {
				Holdings []json.RawMessage `json:"holdings"`
			}
			if err := h.get(ctx, fmt.Sprintf("/v1/holdings/%s?contract=%s&limit=1", owner, c.Contract), &out); err != nil {
				return false, err
			}
			return len(out.Holdings) > 0, nil
		}
		for _, id := range c.TokenIDs {
			var out struct {
				Owner string `json:"owner"`
			}
			if err := h.get(ctx, fmt.Sprintf("/v1/owner/%s/%s", c.Contract, id), &out); err != nil {
				return false, err
			}
			if strings.EqualFold(out.Owner, owner) {
				return true, nil
			}
		}
		return false, nil
	case ERC1155:
		for _, id := range c.TokenIDs {
			if ok, err := balanceAtLeast(id); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("the indexer does not follow %s", c.Standard)
}

// AnyAddress stands for every address in a change notification.
const AnyAddress = ""

// Watch follows the indexer's event stream and calls changed with every
// address whose holdings changed, until ctx ends; it reconnects on errors.
// Events sent while the stream was down are lost, so each (re)connection
// first calls changed(AnyAddress): no cached decision outlives a gap.
func (h *IndexerHoldings) Watch(ctx context.Context, changed func(address string)) {
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(h.URL, "/")+"/v1/events", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil && resp.StatusCode != http.StatusOK {
			_ = resp.Body.Close()
			err = fmt.Errorf("events: %s", resp.Status)
		}
		if err == nil {
			changed(AnyAddress)
			scanner := bufio.NewScanner(resp.Body)
			for scanner.Scan() {
				line := scanner.Text()
				if !strings.HasPrefix(line, "data: ") {
					continue
				}
				var event struct {
					Changes []struct {
						Address string `json:"address"`
					} `json:"changes"`
				}
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &event) == nil {
					for _, c := range event.Changes {
						changed(c.Address)
					}
				}
			}
			_ = resp.Body.Close()
		}
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}
