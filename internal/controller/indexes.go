package controller

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// Field indexes for the lookups reconcilers make on every reconcile: a
// label selector is answered by scanning the whole namespace in the cache,
// which with thousands of Videos in one namespace is most of the work.
const (
	// indexPodTranscodeJob: the TranscodeJob a transcode pod works for.
	indexPodTranscodeJob = "streamgate.transcodeJob"
	// indexTranscodeJobVideo: the Video that controls a TranscodeJob.
	indexTranscodeJobVideo = "streamgate.controllerVideo"
)

func indexPodsByTranscodeJob(ctx context.Context, mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(ctx, &corev1.Pod{}, indexPodTranscodeJob, func(o client.Object) []string {
		if name, ok := o.GetLabels()[labelTranscodeJob]; ok {
			return []string{name}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("index pods by TranscodeJob: %w", err)
	}
	return nil
}

func indexTranscodeJobsByVideo(ctx context.Context, mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(ctx, &streamgatev1alpha1.TranscodeJob{}, indexTranscodeJobVideo, func(o client.Object) []string {
		for _, ref := range o.GetOwnerReferences() {
			if ref.Controller != nil && *ref.Controller && ref.Kind == "Video" && ref.APIVersion == streamgatev1alpha1.GroupVersion.String() {
				return []string{ref.Name}
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("index TranscodeJobs by Video: %w", err)
	}
	return nil
}

// generationChangedOrResync lets through what changes a spec, and the
// informers' periodic replay (--sync-period), in which an object comes
// back unchanged: that replay is when a reconciler repairs what drifted
// without an event, so it must not be filtered out with the status
// updates that the generation predicate is there to skip.
var generationChangedOrResync = predicate.Or(predicate.GenerationChangedPredicate{}, predicate.Funcs{
	CreateFunc:  func(event.CreateEvent) bool { return false },
	DeleteFunc:  func(event.DeleteEvent) bool { return false },
	GenericFunc: func(event.GenericEvent) bool { return false },
	UpdateFunc: func(e event.UpdateEvent) bool {
		return e.ObjectOld != nil && e.ObjectNew != nil && e.ObjectOld.GetResourceVersion() == e.ObjectNew.GetResourceVersion()
	},
})
