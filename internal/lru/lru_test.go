package lru

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestBoundEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[int, string](3)
	for i := range 3 {
		c.Add(i, "v", time.Time{}, t0)
	}
	c.Get(0, t0) // 1 is now the least recently used
	c.Add(3, "v", time.Time{}, t0)
	if _, ok := c.Get(1, t0); ok {
		t.Fatal("1 should have been evicted")
	}
	for _, k := range []int{0, 2, 3} {
		if _, ok := c.Get(k, t0); !ok {
			t.Fatalf("%d evicted", k)
		}
	}
	if c.Len() != 3 {
		t.Fatalf("len %d", c.Len())
	}
}

func TestExpiredEntriesAreNeverReturnedAndMakeRoom(t *testing.T) {
	c := New[int, int](2)
	c.Add(1, 1, t0.Add(time.Minute), t0)
	if _, ok := c.Get(1, t0.Add(time.Minute)); ok {
		t.Fatal("returned at its expiry")
	}
	if c.Len() != 0 {
		t.Fatal("expired entry kept after Get")
	}
	c.Add(1, 1, t0.Add(time.Minute), t0)
	c.Add(2, 2, t0.Add(time.Hour), t0)
	// 1 is expired at the back: AddIfRoom may take its place.
	if !c.AddIfRoom(3, 3, t0.Add(time.Hour), t0.Add(2*time.Minute)) {
		t.Fatal("no room made from an expired entry")
	}
	// Now full of live entries: AddIfRoom refuses rather than forget one.
	if c.AddIfRoom(4, 4, t0.Add(time.Hour), t0.Add(2*time.Minute)) {
		t.Fatal("AddIfRoom evicted a live entry")
	}
	if _, ok := c.Get(2, t0.Add(2*time.Minute)); !ok {
		t.Fatal("live entry lost")
	}
}

func TestRemoveFunc(t *testing.T) {
	c := New[string, int](10)
	c.Add("a1", 1, time.Time{}, t0)
	c.Add("b1", 1, time.Time{}, t0)
	c.RemoveFunc(func(k string) bool { return k[0] == 'a' })
	if _, ok := c.Get("a1", t0); ok || c.Len() != 1 {
		t.Fatal("RemoveFunc")
	}
}
