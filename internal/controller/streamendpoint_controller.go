package controller

import (
	"context"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// Annotations and names of a StreamEndpoint's children.
const (
	// AnnotationRotateSigningKey: set it to a new value to rotate the
	// endpoint's token signing key; the old key is still accepted for one
	// token TTL.
	AnnotationRotateSigningKey = "streamgate.io/rotate-signing-key"
	annotationRotatedFor       = "streamgate.io/rotated-for"
	labelEndpoint              = "streamgate.io/streamendpoint"
	componentServe             = "serve"
	serveContainer             = "serve"
	servePort                  = 8080
	serveMetricsPort           = 9090
	catalogMount               = "/etc/streamgate/catalog"
	secretMount                = "/etc/streamgate/secret"
)

// Reasons of a StreamEndpoint's conditions.
const (
	reasonNoVideosSelected      = "NoVideosSelected"
	reasonGateNotReady          = "GateNotReady"
	reasonDeploymentUnavailable = "DeploymentUnavailable"
	reasonNoServiceEndpoints    = "NoServiceEndpoints"
	reasonCatalogPropagating    = "CatalogPropagating"
	reasonServing               = "Serving"
	reasonSignInNotConfigured   = "SignInNotConfigured"
	reasonOutputOverlap         = "OutputOverlap"
)

// ServeConfig is the operator-wide configuration of streaming pods.
type ServeConfig struct {
	Image string
	// ServiceAddress is how status.url names the Service: "dns"
	// (name.namespace.svc) or "clusterip".
	ServiceAddress string
	// StoreCheckInterval is how often streaming pods check their stores,
	// and the controller asks them (default StorageRecheckInterval).
	StoreCheckInterval time.Duration
	// NoEndpointSlices says the cluster publishes no EndpointSlices (the
	// process node of `make demo`, whose Service forwarder routes to Ready
	// pods directly): Ready then stops at ready pods.
	NoEndpointSlices bool
}

func (c ServeConfig) storeCheckInterval() time.Duration {
	if c.StoreCheckInterval > 0 {
		return c.StoreCheckInterval
	}
	return StorageRecheckInterval
}

// StreamEndpointReconciler runs the streaming pods of a StreamEndpoint and
// keeps their catalog current.
type StreamEndpointReconciler struct {
	client.Client
	APIReader client.Reader
	// TenantSecrets sees every Secret's metadata (SetupAll makes it): the
	// gates' RPC Secrets are the tenants', not StreamGate's.
	TenantSecrets cache.Cache
	Recorder      events.EventRecorder
	Config        ServeConfig
	Now           func() time.Time

	catalogWaits *catalogWaits
}

// RBAC of the StreamEndpoint controller, and why:
// read the endpoints it runs.
// +kubebuilder:rbac:groups=streamgate.io,resources=streamendpoints,verbs=get;list;watch
// report their state (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=streamendpoints/status,verbs=get;patch
// own its children with blockOwnerDeletion (foreground deletion waits for them), which an API server with the
// OwnerReferencesPermissionEnforcement admission plugin (OpenShift's default) allows only to who may update the owner's finalizers.
// +kubebuilder:rbac:groups=streamgate.io,resources=streamendpoints/finalizers,verbs=update
// build the catalog from the selected Videos, their gates and indexers.
// +kubebuilder:rbac:groups=streamgate.io,resources=videos;nftgates;chainindexers,verbs=get;list;watch
// keep the catalog ConfigMap, the keys Secret and the Service; never delete them (garbage collection does).
// +kubebuilder:rbac:groups="",resources=configmaps;secrets;services,verbs=get;list;watch;create;update;patch
// keep the streaming Deployment; never delete it (garbage collection does).
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;update;patch
// keep the HPA and PDB, and delete them when autoscaling is turned off or one replica is left.
// +kubebuilder:rbac:groups=autoscaling,resources=horizontalpodautoscalers,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=get;list;watch;create;update;patch;delete
// annotate streaming pods with their catalog's revision when it changes: the kubelet then refreshes the mounted
// catalog at once instead of at its next periodic sync (about a minute), so a removed video or a tightened gate
// takes effect within a second (list through the API reader: serve pods are not cached).
// +kubebuilder:rbac:groups="",resources=pods,verbs=list;patch
// read the endpoint Service's EndpointSlices: Ready waits until the Service routes to a ready pod, since a
// Service answers a moment after its pods are Ready (cached: StreamGate's slices only, by their Service's labels).
// +kubebuilder:rbac:groups=discovery.k8s.io,resources=endpointslices,verbs=get;list;watch

func (r *StreamEndpointReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var se streamgatev1alpha1.StreamEndpoint
	if err := r.Get(ctx, req.NamespacedName, &se); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !se.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}

	cat, err := r.buildCatalog(ctx, &se)
	if err != nil {
		return ctrl.Result{}, err
	}
	children, err := r.ensureChildren(ctx, &se, cat.Catalog, cat.rpcSecrets)
	requeue := children.requeue
	var status streamgatev1alpha1.StreamEndpointStatus
	if err != nil {
		status = *se.Status.DeepCopy()
		status.ObservedGeneration = se.Generation
		setChildFailure(conditionSetter{conditions: &status.Conditions, generation: se.Generation}, err)
	} else {
		ready := routesToReadyPods
		if !r.Config.NoEndpointSlices {
			var lerr error
			if ready, lerr = r.readyServiceEndpoints(ctx, children.service); lerr != nil {
				return ctrl.Result{}, lerr
			}
		}
		answers, aerr := r.askPods(ctx, &se)
		if aerr != nil {
			return ctrl.Result{}, aerr
		}
		older := answers.olderCatalog(children.catalogRevision)
		status = r.endpointStatus(&se, cat.Catalog, cat.problems, children.deployment, children.service, ready, older)
		if older > 0 {
			// Nothing else would wake this reconcile when the pods load it.
			if again := r.catalogWaits.next(se.UID, children.catalogRevision, r.now()); requeue == 0 || requeue > again {
				requeue = again
			}
		} else {
			r.catalogWaits.caughtUp(se.UID)
		}
		kinds := storesOf(cat.Catalog)
		storageCondition(conditionSetter{conditions: &status.Conditions, generation: se.Generation}, kinds, answers)
		if every := r.Config.storeCheckInterval(); len(kinds) > 0 && (requeue == 0 || requeue > every) {
			// Ask the pods as often as they check.
			requeue = every
		}
	}
	before := se.DeepCopy()
	r.recordTransition(&se, status)
	r.recordStorageTransition(&se, status)
	se.Status = status
	if werr := writeStatus(ctx, r.Client, &se, before); werr != nil {
		return ctrl.Result{}, werr
	}
	return ctrl.Result{RequeueAfter: requeue}, err
}

