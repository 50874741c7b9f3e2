package controller

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/gate"
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
}

// RBAC of the StreamEndpoint controller, and why:
// read the endpoints it runs.
// +kubebuilder:rbac:groups=streamgate.io,resources=streamendpoints,verbs=get;list;watch
// report their state (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=streamendpoints/status,verbs=get;patch
// build the catalog from the selected Videos, their gates and indexers.
// +kubebuilder:rbac:groups=streamgate.io,resources=videos;nftgates;chainindexers,verbs=get;list;watch
// keep the catalog ConfigMap, the keys Secret and the Service; never delete them (garbage collection does).
// +kubebuilder:rbac:groups="",resources=configmaps;secrets;services,verbs=get;list;watch;create;update;patch
// keep the streaming Deployment; never delete it (garbage collection does).
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;update;patch
// keep the HPA and PDB, and delete them when autoscaling is turned off or one replica is left.
// +kubebuilder:rbac:groups=autoscaling,resources=horizontalpodautoscalers,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=get;list;watch;create;update;patch;delete

func (r *StreamEndpointReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var se streamgatev1alpha1.StreamEndpoint
	if err := r.Get(ctx, req.NamespacedName, &se); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !se.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}

	cat, rpcSecrets, problems, err := r.buildCatalog(ctx, &se)
	if err != nil {
		return ctrl.Result{}, err
	}
	requeue, deployment, service, err := r.ensureChildren(ctx, &se, cat, rpcSecrets)
	var status streamgatev1alpha1.StreamEndpointStatus
	if err != nil {
		status = *se.Status.DeepCopy()
		status.ObservedGeneration = se.Generation
		setChildFailure(conditionSetter{conditions: &status.Conditions, generation: se.Generation}, err)
	} else {
		status = r.endpointStatus(&se, cat, problems, deployment, service)
	}
	before := se.DeepCopy()
	r.recordTransition(&se, status)
	se.Status = status
	if werr := writeStatus(ctx, r.Client, &se, before); werr != nil {
		return ctrl.Result{}, werr
	}
	return ctrl.Result{RequeueAfter: requeue}, err
}

// ensureChildren makes the endpoint's Secret, catalog, Deployment, Service
// and autoscaling objects what the spec says.
func (r *StreamEndpointReconciler) ensureChildren(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog,
	rpcSecrets map[string]streamgatev1alpha1.SecretKeyReference) (time.Duration, *appsv1.Deployment, *corev1.Service, error) {
	requeue, err := r.ensureSecret(ctx, se, rpcSecrets)
	if err != nil {
		return 0, nil, nil, err
	}
	if err := r.ensureCatalog(ctx, se, cat); err != nil {
		return 0, nil, nil, err
	}
	deployment, err := r.ensureDeployment(ctx, se, claimsOf(cat))
	if err != nil {
		return 0, nil, nil, err
	}
	service, err := r.ensureService(ctx, se)
	if err != nil {
		return 0, nil, nil, err
	}
	return requeue, deployment, service, r.ensureAutoscaling(ctx, se)
}

func endpointChild(se *streamgatev1alpha1.StreamEndpoint, suffix string) string {
	return se.Name + "-" + suffix
}

func endpointLabels(se *streamgatev1alpha1.StreamEndpoint) map[string]string {
	return map[string]string{labelName: "streamgate", labelComponent: componentServe, labelManagedBy: managedByValue, labelEndpoint: se.Name}
}

// catalogProblems are why a built catalog is not all the endpoint should
// serve.
type catalogProblems struct {
	gatesNotReady []string
	// overlapping are videos left out because their output folder is,
	// holds or lies in another selected video's on the same claim.
	overlapping []string
}

