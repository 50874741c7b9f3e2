package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/indexerapi"
)

// Reasons of a ChainIndexer's conditions.
const (
	reasonBackfilling = "Backfilling"
	reasonFollowing   = "Following"
	componentIndex    = "indexer"
	indexPort         = 8080
)

// ChainIndexerReconciler runs one indexer pod per ChainIndexer, with its
// store on a PersistentVolumeClaim, and turns what the pod reports into
// conditions.
type ChainIndexerReconciler struct {
	client.Client
	Recorder events.EventRecorder
	Config   ServeConfig
}

// RBAC of the ChainIndexer controller, and why:
// read the indexers it runs.
// +kubebuilder:rbac:groups=streamgate.io,resources=chainindexers,verbs=get;list;watch
// report their state (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=chainindexers/status,verbs=get;patch
// own its children with blockOwnerDeletion (foreground deletion waits for them), which an API server with the
// OwnerReferencesPermissionEnforcement admission plugin (OpenShift's default) allows only to who may update the owner's finalizers.
// +kubebuilder:rbac:groups=streamgate.io,resources=chainindexers/finalizers,verbs=update
// make each indexer's store, and grow it when spec.storage.size grows (never delete: garbage collection does).
// +kubebuilder:rbac:groups="",resources=persistentvolumeclaims,verbs=get;list;watch;create;patch

func (r *ChainIndexerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var ci streamgatev1alpha1.ChainIndexer
	if err := r.Get(ctx, req.NamespacedName, &ci); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !ci.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	d, svc, storage, err := r.ensureChildren(ctx, &ci)
	var status streamgatev1alpha1.ChainIndexerStatus
	if err != nil {
		status = *ci.Status.DeepCopy()
		status.ObservedGeneration = ci.Generation
		setChildFailure(conditionSetter{conditions: &status.Conditions, generation: ci.Generation}, err)
	} else {
		status = r.indexerStatus(&ci, d, svc)
		cond := conditionSetter{conditions: &status.Conditions, generation: ci.Generation}
		if storage != nil {
			cond.set(conditionStorageResized, metav1.ConditionFalse, storage.reason, storage.message)
		} else {
			cond.remove(conditionStorageResized)
		}
	}
	before := ci.DeepCopy()
	r.recordTransition(&ci, status)
	ci.Status = status
	if werr := writeStatus(ctx, r.Client, &ci, before); werr != nil {
		return ctrl.Result{}, werr
	}
	return ctrl.Result{}, err
}

// conditionStorageResized is False while spec.storage.size differs from
// the store's claim and cannot be applied; absent otherwise.
const conditionStorageResized = "StorageResized"

// ensureChildren makes the indexer's identity, store, Deployment and
// Service what the spec says. A store that cannot follow an edited size is
// not an error of the indexer: it is reported in storage.
func (r *ChainIndexerReconciler) ensureChildren(ctx context.Context, ci *streamgatev1alpha1.ChainIndexer) (*appsv1.Deployment, *corev1.Service, *gateProblem, error) {
	labels := map[string]string{labelName: "streamgate", labelComponent: componentIndex, labelManagedBy: managedByValue, "streamgate.io/chainindexer": ci.Name}
	name := ci.Name + "-indexer"
	// The indexer pod may patch its own ChainIndexer's status: nothing else.
	if err := ensureIdentity(ctx, r.Client, ci, name, ci.Namespace, labels, []rbacv1.PolicyRule{
		{APIGroups: []string{streamgatev1alpha1.GroupVersion.Group}, Resources: []string{"chainindexers/status"}, ResourceNames: []string{ci.Name}, Verbs: []string{"patch"}},
	}); err != nil {
		return nil, nil, nil, err
	}
	claim, storage, err := r.ensureStore(ctx, ci, labels)
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := r.ensureDeployment(ctx, ci, name, claim, labels)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, err := ensureHTTPService(ctx, r.Client, ci, ci.Name, ci.Namespace, corev1.ServiceTypeClusterIP, indexPort, labels,
		map[string]string{"streamgate.io/chainindexer": ci.Name, labelComponent: componentIndex})
	if err != nil {
		return nil, nil, nil, err
	}
	return d, svc, storage, nil
}

// Reasons of the StorageResized condition.
const (
	reasonExpansionRefused = "ExpansionRefused"
	reasonShrinkRefused    = "ShrinkRefused"
)