func endpointChild(se *streamgatev1alpha1.StreamEndpoint, suffix string) string {
	return se.Name + "-" + suffix
}

func endpointLabels(se *streamgatev1alpha1.StreamEndpoint) map[string]string {
	return map[string]string{labelName: "streamgate", labelComponent: componentServe, labelManagedBy: managedByValue, labelEndpoint: se.Name}
}

// indexerURLChanged passes updates that change a ChainIndexer's status.url.
var indexerURLChanged = predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
	old, okOld := e.ObjectOld.(*streamgatev1alpha1.ChainIndexer)
	cur, okNew := e.ObjectNew.(*streamgatev1alpha1.ChainIndexer)
	return okOld && okNew && old.Status.URL != cur.Status.URL
}}

func (r *StreamEndpointReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// SetupWithManager watches endpoints, their children, the Videos they may
// select, the NFTGates of their namespace and the metadata of Secrets.
func (r *StreamEndpointReconciler) SetupWithManager(mgr ctrl.Manager) error {
	endpoints.setReader(mgr.GetClient())
	r.catalogWaits = newCatalogWaits()
	return ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.StreamEndpoint{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&appsv1.Deployment{}).
		Owns(&corev1.Service{}).
		Owns(&corev1.ConfigMap{}).
		Owns(&corev1.Secret{}).
		Owns(&autoscalingv2.HorizontalPodAutoscaler{}).
		Owns(&policyv1.PodDisruptionBudget{}).
		// The Service's EndpointSlices carry its labels, the endpoint's name
		// among them.
		Watches(&discoveryv1.EndpointSlice{}, handler.EnqueueRequestsFromMapFunc(endpointOfSlice)).
		Watches(&streamgatev1alpha1.Video{}, handler.EnqueueRequestsFromMapFunc(r.endpointsSelecting),
			builder.WithPredicates(videoCatalogChanged)).
		Watches(&streamgatev1alpha1.NFTGate{}, handler.EnqueueRequestsFromMapFunc(r.endpointsInNamespace)).
		// The catalog carries an indexer's status.url, which its status
		// writes set: a generation-only filter would miss it.
		Watches(&streamgatev1alpha1.ChainIndexer{}, handler.EnqueueRequestsFromMapFunc(r.endpointsInNamespace),
			builder.WithPredicates(predicate.Or[client.Object](predicate.GenerationChangedPredicate{}, indexerURLChanged))).
		// A gate's RPC Secret changed: copy the new URL. Metadata only: the
		// operator never caches other people's Secret data.
		WatchesRawSource(tenantSecretWatch(r.TenantSecrets, r.endpointsInNamespace)).
		Named("streamendpoint").
		Complete(r)
}

// videoCatalogChanged lets through the Video changes a catalog shows:
// labels (selectors), the title annotation, the spec, the phase and the
// published ladder. A transcode's progress, written every few seconds by
// every running worker, rebuilds no catalog: with thousands of Videos in a
// namespace that rebuild (list, encode, compare) would run nonstop.
var videoCatalogChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		before, ok1 := e.ObjectOld.(*streamgatev1alpha1.Video)
		after, ok2 := e.ObjectNew.(*streamgatev1alpha1.Video)
		if !ok1 || !ok2 {
			return true
		}
		return before.Generation != after.Generation ||
			!equality.Semantic.DeepEqual(before.Labels, after.Labels) ||
			!equality.Semantic.DeepEqual(before.Annotations, after.Annotations) ||
			before.DeletionTimestamp.IsZero() != after.DeletionTimestamp.IsZero() ||
			before.Status.Phase != after.Status.Phase ||
			!equality.Semantic.DeepEqual(before.Status.Playback, after.Status.Playback) ||
			// a resync replays everything
			before.ResourceVersion == after.ResourceVersion
	},
}

