package controller

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
)

// The status concern of the StreamEndpoint controller: conditions from
// what the children show, and the Events of their changes.

func (r *StreamEndpointReconciler) endpointStatus(se *streamgatev1alpha1.StreamEndpoint, cat *catalog.Catalog, problems catalogProblems,
	d *appsv1.Deployment, svc *corev1.Service, serviceEndpoints, podsWithOlderCatalog int) streamgatev1alpha1.StreamEndpointStatus {
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
	case serviceEndpoints == 0:
		// The pods are ready, but the Service does not route to them yet
		// (its EndpointSlices lag a moment): viewers would be refused.
		cond.progressing(reasonNoServiceEndpoints, fmt.Sprintf("Service %s has no ready endpoint yet", svc.Name))
	case podsWithOlderCatalog > 0:
		// A Video just selected would be refused by a pod that has not
		// loaded the catalog naming it.
		cond.progressing(reasonCatalogPropagating, fmt.Sprintf("%d streaming pods still serve an older catalog", podsWithOlderCatalog))
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

// recordStorageTransition says in an Event when the pods start or stop
// reaching their stores.
func (r *StreamEndpointReconciler) recordStorageTransition(se *streamgatev1alpha1.StreamEndpoint, next streamgatev1alpha1.StreamEndpointStatus) {
	was := findCondition(se.Status.Conditions, streamgatev1alpha1.ConditionStorageReachable)
	now := findCondition(next.Conditions, streamgatev1alpha1.ConditionStorageReachable)
	if now == nil || now.Status == metav1.ConditionUnknown || (was != nil && was.Status == now.Status && was.Reason == now.Reason) {
		return
	}
	kind := corev1.EventTypeNormal
	if now.Status != metav1.ConditionTrue {
		kind = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(se, nil, kind, "Storage"+now.Reason, "CheckStorage", "%s", now.Message)
}

// routesToReadyPods stands for the ready-address count on a cluster without
// EndpointSlices, whose Services route to Ready pods directly.
const routesToReadyPods = -1

// readyServiceEndpoints counts the ready addresses in a Service's
// EndpointSlices: what kube-proxy routes viewers to.
func (r *StreamEndpointReconciler) readyServiceEndpoints(ctx context.Context, svc *corev1.Service) (int, error) {
	var slices discoveryv1.EndpointSliceList
	if err := r.List(ctx, &slices, client.InNamespace(svc.Namespace), client.MatchingLabels{discoveryv1.LabelServiceName: svc.Name}); err != nil {
		return 0, fmt.Errorf("list the EndpointSlices of Service %s: %w", svc.Name, err)
	}
	ready := 0
	for _, slice := range slices.Items {
		for _, ep := range slice.Endpoints {
			if ptr.Deref(ep.Conditions.Ready, true) {
				ready += len(ep.Addresses)
			}
		}
	}
	return ready, nil
}
