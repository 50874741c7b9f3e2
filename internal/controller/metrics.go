package controller

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
)

func init() {
	metrics.Registry.MustRegister(transcodeDuration, transcodeFailures, transcodesSucceeded)
}

// cacheCollector computes gauges from the informer cache at scrape time,
// so they are always what the cluster says, and never outlive an object.
type cacheCollector struct {
	mu      sync.Mutex
	reader  client.Reader
	descs   []*prometheus.Desc
	collect func(ctx context.Context, r client.Reader, ch chan<- prometheus.Metric) error
}

// setReader sets the cache the gauges count from. Its lists are read
// without copies (client.UnsafeDisableDeepCopy): a scrape only reads them,
// and with ten thousand Videos a copy per scrape would be most of its cost.
func (c *cacheCollector) setReader(r client.Reader) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reader = r
}

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	reader := c.reader
	c.mu.Unlock()
	if reader == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.collect(ctx, reader, ch) // a failed list leaves the gauges out of this scrape
}

var (
	videosDesc           = prometheus.NewDesc("streamgate_videos", "Videos by namespace and phase.", []string{"namespace", "phase"}, nil)
	endpointVideosDesc   = prometheus.NewDesc("streamgate_endpoint_videos", "Videos in a StreamEndpoint's catalog.", []string{"namespace", "endpoint"}, nil)
	endpointReplicasDesc = prometheus.NewDesc("streamgate_endpoint_ready_replicas", "Ready streaming pods of a StreamEndpoint.", []string{"namespace", "endpoint"}, nil)
	endpointReadyDesc    = prometheus.NewDesc("streamgate_endpoint_ready", "1 when a StreamEndpoint's Ready condition is True.", []string{"namespace", "endpoint"}, nil)
	gateReadyDesc        = prometheus.NewDesc("streamgate_nftgate_ready", "1 when an NFTGate's Ready condition is True.", []string{"namespace", "gate", "reason"}, nil)
	queuedDesc           = prometheus.NewDesc("streamgate_transcodes_queued", "TranscodeJobs waiting for a free slot under the per-namespace cap.", []string{"namespace"}, nil)
)

// queued counts, at scrape time, the TranscodeJobs that wait for a slot: a
// gauge set by whichever TranscodeJob reconciled last told only that one's
// place in the queue.
var queued = &cacheCollector{descs: []*prometheus.Desc{queuedDesc},
	collect: func(ctx context.Context, r client.Reader, ch chan<- prometheus.Metric) error {
		var list streamgatev1alpha1.TranscodeJobList
		if err := r.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
			return err
		}
		counts := map[string]int{}
		for _, tj := range list.Items {
			counts[tj.Namespace] += 0 // a namespace with TranscodeJobs reports 0 rather than nothing
			if c := findCondition(tj.Status.Conditions, streamgatev1alpha1.ConditionReady); c != nil && c.Reason == reasonQueued && !isFinal(tj.Status.Phase) {
				counts[tj.Namespace]++
			}
		}
		for ns, n := range counts {
			ch <- prometheus.MustNewConstMetric(queuedDesc, prometheus.GaugeValue, float64(n), ns)
		}
		return nil
	}}

var videoPhases = &cacheCollector{descs: []*prometheus.Desc{videosDesc},
	collect: func(ctx context.Context, r client.Reader, ch chan<- prometheus.Metric) error {
		var videos streamgatev1alpha1.VideoList
		if err := r.List(ctx, &videos, client.UnsafeDisableDeepCopy); err != nil {
			return err
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
			ch <- prometheus.MustNewConstMetric(videosDesc, prometheus.GaugeValue, float64(n), k.namespace, k.phase)
		}
		return nil
	}}

var endpoints = &cacheCollector{descs: []*prometheus.Desc{endpointVideosDesc, endpointReplicasDesc, endpointReadyDesc},
	collect: func(ctx context.Context, r client.Reader, ch chan<- prometheus.Metric) error {
		var list streamgatev1alpha1.StreamEndpointList
		if err := r.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
			return err
		}
		for _, se := range list.Items {
			ready, _ := readyOf(se.Status.Conditions)
			ch <- prometheus.MustNewConstMetric(endpointVideosDesc, prometheus.GaugeValue, float64(se.Status.Videos), se.Namespace, se.Name)
			ch <- prometheus.MustNewConstMetric(endpointReplicasDesc, prometheus.GaugeValue, float64(se.Status.ReadyReplicas), se.Namespace, se.Name)
			ch <- prometheus.MustNewConstMetric(endpointReadyDesc, prometheus.GaugeValue, ready, se.Namespace, se.Name)
		}
		return nil
	}}

var gates = &cacheCollector{descs: []*prometheus.Desc{gateReadyDesc},
	collect: func(ctx context.Context, r client.Reader, ch chan<- prometheus.Metric) error {
		var list streamgatev1alpha1.NFTGateList
		if err := r.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
			return err
		}
		for _, g := range list.Items {
			ready, reason := readyOf(g.Status.Conditions)
			ch <- prometheus.MustNewConstMetric(gateReadyDesc, prometheus.GaugeValue, ready, g.Namespace, g.Name, reason)
		}
		return nil
	}}

// readyOf is 1 when the Ready condition is True, with its reason.
func readyOf(conditions []metav1.Condition) (float64, string) {
	c := findCondition(conditions, streamgatev1alpha1.ConditionReady)
	switch {
	case c == nil:
		return 0, "Unknown"
	case c.Status == metav1.ConditionTrue:
		return 1, c.Reason
	default:
		return 0, c.Reason
	}
}

func init() { metrics.Registry.MustRegister(videoPhases, endpoints, gates, queued) }

// Collectors lists every collector the operator registers, for checks of
// the alerts and dashboards that name them.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{transcodeDuration, transcodeFailures, transcodesSucceeded, videoPhases, endpoints, gates, queued}
}