// endpointOfSlice maps a StreamGate Service's EndpointSlice to its
// StreamEndpoint.
func endpointOfSlice(_ context.Context, obj client.Object) []reconcile.Request {
	name := obj.GetLabels()[labelEndpoint]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: obj.GetNamespace(), Name: name}}}
}

func (r *StreamEndpointReconciler) endpointsInNamespace(ctx context.Context, obj client.Object) []reconcile.Request {
	return r.endpoints(ctx, obj.GetNamespace(), nil)
}

func (r *StreamEndpointReconciler) endpointsSelecting(ctx context.Context, obj client.Object) []reconcile.Request {
	return r.endpoints(ctx, obj.GetNamespace(), labels.Set(obj.GetLabels()))
}

// endpoints lists the endpoints of a namespace; with videoLabels, only those
// whose selector matches them.
func (r *StreamEndpointReconciler) endpoints(ctx context.Context, namespace string, videoLabels labels.Set) []reconcile.Request {
	var list streamgatev1alpha1.StreamEndpointList
	if err := r.List(ctx, &list, client.InNamespace(namespace)); err != nil {
		return nil
	}
	var out []reconcile.Request
	for _, se := range list.Items {
		if videoLabels != nil {
			selector, err := metav1.LabelSelectorAsSelector(&se.Spec.VideoSelector)
			if err != nil || !selector.Matches(videoLabels) {
				continue
			}
		}
		out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: se.Namespace, Name: se.Name}})
	}
	return out
}