// buildCatalog lists the endpoint's Ready videos with their resolved gates.
// It also returns the RPC Secrets the gates need and what is wrong.
func (r *StreamEndpointReconciler) buildCatalog(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint) (*catalog.Catalog, map[string]streamgatev1alpha1.SecretKeyReference, catalogProblems, error) {
	selector, err := metav1.LabelSelectorAsSelector(&se.Spec.VideoSelector)
	if err != nil {
		return nil, nil, catalogProblems{}, fmt.Errorf("videoSelector: %w", err)
	}
	var videos streamgatev1alpha1.VideoList
	if err := r.List(ctx, &videos, client.InNamespace(se.Namespace), client.MatchingLabelsSelector{Selector: selector}); err != nil {
		return nil, nil, catalogProblems{}, fmt.Errorf("list Videos: %w", err)
	}
	ttl := 10 * time.Minute
	if se.Spec.TokenTTL != nil {
		ttl = se.Spec.TokenTTL.Duration
	}
	cat := &catalog.Catalog{TokenTTL: catalog.Duration{Duration: ttl}, AllowedOrigins: se.Spec.AllowedOrigins, Videos: []catalog.Video{}}
	if in := se.Spec.SignIn; in != nil {
		cat.SignIn = catalog.SignIn{Origins: in.Origins, TrustedProxies: in.TrustedProxies,
			PerClientPerMinute: int(in.RateLimit.PerClientPerMinute), PerWalletPerMinute: int(in.RateLimit.PerWalletPerMinute)}
	}
	rpc := map[string]streamgatev1alpha1.SecretKeyReference{}
	notReady := map[string]bool{}
	gates := map[string]*catalog.Gate{}
	for _, v := range videos.Items {
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.Playback == nil {
			continue
		}
		entry := catalog.Video{Namespace: v.Namespace, Name: v.Name, Claim: v.Spec.Output.Volume.ClaimName,
			Playlist: v.Status.Playback.MasterPlaylist, Title: v.Annotations["streamgate.io/title"]}
		// A ladder published in a revision folder: the Video's URLs reach
		// its whole output folder (older revisions too, for players that
		// loaded an older master), and the master is the current one.
		if rev := v.Status.Playback.Revision; rev != "" && path.Base(path.Dir(entry.Playlist)) == rev {
			entry.Root, entry.Revision = path.Dir(path.Dir(entry.Playlist)), rev
		}
		gateRef := v.Spec.GateRef
		if gateRef == nil {
			gateRef = se.Spec.GateRef
		}
		if gateRef != nil {
			g, ok := gates[gateRef.Name]
			if !ok {
				if g, err = r.resolveGate(ctx, se.Namespace, gateRef.Name, rpc); err != nil {
					return nil, nil, catalogProblems{}, err
				}
				gates[gateRef.Name] = g
			}
			if !g.Ready {
				notReady[gateRef.Name] = true
			}
			entry.Gate = g
		}
		cat.Videos = append(cat.Videos, entry)
	}
	sort.Slice(cat.Videos, func(i, j int) bool { return cat.Videos[i].Key() < cat.Videos[j].Key() })
	var problems catalogProblems
	cat.Videos, problems.overlapping = withoutOverlaps(cat.Videos)
	for name := range notReady {
		problems.gatesNotReady = append(problems.gatesNotReady, name)
	}
	sort.Strings(problems.gatesNotReady)
	return cat, rpc, problems, nil
}

// withoutOverlaps leaves out every video whose folder is, holds or lies in
// another's on the same claim: serving either would let a request for one
// read the other's files (a public trailer at films/x would open the gated
// film at films/x/full). The Video controller refuses to transcode into
// such a folder, so this only bites on what was published before.
func withoutOverlaps(videos []catalog.Video) (kept []catalog.Video, left []string) {
	out := map[int]bool{}
	for i := range videos {
		for j := i + 1; j < len(videos); j++ {
			if videos[i].Claim == videos[j].Claim && catalog.Overlaps(videos[i].Dir(), videos[j].Dir()) {
				out[i], out[j] = true, true
			}
		}
	}
	kept = make([]catalog.Video, 0, len(videos))
	for i, v := range videos {
		if out[i] {
			left = append(left, v.Name)
			continue
		}
		kept = append(kept, v)
	}
	return kept, left
}