// ensureStore makes the indexer's PersistentVolumeClaim, and grows its
// request when spec.storage.size grows. Whether a claim may grow is the
// storage class's to say (allowVolumeExpansion, a bound claim): the API
// server refuses otherwise, and the refusal is reported, not retried. A
// claim never shrinks.
func (r *ChainIndexerReconciler) ensureStore(ctx context.Context, ci *streamgatev1alpha1.ChainIndexer, labels map[string]string) (string, *gateProblem, error) {
	size := resource.MustParse("1Gi")
	if ci.Spec.Storage.Size != nil {
		size = *ci.Spec.Storage.Size
	}
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: ci.Name + "-data", Namespace: ci.Namespace}}
	err := r.Get(ctx, client.ObjectKeyFromObject(pvc), pvc)
	if apierrors.IsNotFound(err) {
		pvc.Labels = labels
		pvc.Spec = corev1.PersistentVolumeClaimSpec{
			AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			StorageClassName: ci.Spec.Storage.StorageClassName,
			Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		}
		if err := controllerutil.SetControllerReference(ci, pvc, r.Scheme()); err != nil {
			return "", nil, err
		}
		if err := r.Create(ctx, pvc, client.FieldOwner(fieldManager)); err != nil {
			return "", nil, fmt.Errorf("create PersistentVolumeClaim %s: %w", pvc.Name, err)
		}
		return pvc.Name, nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("get PersistentVolumeClaim %s: %w", pvc.Name, err)
	}
	current := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	switch size.Cmp(current) {
	case 0:
		return pvc.Name, nil, nil
	case -1:
		return pvc.Name, &gateProblem{reason: reasonShrinkRefused, message: fmt.Sprintf(
			"spec.storage.size %s is below the store's %s: a PersistentVolumeClaim cannot shrink; the store keeps %s", size.String(), current.String(), current.String())}, nil
	}
	before := pvc.DeepCopy()
	pvc.Spec.Resources.Requests[corev1.ResourceStorage] = size
	if err := r.Patch(ctx, pvc, client.MergeFrom(before), client.FieldOwner(fieldManager)); err != nil {
		if apierrors.IsForbidden(err) || apierrors.IsInvalid(err) {
			return pvc.Name, &gateProblem{reason: reasonExpansionRefused, message: fmt.Sprintf(
				"PersistentVolumeClaim %s cannot grow from %s to %s (its storage class must allow volume expansion, and the claim be bound): %v",
				pvc.Name, current.String(), size.String(), err)}, nil
		}
		return "", nil, fmt.Errorf("grow PersistentVolumeClaim %s: %w", pvc.Name, err)
	}
	return pvc.Name, nil, nil
}

func (r *ChainIndexerReconciler) ensureDeployment(ctx context.Context, ci *streamgatev1alpha1.ChainIndexer, name, claim string, labels map[string]string) (*appsv1.Deployment, error) {
	var contracts []indexerapi.Contract
	for _, c := range ci.Spec.Contracts {
		contracts = append(contracts, indexerapi.Contract{Address: common.HexToAddress(c.Address), Standard: string(c.Standard), FromBlock: uint64(c.FromBlock)})
	}
	contractsJSON, _ := json.Marshal(contracts)
	confirmations := int64(-1)
	if ci.Spec.Confirmations != nil {
		confirmations = int64(*ci.Spec.Confirmations)
	}
	poll := "2s"
	if ci.Spec.PollInterval != nil {
		poll = ci.Spec.PollInterval.Duration.String()
	}
	rpcKey := ci.Spec.Chain.RPC.SecretRef.Key
	if rpcKey == "" {
		rpcKey = "url"
	}
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ci.Namespace}}
	_, err := controllerutil.CreateOrUpdate(ctx, r.Client, d, func() error {
		d.Labels = mergeLabels(d.Labels, labels)
		d.Spec.Replicas = ptr.To[int32](1)
		// One writer of the store at a time: the old pod stops before the new starts.
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
		d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"streamgate.io/chainindexer": ci.Name, labelComponent: componentIndex}}
		d.Spec.Template.Labels = labels
		probe := httpProbe("/healthz")
		desired := corev1.PodSpec{
			ServiceAccountName:           name,
			AutomountServiceAccountToken: ptr.To(true),
			SecurityContext:              restrictedPodSecurityContext(),
			Containers: []corev1.Container{{
				Name: "index", Image: r.Config.Image, Command: []string{workerBinary},
				Args: []string{"index", "--rpc-url-file=/etc/streamgate/rpc/url", "--chain-id=" + strconv.FormatInt(ptr.Deref(ci.Spec.Chain.ChainID, 0), 10),
					"--contracts=" + string(contractsJSON), "--confirmations=" + strconv.FormatInt(confirmations, 10),
					"--batch-blocks=" + strconv.Itoa(int(max(ci.Spec.BatchBlocks, 1))), "--poll-interval=" + poll,
					"--db=/var/lib/streamgate/index.db", "--listen=:" + strconv.Itoa(indexPort), "--chainindexer=" + ci.Name},
				Env:            []corev1.EnvVar{{Name: "POD_NAMESPACE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}}},
				Ports:          []corev1.ContainerPort{{Name: "http", ContainerPort: indexPort, Protocol: corev1.ProtocolTCP}},
				ReadinessProbe: probe, LivenessProbe: probe,
				Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("512Mi")},
				},
				VolumeMounts:             []corev1.VolumeMount{{Name: "data", MountPath: "/var/lib/streamgate"}, {Name: "rpc", MountPath: "/etc/streamgate/rpc", ReadOnly: true}},
				SecurityContext:          restrictedContainerSecurityContext(),
				TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
			}},
			Volumes: []corev1.Volume{
				{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}},
				{Name: "rpc", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: ci.Spec.Chain.RPC.SecretRef.Name,
					Items: []corev1.KeyToPath{{Key: rpcKey, Path: "url"}}, DefaultMode: ptr.To[int32](0o440)}}},
			},
		}
		if !equality.Semantic.DeepDerivative(desired, d.Spec.Template.Spec) {
			d.Spec.Template.Spec = desired
		}
		return controllerutil.SetControllerReference(ci, d, r.Scheme())
	})
	if err != nil {
		return nil, fmt.Errorf("ensure Deployment %s: %w", name, err)
	}
	return d, nil
}

