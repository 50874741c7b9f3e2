package stream

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type serverMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	bytes    *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	denials  *prometheus.CounterVec
	signIns  *prometheus.CounterVec
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
			Help: "Sign-in attempts by result."}, []string{"result"}),
	}
	reg.MustRegister(m.requests, m.bytes, m.latency, m.denials, m.signIns)
	return m
}

func (m *serverMetrics) observe(route string, status int, bytes int64, start time.Time) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.bytes.WithLabelValues(route).Add(float64(bytes))
	m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
}

func (m *serverMetrics) denied(reason string) { m.denials.WithLabelValues(reason).Inc() }
func (m *serverMetrics) signIn(result string) { m.signIns.WithLabelValues(result).Inc() }

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
