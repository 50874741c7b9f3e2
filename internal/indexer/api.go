package indexer

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics of an indexer.
type Metrics struct {
	registry  *prometheus.Registry
	head      prometheus.Gauge
	indexed   prometheus.Gauge
	lag       prometheus.Gauge
	logs      prometheus.Counter
	reorgs    prometheus.Counter
	rpcErrors *prometheus.CounterVec
	queries   *prometheus.HistogramVec
}

// NewMetrics registers the indexer's metrics in reg.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		registry: reg,
		head:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "streamgate_indexer_head_block", Help: "Latest block the node reported."}),
		indexed:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "streamgate_indexer_indexed_block", Help: "Last block applied to the store."}),
		lag:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "streamgate_indexer_lag_blocks", Help: "Head minus indexed block."}),
		logs:     prometheus.NewCounter(prometheus.CounterOpts{Name: "streamgate_indexer_logs_total", Help: "Transfer logs read."}),
		reorgs:   prometheus.NewCounter(prometheus.CounterOpts{Name: "streamgate_indexer_reorgs_total", Help: "Reorgs rolled back."}),
		rpcErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_indexer_rpc_errors_total",
			Help: "Failed RPC calls by kind: range, rate_limited, timeout, rpc, transport."}, []string{"kind"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "streamgate_indexer_query_duration_seconds",
			Help: "Query API latency.", Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01}}, []string{"query"}),
	}
	reg.MustRegister(m.head, m.indexed, m.lag, m.logs, m.reorgs, m.rpcErrors, m.queries)
	return m
}

// Hub fans changes out to event-stream subscribers.
type Hub struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
}

// Publish sends the changes of a block to every subscriber; a slow one
// misses events rather than slowing the indexer (it should then drop its
// whole cache).
func (h *Hub) Publish(block uint64, changes []Change) {
	data, _ := json.Marshal(map[string]any{"block": block, "changes": changes})
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- data:
		default:
		}
	}
}

func (h *Hub) subscribe() chan []byte {
	ch := make(chan []byte, 64)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[chan []byte]struct{}{}
	}
	h.subs[ch] = struct{}{}
	return ch
}

func (h *Hub) unsubscribe(ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, ch)
}

// API is the indexer's HTTP interface.
type API struct {
	Store    *Store
	Follower *Follower
	Hub      *Hub
	Metrics  *Metrics
}

// Handler serves:
//
//	GET /v1/holdings/{address}[?contract=0x..][&limit=n]   what an address holds (at most limit, 1 to 1024, default 1024)
//	GET /v1/owner/{contract}/{tokenId}            owner of an ERC-721 token
//	GET /v1/balance/{address}/{contract}/{id}     one balance
//	GET /v1/passes/{address}?contract=0x..        the ERC-721 passes an address owns or rents, with their expiries
//	GET /v1/status                                head, indexed block, lag
//	GET /v1/events                                server-sent events of changed (contract, address)
//	/healthz /readyz /metrics
//
// Every answer carries the block it is true at.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/holdings/{address}", a.timed("holdings", a.holdings))
	mux.HandleFunc("GET /v1/owner/{contract}/{id}", a.timed("owner", a.owner))
	mux.HandleFunc("GET /v1/balance/{address}/{contract}/{id}", a.timed("balance", a.balance))
	mux.HandleFunc("GET /v1/passes/{address}", a.timed("passes", a.passes))
	mux.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, a.Follower.Status()) })
	mux.HandleFunc("GET /v1/events", a.events)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s := a.Follower.Status(); !s.CaughtUp {
			http.Error(w, fmt.Sprintf("catching up: block %d of %d", s.Indexed, s.Head), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.Metrics.registry, promhttp.HandlerOpts{}))
	return mux
}

func (a *API) timed(name string, h http.HandlerFunc) http.HandlerFunc {
	observer := a.Metrics.queries.WithLabelValues(name)
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h(w, r)
		observer.Observe(time.Since(start).Seconds())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, reason string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Bad Request", "reason": reason})
}

func address(w http.ResponseWriter, s string) (common.Address, bool) {
	if !common.IsHexAddress(s) {
		badRequest(w, fmt.Sprintf("%q is not an EVM address", s))
		return common.Address{}, false
	}
	return common.HexToAddress(s), true
}

func tokenID(w http.ResponseWriter, s string) (*big.Int, bool) {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || v.Sign() < 0 {
		badRequest(w, fmt.Sprintf("token id %q is not a decimal integer", s))
		return nil, false
	}
	return v, true
}

func (a *API) holdings(w http.ResponseWriter, r *http.Request) {
	owner, ok := address(w, r.PathValue("address"))
	if !ok {
		return
	}
	var contract *common.Address
	if c := r.URL.Query().Get("contract"); c != "" {
		addr, ok := address(w, c)
		if !ok {
			return
		}
		contract = &addr
	}
	limit := MaxHoldings
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxHoldings {
			badRequest(w, fmt.Sprintf("limit must be an integer from 1 to %d", MaxHoldings))
			return
		}
		limit = n
	}
	holdings, truncated, cp := a.Store.HoldingsOf(owner, contract, limit)
	if holdings == nil {
		holdings = []Holding{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"address": owner, "block": cp.Number, "holdings": holdings, "truncated": truncated})
}

func (a *API) owner(w http.ResponseWriter, r *http.Request) {
	contract, ok := address(w, r.PathValue("contract"))
	if !ok {
		return
	}
	id, ok := tokenID(w, r.PathValue("id"))
	if !ok {
		return
	}
	owner, cp := a.Store.OwnerOf(contract, id)
	writeJSON(w, http.StatusOK, map[string]any{"contract": contract, "tokenId": id.String(), "owner": owner, "block": cp.Number})
}

func (a *API) balance(w http.ResponseWriter, r *http.Request) {
	owner, ok := address(w, r.PathValue("address"))
	if !ok {
		return
	}
	contract, ok := address(w, r.PathValue("contract"))
	if !ok {
		return
	}
	id, ok := tokenID(w, r.PathValue("id"))
	if !ok {
		return
	}
	balance, cp := a.Store.BalanceOf(owner, contract, id)
	writeJSON(w, http.StatusOK, map[string]any{"address": owner, "contract": contract, "tokenId": id.String(), "balance": balance.String(), "block": cp.Number})
}

func (a *API) passes(w http.ResponseWriter, r *http.Request) {
	who, ok := address(w, r.PathValue("address"))
	if !ok {
		return
	}
	if r.URL.Query().Get("contract") == "" {
		badRequest(w, "contract is required")
		return
	}
	contract, ok := address(w, r.URL.Query().Get("contract"))
	if !ok {
		return
	}
	passes, truncated, cp := a.Store.PassesOf(who, contract)
	if passes == nil {
		passes = []Pass{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"address": who, "contract": contract, "block": cp.Number, "passes": passes, "truncated": truncated})
}

// events streams changed (contract, address) pairs as server-sent events.
func (a *API) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := a.Hub.subscribe()
	defer a.Hub.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = fmt.Fprintf(w, ": block %d\n\n", a.Follower.Status().Indexed)
	flusher.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case data := <-ch:
			_, _ = fmt.Fprintf(w, "event: changes\ndata: %s\n\n", data)
			flusher.Flush()
		case <-keepAlive.C:
			_, _ = w.Write([]byte(": keep-alive\n\n"))
			flusher.Flush()
		}
	}
}
