package stream

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/streamgate-io/streamgate/internal/storage"
)

type serverMetrics struct {
	once     sync.Once
	routes   map[string]*routeMetrics
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	bytes    *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	denials  *prometheus.CounterVec
	signIns  *prometheus.CounterVec
	limited  *prometheus.CounterVec
}

func newServerMetrics(reg *prometheus.Registry) *serverMetrics {
	m := &serverMetrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_serve_requests_total",
			Help: "HTTP requests by route and status code."}, []string{"route", "code"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_serve_response_bytes_total",
			Help: "Body bytes sent, by route."}, []string{"route"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "streamgate_serve_request_duration_seconds",
			Help:    "Time to answer, by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}}, []string{"route"}),
		denials: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_serve_token_denials_total",
			Help: "Requests refused for their playback token, by reason."}, []string{"reason"}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_serve_signins_total",
			Help: "Sign-in attempts by result: allowed, or the refusal's code."}, []string{"result"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "streamgate_serve_rate_limited_total",
			Help: "Requests to /auth/* answered 429, by the limit hit (client or wallet)."}, []string{"limit"}),
	}
	reg.MustRegister(m.requests, m.bytes, m.latency, m.denials, m.signIns, m.limited)
	return m
}

// Routes of the hot path have their metric children resolved once.
const (
	routeSegment  = "segment"
	routePlaylist = "playlist"
)

type routeMetrics struct {
	ok, partial, notModified prometheus.Counter
	bytes                    prometheus.Counter
	latency                  prometheus.Observer
}

func (m *serverMetrics) route(name string) *routeMetrics {
	m.once.Do(func() {
		m.routes = map[string]*routeMetrics{}
		for _, r := range []string{routeSegment, routePlaylist} {
			m.routes[r] = &routeMetrics{
				ok: m.requests.WithLabelValues(r, "200"), partial: m.requests.WithLabelValues(r, "206"),
				notModified: m.requests.WithLabelValues(r, "304"),
				bytes:       m.bytes.WithLabelValues(r), latency: m.latency.WithLabelValues(r),
			}
		}
	})
	return m.routes[name]
}

func (m *serverMetrics) observe(route string, status int, bytes int64, start time.Time) {
	if rm := m.route(route); rm != nil {
		switch status {
		case 200:
			rm.ok.Inc()
		case 206:
			rm.partial.Inc()
		case 304:
			rm.notModified.Inc()
		default:
			m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		}
		rm.bytes.Add(float64(bytes))
		rm.latency.Observe(time.Since(start).Seconds())
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.bytes.WithLabelValues(route).Add(float64(bytes))
	m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
}

func (m *serverMetrics) denied(reason string)     { m.denials.WithLabelValues(reason).Inc() }
func (m *serverMetrics) signIn(result string)     { m.signIns.WithLabelValues(result).Inc() }
func (m *serverMetrics) rateLimited(limit string) { m.limited.WithLabelValues(limit).Inc() }

func (s *Server) instrument(route string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h(rec, r)
		s.metrics.observe(route, rec.status, rec.bytes, start)
	}
}

// statusRecorder remembers the status and counts the body. It passes
// ReadFrom through so that files still go out with sendfile.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) ReadFrom(src io.Reader) (int64, error) {
	n, err := io.Copy(r.ResponseWriter, src)
	r.bytes += n
	return n, err
}

// RegisterMetrics registers the metrics of `streamgate serve` in reg, for
// checks of the alerts and dashboards that name them.
func RegisterMetrics(reg *prometheus.Registry) { newServerMetrics(reg) }

// registerStoreCacheMetrics exposes the store cache's counters: its hit
// ratio says whether the cache is big enough for the videos watched.
func registerStoreCacheMetrics(reg prometheus.Registerer, c *storage.Cache) {
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "streamgate_serve_store_cache_hits_total",
			Help: "Reads of stored playlists and segments answered from memory."}, func() float64 { return float64(c.Stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "streamgate_serve_store_cache_misses_total",
			Help: "Reads of stored playlists and segments that went to the object store or IPFS."}, func() float64 { return float64(c.Stats().Misses) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "streamgate_serve_store_cache_bytes",
			Help: "Bytes of stored files held in memory."}, func() float64 { return float64(c.Stats().Bytes) }),
	)
}