// indexerStatus turns the Deployment and what the pod reported into conditions.
func (r *ChainIndexerReconciler) indexerStatus(ci *streamgatev1alpha1.ChainIndexer, d *appsv1.Deployment, svc *corev1.Service) streamgatev1alpha1.ChainIndexerStatus {
	status := *ci.Status.DeepCopy()
	status.ObservedGeneration = ci.Generation
	status.URL = fmt.Sprintf("http://%s.%s.svc:%d", svc.Name, svc.Namespace, indexPort)
	if r.Config.ServiceAddress == "clusterip" && svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone {
		status.URL = fmt.Sprintf("http://%s:%d", svc.Spec.ClusterIP, indexPort)
	}
	cond := conditionSetter{conditions: &status.Conditions, generation: ci.Generation}
	lag := fmt.Sprintf("block %d of %d (%d behind)", status.IndexedBlock, status.HeadBlock, status.LagBlocks)
	switch {
	case status.LastError != nil && status.LastError.Reason == reasonChainIDMismatch:
		cond.stalled(reasonChainIDMismatch, status.LastError.Message)
		cond.set(streamgatev1alpha1.ConditionSynced, metav1.ConditionFalse, reasonChainIDMismatch, status.LastError.Message)
	case status.LastError != nil:
		cond.progressing(status.LastError.Reason, status.LastError.Message)
		cond.set(streamgatev1alpha1.ConditionSynced, metav1.ConditionFalse, status.LastError.Reason, status.LastError.Message)
	case d.Status.AvailableReplicas < 1:
		cond.progressing(reasonDeploymentUnavailable, fmt.Sprintf("the indexer pod of Deployment %s is not available yet", d.Name))
		cond.set(streamgatev1alpha1.ConditionSynced, metav1.ConditionFalse, reasonDeploymentUnavailable, "no indexer pod is running")
	case !status.CaughtUp:
		cond.progressing(reasonBackfilling, "backfilling: "+lag)
		cond.set(streamgatev1alpha1.ConditionSynced, metav1.ConditionFalse, reasonBackfilling, lag)
	default:
		cond.ready(reasonFollowing, "following the head: "+lag)
		cond.set(streamgatev1alpha1.ConditionSynced, metav1.ConditionTrue, reasonFollowing, lag)
	}
	return status
}

func (r *ChainIndexerReconciler) recordTransition(ci *streamgatev1alpha1.ChainIndexer, next streamgatev1alpha1.ChainIndexerStatus) {
	was := findCondition(ci.Status.Conditions, streamgatev1alpha1.ConditionSynced)
	now := findCondition(next.Conditions, streamgatev1alpha1.ConditionSynced)
	if now == nil || (was != nil && was.Reason == now.Reason) {
		return
	}
	kind := corev1.EventTypeNormal
	if now.Reason == reasonChainIDMismatch || now.Reason == reasonRPCUnreachable {
		kind = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(ci, nil, kind, now.Reason, "Index", "%s", now.Message)
}

// SetupWithManager watches ChainIndexers (their status too: the pod reports
// there) and their children.
func (r *ChainIndexerReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.ChainIndexer{}).
		Owns(&appsv1.Deployment{}).
		Owns(&corev1.Service{}).
		Owns(&corev1.PersistentVolumeClaim{}).
		Named("chainindexer").
		Complete(r)
}
