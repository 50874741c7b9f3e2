package gate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/streamgate-io/streamgate/internal/indexerapi"
)

// IndexerHoldings asks a ChainIndexer's query API, and the Fallback (RPC)
// while the indexer is not caught up or cannot be reached.
type IndexerHoldings struct {
	URL      string
	Fallback Holdings
	Client   *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu        sync.Mutex
	synced    bool
	checkedAt time.Time
}

// IndexerStatusTTL bounds how long what the indexer said of itself
// (caught up or not) is believed.
const IndexerStatusTTL = 2 * time.Second

// Holds implements Holdings.
func (h *IndexerHoldings) Holds(ctx context.Context, c Condition, owner string) (bool, error) {
	if !h.caughtUp(ctx) {
		return h.Fallback.Holds(ctx, c, owner)
	}
	ok, err := h.ask(ctx, c, owner)
	if err != nil {
		h.mu.Lock()
		h.synced = false
		h.mu.Unlock()
		return h.Fallback.Holds(ctx, c, owner)
	}
	return ok, nil
}

// HoldsUntil implements TimedHoldings: the index answers holdings that
// last until a transfer; the ones that end at a time are asked of the
// Fallback, which reads their expiry.
func (h *IndexerHoldings) HoldsUntil(ctx context.Context, c Condition, owner string) (bool, time.Time, error) {
	if timed, ok := h.Fallback.(TimedHoldings); ok && c.Expiring() {
		return timed.HoldsUntil(ctx, c, owner)
	}
	ok, err := h.Holds(ctx, c, owner)
	return ok, time.Time{}, err
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
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	if now().Sub(h.checkedAt) < IndexerStatusTTL {
		return h.synced
	}
	var s indexerapi.Status
	h.synced = h.get(ctx, "/v1/status", &s) == nil && s.CaughtUp && s.ErrReason == ""
	h.checkedAt = now()
	return h.synced
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
	return json.NewDecoder(resp.Body).Decode(out)
}

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
			var out struct {
				Holdings []json.RawMessage `json:"holdings"`
			}
			if err := h.get(ctx, fmt.Sprintf("/v1/holdings/%s?contract=%s", owner, c.Contract), &out); err != nil {
				return false, err
			}
			return big.NewInt(int64(len(out.Holdings))).Cmp(min) >= 0, nil
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
