package stream

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/streamgate-io/streamgate/internal/lru"
)

// maxLimiterKeys bounds each limiter's memory; an evicted bucket is a full
// one, so eviction only ever errs towards letting a client in.
const maxLimiterKeys = 100_000

// limiter is a token bucket per key: perMinute requests a minute, in bursts
// of up to perMinute.
type limiter struct {
	perMinute float64

	mu      sync.Mutex // a bucket's read and write are one step
	buckets *lru.Cache[string, bucket]
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: float64(perMinute), buckets: lru.New[string, bucket](maxLimiterKeys)}
}

// allow takes a token for key; when none is left it says how many seconds
// until one is.
func (l *limiter) allow(key string, now time.Time) (ok bool, retryAfter int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.buckets.Get(key, now)
	if !found {
		b = bucket{tokens: l.perMinute, at: now}
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(l.perMinute, b.tokens+elapsed.Minutes()*l.perMinute)
		b.at = now
	}
	ok = b.tokens >= 1
	if ok {
		b.tokens--
	} else {
		retryAfter = int(math.Ceil((1 - b.tokens) / l.perMinute * 60))
	}
	// A bucket that is full again is the same as no bucket: it expires then.
	full := now.Add(time.Duration((l.perMinute - b.tokens) / l.perMinute * float64(time.Minute)))
	l.buckets.Add(key, b, full, now)
	return ok, retryAfter
}

// clientKey is the rate-limit key of an address: IPv6 clients are told
// apart by their /64, which one subscriber usually holds whole.
func clientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// clientAddress is who sent the request: the peer, or, when the peer is a
// trusted proxy, the nearest address in X-Forwarded-For that is not one.
// Addresses a client writes itself (the left of the header) are never
// believed past the first untrusted hop.
func clientAddress(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbage: stop at the last hop we could read
		}
		peer = hop.Unmap()
		if !isTrusted(peer, trusted) {
			break
		}
	}
	return peer.String()
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
