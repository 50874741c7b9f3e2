package controller

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
)

// Options are the operator's settings. cmd/streamgate and every test build
// the manager from them with the same functions (CacheOptions, SetupAll), so
// a test sees what a real install sees.
type Options struct {
	Transcode TranscodeConfig
	Serve     ServeConfig
	// WatchNamespaces limits the operator to these namespaces (OLM's
	// OwnNamespace, SingleNamespace and MultiNamespace install modes);
	// empty means every namespace.
	WatchNamespaces []string
	// GateRecheck is how often a Ready NFTGate is validated again (0: the
	// default, 10 minutes).
	GateRecheck time.Duration
	// SupersededOutputGrace is how long a replaced ladder stays after its
	// replacement was published (0: DefaultSupersededOutputGrace).
	SupersededOutputGrace time.Duration
	// Now is the clock of the reconcilers that keep time (default time.Now).
	Now func() time.Time
	// MaxConcurrentReconciles is how many objects each controller
	// reconciles at once (0: DefaultMaxConcurrentReconciles).
	MaxConcurrentReconciles int
	// SyncPeriod is how often the informers replay every object to the
	// reconcilers (0: controller-runtime's default, about 10 hours).
	SyncPeriod time.Duration
}

// DefaultMaxConcurrentReconciles lets one controller keep the API server
// busy while others wait on it; reconciles are short and mostly I/O.
const DefaultMaxConcurrentReconciles = 8

func (o Options) workers() int {
	if o.MaxConcurrentReconciles > 0 {
		return o.MaxConcurrentReconciles
	}
	return DefaultMaxConcurrentReconciles
}

// ManagerOptions are the parts of the manager's options that come from
// the operator's settings: its cache, and how many reconciles each
// controller runs at once. The caller adds the scheme, metrics, probes and
// leader election.
func ManagerOptions(opts Options) ctrl.Options {
	return ctrl.Options{
		Cache:      CacheOptions(opts),
		Controller: config.Controller{MaxConcurrentReconciles: opts.workers()},
	}
}

// WatchNamespacesFromEnv reads WATCH_NAMESPACE as OLM sets it from the
// OperatorGroup's target namespaces: empty for all, else a comma list.
func WatchNamespacesFromEnv() []string {
	var out []string
	for _, ns := range strings.Split(os.Getenv("WATCH_NAMESPACE"), ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			out = append(out, ns)
		}
	}
	return out
}

// CacheOptions is the manager's informer cache: only what StreamGate made
// of the kinds it creates, in the watched namespaces. Other people's
// Secrets are not in it; their metadata is in the tenant Secret cache of
// SetupAll.
func CacheOptions(opts Options) cache.Options {
	// Only the Jobs and pods StreamGate makes are cached, not the cluster's.
	ownedOnly := labels.SelectorFromSet(nil)
	if req, err := labels.NewRequirement(LabelTranscodeJob, selection.Exists, nil); err == nil {
		ownedOnly = ownedOnly.Add(*req)
	}
	managed := labels.SelectorFromSet(labels.Set{labelManagedBy: managedByValue})
	var syncPeriod *time.Duration
	if opts.SyncPeriod > 0 {
		syncPeriod = &opts.SyncPeriod
	}
	return cache.Options{
		SyncPeriod:        syncPeriod,
		DefaultNamespaces: namespaceConfig(opts.WatchNamespaces),
		DefaultTransform:  cache.TransformStripManagedFields(),
		ByObject: map[client.Object]cache.ByObject{
			&batchv1.Job{}:           {Label: ownedOnly, Transform: withoutPodSpec},
			&corev1.Pod{}:            {Label: ownedOnly, Transform: withoutPodSpec},
			&corev1.ServiceAccount{}: {Label: managed},
			&rbacv1.Role{}:           {Label: managed},
			&rbacv1.RoleBinding{}:    {Label: managed},
			// A StreamEndpoint's children. Tenants' Secrets are read one
			// at a time through the API reader and watched by metadata
			// through the tenant Secret cache.
			&corev1.Secret{}:    {Label: managed},
			&corev1.ConfigMap{}: {Label: managed},
			&corev1.Service{}:   {Label: managed},
			// Slices carry their Service's labels.
			&discoveryv1.EndpointSlice{}:             {Label: managed},
			&appsv1.Deployment{}:                     {Label: managed},
			&autoscalingv2.HorizontalPodAutoscaler{}: {Label: managed},
			&policyv1.PodDisruptionBudget{}:          {Label: managed},
			&corev1.PersistentVolumeClaim{}:          {Label: managed},
		},
	}
}