func (r *StreamEndpointReconciler) resolveGate(ctx context.Context, namespace, name string, rpc map[string]streamgatev1alpha1.SecretKeyReference) (*catalog.Gate, error) {
	var g streamgatev1alpha1.NFTGate
	if err := r.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, &g); err != nil {
		if apierrors.IsNotFound(err) {
			return &catalog.Gate{Policy: gate.Policy{Name: namespace + "/" + name}, Reason: fmt.Sprintf("NFTGate %s not found", name)}, nil
		}
		return nil, fmt.Errorf("get NFTGate %s: %w", name, err)
	}
	conditions := g.Spec.AnyOf
	if len(conditions) == 0 {
		conditions = g.Spec.AllOf
	}
	out := &catalog.Gate{
		Policy: gate.Policy{Name: fmt.Sprintf("%s/%s@%d", namespace, name, g.Generation), RequireAll: len(g.Spec.AllOf) > 0},
		Family: string(g.Spec.Chain.Family), RPCKey: "rpc." + name,
	}
	if g.Spec.CacheTTL != nil {
		out.CacheTTL = g.Spec.CacheTTL.Duration
	}
	if g.Spec.Chain.Family == streamgatev1alpha1.ChainFamilySolana {
		out.ChainID = g.Spec.Chain.Network
		if out.ChainID == "mainnet-beta" {
			out.ChainID = "mainnet" // as Sign-In With Solana messages name it
		}
	} else {
		out.ChainID = strconv.FormatInt(ptr.Deref(g.Spec.Chain.ChainID, 0), 10)
	}
	for _, c := range conditions {
		out.Conditions = append(out.Conditions, gate.Condition{Standard: gate.Standard(c.Standard), Contract: c.Contract,
			TokenIDs: c.TokenIDs, MinBalance: c.MinBalance, Collection: c.Collection})
	}
	if g.Spec.IndexerRef != nil {
		var ci streamgatev1alpha1.ChainIndexer
		if err := r.Get(ctx, types.NamespacedName{Namespace: namespace, Name: g.Spec.IndexerRef.Name}, &ci); err == nil {
			// Streaming pods ask it while it is caught up, the RPC node otherwise.
			out.IndexerURL = ci.Status.URL
		}
	}
	ready := findCondition(g.Status.Conditions, streamgatev1alpha1.ConditionReady)
	switch {
	case ready == nil || ready.ObservedGeneration != g.Generation:
		out.Reason = fmt.Sprintf("NFTGate %s is not validated yet", name)
	case ready.Status != metav1.ConditionTrue:
		out.Reason = fmt.Sprintf("NFTGate %s: %s: %s", name, ready.Reason, ready.Message)
	default:
		out.Ready = true
		rpc[out.RPCKey] = g.Spec.Chain.RPC.SecretRef
	}
	return out, nil
}

func claimsOf(cat *catalog.Catalog) []string {
	seen := map[string]bool{}
	var claims []string
	for _, v := range cat.Videos {
		if !seen[v.Claim] {
			seen[v.Claim] = true
			claims = append(claims, v.Claim)
		}
	}
	sort.Strings(claims)
	return claims
}

