package storage

import (
	"container/list"
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache keeps whole small files (playlists, segments) read from a store,
// bounded in bytes, least recently used out first. Every key it is given
// names immutable content (a revision folder, a CID), so an entry never
// goes stale. Concurrent misses of one key make one read: two hundred
// viewers starting the same segment cost the store one request.
type Cache struct {
	max, maxObject int64

	mu    sync.Mutex
	used  int64
	items map[string]*list.Element
	order *list.List // front: most recently used

	flight         singleflight.Group
	hits, misses   atomic.Int64
	evictedEntries atomic.Int64
}

type cached struct {
	key  string
	data []byte
	info Info
}

// readTimeout bounds one shared read of a whole cached file.
const readTimeout = 30 * time.Second

// NewCache holds at most maxBytes; files larger than maxObject are never
// kept (they are streamed).
func NewCache(maxBytes, maxObject int64) *Cache {
	return &Cache{max: maxBytes, maxObject: min(maxObject, maxBytes), items: map[string]*list.Element{}, order: list.New()}
}

// Stats are the cache's counters since it was made.
type Stats struct {
	Hits, Misses, Evictions int64
	Bytes                   int64
	Entries                 int
}

// Stats reads the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictedEntries.Load(), Bytes: c.used, Entries: len(c.items)}
}

// MaxObject is the largest file the cache keeps.
func (c *Cache) MaxObject() int64 { return c.maxObject }

func (c *Cache) get(key string) (*cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cached), true
	}
	return nil, false
}

func (c *Cache) add(e *cached) {
	size := int64(len(e.data))
	if size > c.maxObject {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[e.key]; ok {
		return
	}
	for c.used+size > c.max && c.order.Len() > 0 {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.items, old.key)
		c.used -= int64(len(old.data))
		c.evictedEntries.Add(1)
	}
	c.items[e.key] = c.order.PushFront(e)
	c.used += size
}

// Read returns the whole file at key of r (whose cache key is id+key),
// from memory when it is there. Files larger than MaxObject are not read:
// it returns their Info with nil data and ok false, for the caller to
// stream.
func (c *Cache) Read(ctx context.Context, r Reader, id, key string) (data []byte, info Info, ok bool, err error) {
	cacheKey := id + "\x00" + key
	if e, hit := c.get(cacheKey); hit {
		c.hits.Add(1)
		return e.data, e.info, true, nil
	}
	c.misses.Add(1)
	v, err, _ := c.flight.Do(cacheKey, func() (any, error) {
		// Shared by every waiter: one viewer hanging up must not fail the
		// others' read.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readTimeout)
		defer cancel()
		info, err := r.Stat(ctx, key)
		if err != nil {
			return nil, err
		}
		if info.Size > c.maxObject {
			return &cached{info: info}, nil
		}
		body, err := r.ReadRange(ctx, key, 0, -1)
		if err != nil {
			return nil, err
		}
		defer func() { _ = body.Close() }()
		data, err := io.ReadAll(io.LimitReader(body, info.Size+1))
		if err != nil {
			return nil, fail(Unreachable, "read "+key, err)
		}
		if int64(len(data)) != info.Size {
			return nil, fail(Unreachable, "read "+key, io.ErrUnexpectedEOF)
		}
		e := &cached{key: cacheKey, data: data, info: info}
		c.add(e)
		return e, nil
	})
	if err != nil {
		return nil, Info{}, false, err
	}
	e := v.(*cached)
	return e.data, e.info, e.data != nil, nil
}
