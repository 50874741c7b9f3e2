package controller

import (
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/streamgate-io/streamgate/internal/lru"
)

// The pods of an endpoint reload a nudged catalog within about a second,
// so they are asked again that soon; a pod whose reload keeps failing is
// asked less and less often, up to every catalogRecheckMax, rather than
// every second for as long as it lags.
const (
	catalogRecheckMin = time.Second
	catalogRecheckMax = 30 * time.Second
	// The wait between asks grows as a quarter of the time lagged so far:
	// 1 s for the first 4 s, 30 s after 2 minutes.
	catalogRecheckFraction = 4
)

// catalogWaits remembers since when each endpoint's pods have served an
// older catalog than its current revision. Bounded: one entry per lagging
// endpoint, at most maxCatalogWaits (a forgotten one starts again at 1 s).
type catalogWaits struct {
	since *lru.Cache[types.UID, catalogWait]
}

type catalogWait struct {
	revision string
	since    time.Time
}

const maxCatalogWaits = 4096

func newCatalogWaits() *catalogWaits {
	return &catalogWaits{since: lru.New[types.UID, catalogWait](maxCatalogWaits)}
}

// next is how long to wait before asking the pods of endpoint again, which
// lag behind revision at now. A new revision starts the wait afresh. A
// reconciler made without SetupWithManager has none and asks every second.
func (w *catalogWaits) next(endpoint types.UID, revision string, now time.Time) time.Duration {
	if w == nil {
		return catalogRecheckMin
	}
	wait, ok := w.since.Get(endpoint, now)
	if !ok || wait.revision != revision {
		w.since.Add(endpoint, catalogWait{revision: revision, since: now}, time.Time{}, now)
		return catalogRecheckMin
	}
	return min(max(now.Sub(wait.since)/catalogRecheckFraction, catalogRecheckMin), catalogRecheckMax)
}

// caughtUp forgets endpoint: its pods serve its current catalog.
func (w *catalogWaits) caughtUp(endpoint types.UID) {
	if w != nil {
		w.since.Remove(endpoint)
	}
}