// ensureSecret keeps the endpoint's Secret: the token signing key
// (generated once, rotated on request with the previous key kept for one
// TTL) and the RPC URLs of its gates. It returns when to come back to drop
// an expired previous key.
func (r *StreamEndpointReconciler) ensureSecret(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, rpc map[string]streamgatev1alpha1.SecretKeyReference) (time.Duration, error) {
	now := r.now()
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: endpointChild(se, "keys"), Namespace: se.Namespace}}
	urls := map[string][]byte{}
	for key, ref := range rpc {
		var src corev1.Secret
		if err := r.APIReader.Get(ctx, types.NamespacedName{Namespace: se.Namespace, Name: ref.Name}, &src); err != nil {
			continue // the NFTGate reports it; the video answers 503 until then
		}
		k := ref.Key
		if k == "" {
			k = "url"
		}
		urls[key] = src.Data[k]
	}
	var requeue, rotatedFor time.Duration
	rotated := false
	_, err := controllerutil.CreateOrUpdate(ctx, r.Client, secret, func() error {
		secret.Labels = mergeLabels(secret.Labels, endpointLabels(se))
		secret.Type = corev1.SecretTypeOpaque
		data := map[string][]byte{}
		for k, v := range secret.Data {
			if !strings.HasPrefix(k, "rpc.") {
				data[k] = v
			}
		}
		for k, v := range urls {
			data[k] = v
		}
		if len(data["signing-key"]) == 0 {
			data["signing-key"] = newSigningKey()
		}
		want := se.Annotations[AnnotationRotateSigningKey]
		if secret.Annotations == nil {
			secret.Annotations = map[string]string{}
		}
		if want != "" && secret.Annotations[annotationRotatedFor] != want {
			ttl := 10 * time.Minute
			if se.Spec.TokenTTL != nil {
				ttl = se.Spec.TokenTTL.Duration
			}
			data["previous-signing-key"] = data["signing-key"]
			data["previous-valid-until"] = []byte(now.Add(ttl).UTC().Format(time.RFC3339))
			data["signing-key"] = newSigningKey()
			secret.Annotations[annotationRotatedFor] = want
			rotated, rotatedFor = true, ttl
		}
		if until, err := time.Parse(time.RFC3339, string(data["previous-valid-until"])); err == nil {
			if !now.Before(until) {
				delete(data, "previous-signing-key")
				delete(data, "previous-valid-until")
			} else {
				requeue = until.Sub(now) + time.Second
			}
		}
		secret.Data = data
		return controllerutil.SetControllerReference(se, secret, r.Scheme())
	})
	if err != nil {
		return 0, fmt.Errorf("ensure Secret %s: %w", secret.Name, err)
	}
	if rotated { // only once the new key is stored
		r.Recorder.Eventf(se, nil, corev1.EventTypeNormal, "SigningKeyRotated", "RotateKey", "rotated the token signing key; the previous one is accepted for %s", rotatedFor)
	}
	return requeue, nil
}

func newSigningKey() []byte {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return []byte(hex.EncodeToString(b[:]))
}

func (r *StreamEndpointReconciler) ensureCatalog(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog) error {
	data, err := json.MarshalIndent(cat, "", " ")
	if err != nil {
		return err
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: endpointChild(se, "catalog"), Namespace: se.Namespace}}
	_, err = controllerutil.CreateOrUpdate(ctx, r.Client, cm, func() error {
		cm.Labels = mergeLabels(cm.Labels, endpointLabels(se))
		cm.Data = map[string]string{catalog.FileName: string(data)}
		return controllerutil.SetControllerReference(se, cm, r.Scheme())
	})
	if err != nil {
		return fmt.Errorf("ensure ConfigMap %s: %w", cm.Name, err)
	}
	return nil
}

