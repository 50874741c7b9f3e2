package controller

import (
	"strconv"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

func TestCatalogRecheckBacksOffWhilePodsLag(t *testing.T) {
	waits := newCatalogWaits()
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		after    time.Duration
		revision string
		want     time.Duration
	}{
		{0, "aaaa", time.Second},
		{time.Second, "aaaa", time.Second},
		{8 * time.Second, "aaaa", 2 * time.Second},
		{60 * time.Second, "aaaa", 15 * time.Second},
		{10 * time.Minute, "aaaa", 30 * time.Second},
		// A new catalog is asked about every second again.
		{10*time.Minute + time.Second, "bbbb", time.Second},
		{10*time.Minute + 5*time.Second, "bbbb", time.Second},
	}
	for _, s := range steps {
		if got := waits.next("uid-1", s.revision, start.Add(s.after)); got != s.want {
			t.Errorf("%s after the first ask, revision %s: wait %s, want %s", s.after, s.revision, got, s.want)
		}
	}
	// Caught up, then lagging again later: the wait starts afresh.
	waits.caughtUp("uid-1")
	if got := waits.next("uid-1", "bbbb", start.Add(time.Hour)); got != time.Second {
		t.Errorf("after catching up: wait %s, want 1s", got)
	}
	// Another endpoint has its own wait.
	if got := waits.next("uid-2", "bbbb", start.Add(time.Hour+time.Minute)); got != time.Second {
		t.Errorf("another endpoint: wait %s, want 1s", got)
	}
}

func TestCatalogWaitsAreBounded(t *testing.T) {
	waits := newCatalogWaits()
	now := time.Now()
	for i := range 2 * maxCatalogWaits {
		waits.next(types.UID(strconv.Itoa(i)), "aaaa", now)
	}
	if n := waits.since.Len(); n != maxCatalogWaits {
		t.Errorf("%d endpoints remembered, want at most %d", n, maxCatalogWaits)
	}
}
