package controller

import (
	"context"
	"fmt"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
)

// The workload concern of the StreamEndpoint controller: the catalog
// ConfigMap, the streaming Deployment, its Service, HPA and PDB.

// endpointChildren is what the status is computed from.
type endpointChildren struct {
	requeue         time.Duration
	deployment      *appsv1.Deployment
	service         *corev1.Service
	catalogRevision string
}

// ensureChildren makes the endpoint's Secret, catalog, Deployment, Service
// and autoscaling objects what the spec says.
func (r *StreamEndpointReconciler) ensureChildren(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog,
	rpcSecrets map[string]streamgatev1alpha1.SecretKeyReference) (endpointChildren, error) {
	var out endpointChildren
	requeue, keysChanged, err := r.ensureSecret(ctx, se, rpcSecrets)
	if err != nil {
		return out, err
	}
	out.requeue = requeue
	revision, catalogChanged, err := r.ensureCatalog(ctx, se, cat)
	if err != nil {
		return out, err
	}
	out.catalogRevision = revision
	if keysChanged != "" || catalogChanged {
		// Both are mounted: a rotated signing key must reach every replica
		// as soon as one signs with it, or the others refuse its tokens.
		if err := r.nudgeServePods(ctx, se, revision+keysChanged); err != nil {
			return out, err
		}
	}
	if out.deployment, err = r.ensureDeployment(ctx, se, claimsOf(cat)); err != nil {
		return out, err
	}
	if out.service, err = r.ensureService(ctx, se); err != nil {
		return out, err
	}
	return out, r.ensureAutoscaling(ctx, se)
}

// ensureCatalog writes the catalog ConfigMap; it returns the catalog's
// revision and whether this call changed it.
func (r *StreamEndpointReconciler) ensureCatalog(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog) (revision string, changed bool, err error) {
	data, compressed, err := catalog.Encode(cat)
	if err != nil {
		return "", false, err
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: endpointChild(se, "catalog"), Namespace: se.Namespace}}
	result, err := controllerutil.CreateOrUpdate(ctx, r.Client, cm, func() error {
		cm.Labels = mergeLabels(cm.Labels, endpointLabels(se))
		// Same file either way: serve reads plain and gzipped catalogs.
		if compressed {
			cm.Data, cm.BinaryData = nil, map[string][]byte{catalog.FileName: data}
		} else {
			cm.Data, cm.BinaryData = map[string]string{catalog.FileName: string(data)}, nil
		}
		return controllerutil.SetControllerReference(se, cm, r.Scheme())
	})
	if err != nil {
		return "", false, fmt.Errorf("ensure ConfigMap %s: %w", cm.Name, err)
	}
	revision = catalog.Revision(data)
	return revision, result == controllerutil.OperationResultUpdated, nil
}

// annotationCatalog carries the revision of the catalog and keys a
// streaming pod was nudged to load.
const annotationCatalog = "streamgate.io/catalog-revision"

// nudgeServePods annotates the endpoint's streaming pods with a new
// revision of their catalog or keys. A kubelet refreshes a mounted
// ConfigMap or Secret when it next syncs the pod, about once a minute, or at
// once when the pod changes: a removed video, a tightened gate or a rotated
// key then takes effect within a second.
// Best effort: a pod missed here gets the catalog at its next sync anyway.
func (r *StreamEndpointReconciler) nudgeServePods(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, revision string) error {
	var pods corev1.PodList
	if err := r.APIReader.List(ctx, &pods, client.InNamespace(se.Namespace),
		client.MatchingLabels{labelEndpoint: se.Name, labelComponent: componentServe}); err != nil {
		return fmt.Errorf("list the streaming pods of %s: %w", se.Name, err)
	}
	for i := range pods.Items {
		pod := &pods.Items[i]
		if pod.Annotations[annotationCatalog] == revision || !pod.DeletionTimestamp.IsZero() {
			continue
		}
		patch := []byte(fmt.Sprintf(`{"metadata":{"annotations":{%q:%q}}}`, annotationCatalog, revision))
		if err := r.Patch(ctx, pod, client.RawPatch(types.MergePatchType, patch)); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("nudge pod %s: %w", pod.Name, err)
		}
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
		// A rollout (a new image, a new claim) adds a pod before it takes
		// one away: viewers never see fewer ready pods than asked for.
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: ptr.To(intstr.FromInt32(0)), MaxSurge: ptr.To(intstr.FromInt32(1))}}
		d.Spec.Template.Labels = labels
		// The API server fills defaults into what it stores; compare only
		// what we set, or every reconcile would write.
		desired := servePodSpec(r.Config, endpointChild(se, "catalog"), endpointChild(se, "keys"), claims)
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

func servePodSpec(cfg ServeConfig, catalogName, secretName string, claims []string) corev1.PodSpec {
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
			Name: serveContainer, Image: cfg.Image, Command: []string{workerBinary},
			Args: []string{"serve", "--catalog=" + catalogMount + "/" + catalog.FileName, "--secret-dir=" + secretMount,
				"--claims-root=" + claimsRoot, "--listen=:" + strconv.Itoa(servePort), "--metrics-listen=:" + strconv.Itoa(serveMetricsPort),
				"--store-check-interval=" + cfg.storeCheckInterval().String()},
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