// ensureDeployment runs the streaming pods. The catalog and Secret are
// mounted as volumes the pods re-read, so a changed catalog reaches them
// without a rollout; only a new claim to mount changes the pod template.
func (r *StreamEndpointReconciler) ensureDeployment(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, claims []string) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: endpointChild(se, "serve"), Namespace: se.Namespace}}
	_, err := controllerutil.CreateOrUpdate(ctx, r.Client, d, func() error {
		labels := endpointLabels(se)
		d.Labels = mergeLabels(d.Labels, labels)
		if se.Spec.Autoscaling == nil {
			d.Spec.Replicas = ptr.To(ptr.Deref(se.Spec.Replicas, 1))
		} else if d.Spec.Replicas == nil {
			d.Spec.Replicas = ptr.To(max(ptr.Deref(se.Spec.Replicas, 1), se.Spec.Autoscaling.MinReplicas))
		} // else the HorizontalPodAutoscaler owns the count
		d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{labelEndpoint: se.Name, labelComponent: componentServe}}
		d.Spec.Template.Labels = labels
		// The API server fills defaults into what it stores; compare only
		// what we set, or every reconcile would write.
		desired := servePodSpec(r.Config.Image, endpointChild(se, "catalog"), endpointChild(se, "keys"), claims)
		if !equality.Semantic.DeepDerivative(desired, d.Spec.Template.Spec) {
			d.Spec.Template.Spec = desired
		}
		return controllerutil.SetControllerReference(se, d, r.Scheme())
	})
	if err != nil {
		return nil, fmt.Errorf("ensure Deployment %s: %w", d.Name, err)
	}
	return d, nil
}

func servePodSpec(image, catalogName, secretName string, claims []string) corev1.PodSpec {
	volumes := []corev1.Volume{
		{Name: "catalog", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: catalogName}}}},
		{Name: "keys", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: secretName, DefaultMode: ptr.To[int32](0o440)}}},
		{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("64Mi"))}}},
	}
	mounts := []corev1.VolumeMount{
		{Name: "catalog", MountPath: catalogMount, ReadOnly: true},
		{Name: "keys", MountPath: secretMount, ReadOnly: true},
		{Name: "tmp", MountPath: "/tmp"},
	}
	for i, claim := range claims {
		name := "claim-" + strconv.Itoa(i)
		volumes = append(volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim, ReadOnly: true}}})
		mounts = append(mounts, corev1.VolumeMount{Name: name, MountPath: claimsRoot + "/" + claim, ReadOnly: true})
	}
	return corev1.PodSpec{
		AutomountServiceAccountToken: ptr.To(false), // serve never talks to the API server
		SecurityContext:              restrictedPodSecurityContext(),
		Containers: []corev1.Container{{
			Name: serveContainer, Image: image, Command: []string{workerBinary},
			Args: []string{"serve", "--catalog=" + catalogMount + "/" + catalog.FileName, "--secret-dir=" + secretMount,
				"--claims-root=" + claimsRoot, "--listen=:" + strconv.Itoa(servePort), "--metrics-listen=:" + strconv.Itoa(serveMetricsPort)},
			// The Service exposes only http; metrics are scraped from the
			// pods (PodMonitor "streaming"), never reachable by viewers.
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: servePort, Protocol: corev1.ProtocolTCP},
				{Name: "metrics", ContainerPort: serveMetricsPort, Protocol: corev1.ProtocolTCP}},
			ReadinessProbe: httpProbe("/readyz"),
			LivenessProbe:  httpProbe("/healthz"),
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("512Mi")},
			},
			VolumeMounts:             mounts,
			SecurityContext:          restrictedContainerSecurityContext(),
			TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		}},
		Volumes: volumes,
	}
}

func (r *StreamEndpointReconciler) ensureService(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint) (*corev1.Service, error) {
	svcType := corev1.ServiceType(se.Spec.Service.Type)
	if svcType == "" {
		svcType = corev1.ServiceTypeClusterIP
	}
	port := se.Spec.Service.Port
	if port == 0 {
		port = servePort
	}
	return ensureHTTPService(ctx, r.Client, se, se.Name, se.Namespace, svcType, port, endpointLabels(se),
		map[string]string{labelEndpoint: se.Name, labelComponent: componentServe})
}

