package stream

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// DefaultStoreCheckInterval is how often a streaming pod checks that it
// reaches the stores its videos are in.
const DefaultStoreCheckInterval = 30 * time.Second

// storeChecks holds the last check of each store the catalog names.
type storeChecks struct {
	mu      sync.Mutex
	results map[string]catalog.StoreHealth // by store ID
}

// checkStores checks every store of the current catalog, one at a time
// (a pod uses a few), and forgets stores no video names any more.
func (s *Server) checkStores(ctx context.Context) {
	st := s.state.Load()
	stores := map[string]*videoEntry{}
	for _, v := range st.videos {
		if v.store != nil {
			stores[v.store.id] = v
		}
	}
	results := map[string]catalog.StoreHealth{}
	for id, v := range stores {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := v.store.reader.Check(cctx)
		cancel()
		h := catalog.StoreHealth{Kind: v.Store.Kind, Store: id, Reachable: err == nil, CheckedAt: s.now().UTC()}
		if err != nil {
			h.Reason = string(storage.KindOf(err))
			s.log.Error(err, "store check failed", "store", id)
		}
		results[id] = h
	}
	s.storeChecks.mu.Lock()
	s.storeChecks.results = results
	s.storeChecks.mu.Unlock()
}

// serveStorageHealth answers StorageHealthPath.
func (s *Server) serveStorageHealth(w http.ResponseWriter, _ *http.Request) {
	s.storeChecks.mu.Lock()
	out := catalog.StorageHealth{Stores: make([]catalog.StoreHealth, 0, len(s.storeChecks.results)), Catalog: s.state.Load().revision}
	for _, h := range s.storeChecks.results {
		out.Stores = append(out.Stores, h)
	}
	s.storeChecks.mu.Unlock()
	sort.Slice(out.Stores, func(i, j int) bool { return out.Stores[i].Store < out.Stores[j].Store })
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