// withoutPodSpec drops from the cached transcode Jobs and pods what the
// operator never reads back: the pod spec it wrote (most of each object's
// size, several KiB each), and managed fields. The reconcilers read the
// Jobs' and pods' status, labels and owners, and only create and delete
// them, never update from the cache.
func withoutPodSpec(obj any) (any, error) {
	switch o := obj.(type) {
	case *batchv1.Job:
		o.Spec.Template = corev1.PodTemplateSpec{}
	case *corev1.Pod:
		o.Spec = corev1.PodSpec{}
	}
	return cache.TransformStripManagedFields()(obj)
}

func namespaceConfig(namespaces []string) map[string]cache.Config {
	if len(namespaces) == 0 {
		return nil
	}
	out := map[string]cache.Config{}
	for _, ns := range namespaces {
		out[ns] = cache.Config{}
	}
	return out
}

// secretMetadata is the metadata of a Secret, for watches that only need
// to know that one changed.
func secretMetadata() *metav1.PartialObjectMetadata {
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	return m
}

// SetupAll registers every reconciler with mgr, and the cache their tenant
// Secret watches use: metadata only (no Secret data is ever cached) and no
// label filter, because an NFTGate names a Secret its tenant made — which
// the manager's cache, filtered to what StreamGate made, would never see
// change.
func SetupAll(mgr ctrl.Manager, opts Options) error {
	tenantSecrets, err := cache.New(mgr.GetConfig(), cache.Options{
		Scheme: mgr.GetScheme(), Mapper: mgr.GetRESTMapper(),
		DefaultNamespaces: namespaceConfig(opts.WatchNamespaces),
		DefaultTransform:  cache.TransformStripManagedFields(),
	})
	if err != nil {
		return fmt.Errorf("tenant Secret cache: %w", err)
	}
	if err := mgr.Add(tenantSecrets); err != nil {
		return fmt.Errorf("run the tenant Secret cache: %w", err)
	}
	recorder := func(name string) events.EventRecorder {
		return RedactingRecorder(mgr.GetEventRecorder("streamgate-" + name))
	}
	reconcilers := []struct {
		name  string
		setup func(ctrl.Manager) error
	}{
		{"Video", (&VideoReconciler{Client: mgr.GetClient(), Recorder: recorder("video"),
			SupersededOutputGrace: opts.SupersededOutputGrace, Now: opts.Now}).SetupWithManager},
		{"TranscodeJob", (&TranscodeJobReconciler{Client: mgr.GetClient(),
			Recorder: recorder("transcodejob"), Config: opts.Transcode, Now: opts.Now}).SetupWithManager},
		{"NFTGate", (&NFTGateReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), TenantSecrets: tenantSecrets,
			Recorder: recorder("nftgate"), RecheckInterval: opts.GateRecheck, Now: opts.Now}).SetupWithManager},
		{"StreamEndpoint", (&StreamEndpointReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), TenantSecrets: tenantSecrets,
			Recorder: recorder("streamendpoint"), Config: opts.Serve, Now: opts.Now}).SetupWithManager},
		{"ChainIndexer", (&ChainIndexerReconciler{Client: mgr.GetClient(), Recorder: recorder("chainindexer"), Config: opts.Serve}).SetupWithManager},
	}
	for _, r := range reconcilers {
		if err := r.setup(mgr); err != nil {
			return fmt.Errorf("set up the %s controller: %w", r.name, err)
		}
	}
	return nil
}

// tenantSecretWatch wakes what mapFn names when a Secret of a tenant is
// created, changed or deleted, seen through the tenant Secret cache.
func tenantSecretWatch(c cache.Cache, mapFn func(context.Context, client.Object) []reconcile.Request) source.Source {
	return source.Kind(c, secretMetadata(), handler.TypedEnqueueRequestsFromMapFunc(
		func(ctx context.Context, s *metav1.PartialObjectMetadata) []reconcile.Request { return mapFn(ctx, s) }))
}