// ensureAutoscaling keeps a HorizontalPodAutoscaler when autoscaling is set,
// and a PodDisruptionBudget whenever more than one pod serves.
func (r *StreamEndpointReconciler) ensureAutoscaling(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint) error {
	name := se.Name
	hpa := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: se.Namespace}}
	if a := se.Spec.Autoscaling; a != nil {
		if _, err := controllerutil.CreateOrUpdate(ctx, r.Client, hpa, func() error {
			hpa.Labels = mergeLabels(hpa.Labels, endpointLabels(se))
			want := autoscalingv2.HorizontalPodAutoscalerSpec{
				ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: endpointChild(se, "serve")},
				MinReplicas:    ptr.To(max(a.MinReplicas, 1)),
				MaxReplicas:    a.MaxReplicas,
				Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
					Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType,
						AverageUtilization: ptr.To(max(a.TargetCPUUtilizationPercentage, 1))}}}},
			}
			if !equality.Semantic.DeepDerivative(want, hpa.Spec) {
				hpa.Spec = want
			}
			return controllerutil.SetControllerReference(se, hpa, r.Scheme())
		}); err != nil {
			return fmt.Errorf("ensure HorizontalPodAutoscaler %s: %w", name, err)
		}
	} else if err := r.deleteIfOwned(ctx, se, hpa); err != nil {
		return err
	}

	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: se.Namespace}}
	replicas := ptr.Deref(se.Spec.Replicas, 1)
	if se.Spec.Autoscaling != nil {
		replicas = se.Spec.Autoscaling.MinReplicas
	}
	if replicas > 1 {
		if _, err := controllerutil.CreateOrUpdate(ctx, r.Client, pdb, func() error {
			pdb.Labels = mergeLabels(pdb.Labels, endpointLabels(se))
			pdb.Spec.MaxUnavailable = ptr.To(intstr.FromInt32(1))
			pdb.Spec.MinAvailable = nil
			pdb.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{labelEndpoint: se.Name, labelComponent: componentServe}}
			return controllerutil.SetControllerReference(se, pdb, r.Scheme())
		}); err != nil {
			return fmt.Errorf("ensure PodDisruptionBudget %s: %w", name, err)
		}
	} else if err := r.deleteIfOwned(ctx, se, pdb); err != nil {
		return err
	}
	return nil
}

// deleteIfOwned removes a child that is no longer wanted, never someone
// else's object of the same name.
func (r *StreamEndpointReconciler) deleteIfOwned(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, obj client.Object) error {
	if err := r.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
		return client.IgnoreNotFound(err)
	}
	if !metav1.IsControlledBy(obj, se) {
		return nil
	}
	return client.IgnoreNotFound(r.Delete(ctx, obj))
}

