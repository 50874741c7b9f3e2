// Package lru is a bounded map with expiry: every in-memory store of the
// data plane (gate decisions, spent nonces, rate-limit buckets, parsed
// playlists) is one of these, so that no viewer, however many addresses or
// wallets they bring, can grow a process's memory without limit.
package lru

import (
	"container/list"
	"sync"
	"time"
)

// Cache holds at most Max entries; adding to a full cache evicts the least
// recently used one. An entry past its expiry is never returned and is
// dropped when met. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	max int

	mu      sync.Mutex
	entries map[K]*list.Element
	order   *list.List // front: most recently used
}

type entry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time // zero: never
}

// New makes a cache of at most max entries (at least 1).
func New[K comparable, V any](max int) *Cache[K, V] {
	if max < 1 {
		max = 1
	}
	return &Cache[K, V]{max: max, entries: map[K]*list.Element{}, order: list.New()}
}

// Get returns the value of key unless it is missing or expired at now.
func (c *Cache[K, V]) Get(key K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*entry[K, V])
	if expired(e, now) {
		c.removeElement(el)
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// Add sets key to value until expires (zero: no expiry), evicting the least
// recently used entry when full. Expired entries at the back go first.
func (c *Cache[K, V]) Add(key K, value V, expires, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*entry[K, V])
		e.value, e.expires = value, expires
		c.order.MoveToFront(el)
		return
	}
	c.dropExpiredTail(now)
	for c.order.Len() >= c.max {
		c.removeElement(c.order.Back())
	}
	c.entries[key] = c.order.PushFront(&entry[K, V]{key: key, value: value, expires: expires})
}

// AddIfRoom adds key only when that evicts no live entry, and reports
// whether it did. Stores whose entries must not be forgotten early (spent
// nonces: forgetting one would allow a replay) use it and fail closed.
func (c *Cache[K, V]) AddIfRoom(key K, value V, expires, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return false
	}
	c.dropExpiredTail(now)
	if c.order.Len() >= c.max {
		c.dropExpired(now)
		if c.order.Len() >= c.max {
			return false
		}
	}
	c.entries[key] = c.order.PushFront(&entry[K, V]{key: key, value: value, expires: expires})
	return true
}

// Remove drops key.
func (c *Cache[K, V]) Remove(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.removeElement(el)
	}
}

// RemoveFunc drops every entry whose key matches.
func (c *Cache[K, V]) RemoveFunc(match func(K) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, el := range c.entries {
		if match(key) {
			c.removeElement(el)
		}
	}
}

// Len is the number of entries held, expired ones not yet dropped included.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Max is the bound.
func (c *Cache[K, V]) Max() int { return c.max }

func (c *Cache[K, V]) dropExpiredTail(now time.Time) {
	for el := c.order.Back(); el != nil && expired(el.Value.(*entry[K, V]), now); el = c.order.Back() {
		c.removeElement(el)
	}
}

func (c *Cache[K, V]) dropExpired(now time.Time) {
	for el := c.order.Back(); el != nil; {
		prev := el.Prev()
		if expired(el.Value.(*entry[K, V]), now) {
			c.removeElement(el)
		}
		el = prev
	}
}

func (c *Cache[K, V]) removeElement(el *list.Element) {
	c.order.Remove(el)
	delete(c.entries, el.Value.(*entry[K, V]).key)
}

func expired[K comparable, V any](e *entry[K, V], now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}
