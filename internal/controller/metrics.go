package controller

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

var (
	transcodeDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "streamgate_transcode_duration_seconds",
		Help:    "Wall time of successful transcodes, from the first pod's start to completion.",
		Buckets: prometheus.ExponentialBuckets(5, 2, 12), // 5s .. ~2.8h
	})
	transcodeFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "streamgate_transcode_failures_total",
		Help: "TranscodeJobs that failed for good, by reason.",
	}, []string{"reason"})
	transcodesSucceeded = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "streamgate_transcodes_succeeded_total",
		Help: "TranscodeJobs that published a ladder.",
	})
	transcodesQueued = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "streamgate_transcodes_queued",
		Help: "TranscodeJobs waiting for a free slot under the per-namespace cap.",
	}, []string{"namespace"})
)

func init() {
	metrics.Registry.MustRegister(transcodeDuration, transcodeFailures, transcodesSucceeded, transcodesQueued)
}

// videoPhaseCollector counts Videos by phase from the informer cache at
// scrape time, so the gauge is always what the cluster says.
type videoPhaseCollector struct {
	mu     sync.Mutex
	reader client.Reader
	desc   *prometheus.Desc
}

var videoPhases = &videoPhaseCollector{desc: prometheus.NewDesc("streamgate_videos",
	"Videos by namespace and phase.", []string{"namespace", "phase"}, nil)}

func init() { metrics.Registry.MustRegister(videoPhases) }

func (c *videoPhaseCollector) setReader(r client.Reader) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reader = r
}

func (c *videoPhaseCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *videoPhaseCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	reader := c.reader
	c.mu.Unlock()
	if reader == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var videos streamgatev1alpha1.VideoList
	if err := reader.List(ctx, &videos); err != nil {
		return
	}
	type key struct{ namespace, phase string }
	counts := map[key]int{}
	for _, v := range videos.Items {
		phase := string(v.Status.Phase)
		if phase == "" {
			phase = string(streamgatev1alpha1.VideoPhasePending)
		}
		counts[key{v.Namespace, phase}]++
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k.namespace, k.phase)
	}
}

// endpointCollector reports each StreamEndpoint's served videos and ready
// pods from the informer cache at scrape time.
type endpointCollector struct {
	mu       sync.Mutex
	reader   client.Reader
	videos   *prometheus.Desc
	replicas *prometheus.Desc
	ready    *prometheus.Desc
}

var endpoints = &endpointCollector{
	videos:   prometheus.NewDesc("streamgate_endpoint_videos", "Videos in a StreamEndpoint's catalog.", []string{"namespace", "endpoint"}, nil),
	replicas: prometheus.NewDesc("streamgate_endpoint_ready_replicas", "Ready streaming pods of a StreamEndpoint.", []string{"namespace", "endpoint"}, nil),
	ready:    prometheus.NewDesc("streamgate_endpoint_ready", "1 when a StreamEndpoint's Ready condition is True.", []string{"namespace", "endpoint"}, nil),
}

func init() { metrics.Registry.MustRegister(endpoints) }

func (c *endpointCollector) setReader(r client.Reader) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reader = r
}

func (c *endpointCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.videos
	ch <- c.replicas
	ch <- c.ready
}

func (c *endpointCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	reader := c.reader
	c.mu.Unlock()
	if reader == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var list streamgatev1alpha1.StreamEndpointList
	if err := reader.List(ctx, &list); err != nil {
		return
	}
	for _, se := range list.Items {
		ready := 0.0
		if c := findCondition(se.Status.Conditions, streamgatev1alpha1.ConditionReady); c != nil && c.Status == "True" {
			ready = 1
		}
		ch <- prometheus.MustNewConstMetric(c.videos, prometheus.GaugeValue, float64(se.Status.Videos), se.Namespace, se.Name)
		ch <- prometheus.MustNewConstMetric(c.replicas, prometheus.GaugeValue, float64(se.Status.ReadyReplicas), se.Namespace, se.Name)
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, ready, se.Namespace, se.Name)
	}
}

// gateCollector reports each NFTGate's Ready condition.
type gateCollector struct {
	mu     sync.Mutex
	reader client.Reader
	ready  *prometheus.Desc
}

var gates = &gateCollector{ready: prometheus.NewDesc("streamgate_nftgate_ready",
	"1 when an NFTGate's Ready condition is True.", []string{"namespace", "gate", "reason"}, nil)}

func init() { metrics.Registry.MustRegister(gates) }

func (c *gateCollector) setReader(r client.Reader) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reader = r
}

func (c *gateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.ready }

func (c *gateCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	reader := c.reader
	c.mu.Unlock()
	if reader == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var list streamgatev1alpha1.NFTGateList
	if err := reader.List(ctx, &list); err != nil {
		return
	}
	for _, g := range list.Items {
		ready, reason := 0.0, "Unknown"
		if cond := findCondition(g.Status.Conditions, streamgatev1alpha1.ConditionReady); cond != nil {
			reason = cond.Reason
			if cond.Status == "True" {
				ready = 1
			}
		}
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, ready, g.Namespace, g.Name, reason)
	}
}

// Collectors lists every collector the operator registers, for checks of
// the alerts and dashboards that name them.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{transcodeDuration, transcodeFailures, transcodesSucceeded, transcodesQueued, videoPhases, endpoints, gates}
}