func (r *StreamEndpointReconciler) endpointStatus(se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog, problems catalogProblems,
	d *appsv1.Deployment, svc *corev1.Service) streamgatev1alpha1.StreamEndpointStatus {
	status := *se.Status.DeepCopy()
	status.ObservedGeneration = se.Generation
	status.Videos = int32(len(cat.Videos))
	status.Replicas = d.Status.Replicas
	status.ReadyReplicas = d.Status.ReadyReplicas
	port := se.Spec.Service.Port
	if port == 0 {
		port = servePort
	}
	host := fmt.Sprintf("%s.%s.svc", svc.Name, svc.Namespace)
	if r.Config.ServiceAddress == "clusterip" && svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone {
		host = svc.Spec.ClusterIP
	}
	status.URL = fmt.Sprintf("http://%s:%d", host, port)

	cond := conditionSetter{conditions: &status.Conditions, generation: se.Generation}
	available := d.Status.AvailableReplicas > 0
	if available {
		cond.set(streamgatev1alpha1.ConditionAvailable, metav1.ConditionTrue, reasonServing,
			fmt.Sprintf("%d of %d streaming pods ready", d.Status.ReadyReplicas, ptr.Deref(d.Spec.Replicas, 0)))
	} else {
		cond.set(streamgatev1alpha1.ConditionAvailable, metav1.ConditionFalse, reasonDeploymentUnavailable,
			fmt.Sprintf("no streaming pod of Deployment %s is available yet", d.Name))
	}
	// Rolled out as kstatus has it: every pod updated and available, and no
	// old pod left (it would serve without the newest claims).
	wanted := ptr.Deref(d.Spec.Replicas, 0)
	rolledOut := d.Status.ObservedGeneration >= d.Generation && d.Status.UpdatedReplicas == wanted &&
		d.Status.Replicas == wanted && d.Status.AvailableReplicas >= wanted
	switch {
	case !available || !rolledOut:
		cond.progressing(reasonDeploymentUnavailable, fmt.Sprintf("Deployment %s: %d of %d pods ready and updated",
			d.Name, d.Status.ReadyReplicas, ptr.Deref(d.Spec.Replicas, 0)))
	case len(cat.Videos) == 0:
		cond.set(streamgatev1alpha1.ConditionReady, metav1.ConditionFalse, reasonNoVideosSelected, "no Ready Video matches the videoSelector")
		cond.remove(streamgatev1alpha1.ConditionReconciling)
		cond.remove(streamgatev1alpha1.ConditionStalled)
	case len(problems.overlapping) > 0:
		cond.stalled(reasonOutputOverlap, fmt.Sprintf("not served: Videos whose output folders are the same or nested on one claim: %s",
			strings.Join(problems.overlapping, ", ")))
	case len(problems.gatesNotReady) > 0:
		cond.set(streamgatev1alpha1.ConditionReady, metav1.ConditionFalse, reasonGateNotReady,
			fmt.Sprintf("gated videos are refused until their gate is Ready: %s", strings.Join(problems.gatesNotReady, ", ")))
		cond.remove(streamgatev1alpha1.ConditionReconciling)
		cond.remove(streamgatev1alpha1.ConditionStalled)
	case gated(cat) && len(cat.SignIn.Origins) == 0:
		cond.stalled(reasonSignInNotConfigured, "gated videos refuse sign-in until spec.signIn.origins lists the public origins viewers use (for example https://watch.example.com)")
	default:
		cond.ready(reasonServing, fmt.Sprintf("serving %d videos at %s", len(cat.Videos), status.URL))
	}
	return status
}

// indexerURLChanged passes updates that change a ChainIndexer's status.url.
var indexerURLChanged = predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
	old, okOld := e.ObjectOld.(*streamgatev1alpha1.ChainIndexer)
	cur, okNew := e.ObjectNew.(*streamgatev1alpha1.ChainIndexer)
	return okOld && okNew && old.Status.URL != cur.Status.URL
}}

func gated(cat *catalog.Catalog) bool {
	for _, v := range cat.Videos {
		if v.Gate != nil {
			return true
		}
	}
	return false
}

func (r *StreamEndpointReconciler) recordTransition(se *streamgatev1alpha1.StreamEndpoint, next streamgatev1alpha1.StreamEndpointStatus) {
	was := findCondition(se.Status.Conditions, streamgatev1alpha1.ConditionReady)
	now := findCondition(next.Conditions, streamgatev1alpha1.ConditionReady)
	if now == nil || (was != nil && was.Status == now.Status && was.Reason == now.Reason) {
		return
	}
	kind := corev1.EventTypeNormal
	if now.Status != metav1.ConditionTrue && now.Reason != reasonDeploymentUnavailable {
		kind = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(se, nil, kind, now.Reason, "Reconcile", "%s", now.Message)
}

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
	return ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.StreamEndpoint{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&appsv1.Deployment{}).
		Owns(&corev1.Service{}).
		Owns(&corev1.ConfigMap{}).
		Owns(&corev1.Secret{}).
		Owns(&autoscalingv2.HorizontalPodAutoscaler{}).
		Owns(&policyv1.PodDisruptionBudget{}).
		Watches(&streamgatev1alpha1.Video{}, handler.EnqueueRequestsFromMapFunc(r.endpointsSelecting)).
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
