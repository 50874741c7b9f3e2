package controller

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
)

// transcodeHistory bounds the TranscodeJobs a Video keeps: the current
// one and the last failed ones (replaced ladders go after their grace).
const transcodeHistory = 3

// VideoReconciler turns each distinct Video spec into one TranscodeJob and
// mirrors the current one's state into the Video's status.
type VideoReconciler struct {
	client.Client
	Recorder events.EventRecorder
	// SupersededOutputGrace is how long a replaced ladder stays after the
	// ladder that replaced it was published (default 2 hours).
	SupersededOutputGrace time.Duration
	Now                   func() time.Time
}

// DefaultSupersededOutputGrace lets a viewer who loaded the previous master
// playlist watch to the end of a long film.
const DefaultSupersededOutputGrace = 2 * time.Hour

// RBAC of the Video controller, and why:
// read the Videos it transcodes.
// +kubebuilder:rbac:groups=streamgate.io,resources=videos,verbs=get;list;watch
// report their state (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=videos/status,verbs=get;patch
// make one TranscodeJob per spec, and delete superseded ones beyond the kept history.
// +kubebuilder:rbac:groups=streamgate.io,resources=transcodejobs,verbs=get;list;watch;create;delete
// own its children with blockOwnerDeletion (foreground deletion waits for them), which an API server with the
// OwnerReferencesPermissionEnforcement admission plugin (OpenShift's default) allows only to who may update the owner's finalizers.
// +kubebuilder:rbac:groups=streamgate.io,resources=videos/finalizers,verbs=update

func (r *VideoReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := logf.FromContext(ctx)
	var video streamgatev1alpha1.Video
	if err := r.Get(ctx, req.NamespacedName, &video); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !video.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}

	keeper, err := outputConflict(ctx, r.Client, &video)
	if err != nil {
		return ctrl.Result{}, err
	}
	if keeper != nil {
		// Nothing is transcoded into a folder another Video keeps.
		return ctrl.Result{}, r.updateStatus(ctx, &video, conflictStatus(&video, keeper))
	}

	desired := desiredTranscodeJob(&video)
	var owned streamgatev1alpha1.TranscodeJobList
	if err := r.List(ctx, &owned, client.InNamespace(video.Namespace), client.MatchingFields{indexTranscodeJobVideo: video.Name}); err != nil {
		return ctrl.Result{}, fmt.Errorf("list TranscodeJobs of %s: %w", req.NamespacedName, err)
	}
	var current *streamgatev1alpha1.TranscodeJob
	var others []streamgatev1alpha1.TranscodeJob
	for i := range owned.Items {
		tj := &owned.Items[i]
		switch {
		case !metav1.IsControlledBy(tj, &video):
			// Same label, other owner (a Video deleted and made again): not ours.
		case tj.Name == desired.Name:
			current = tj
		default:
			others = append(others, *tj)
		}
	}

	if current == nil {
		if err := controllerutil.SetControllerReference(&video, desired, r.Scheme()); err != nil {
			return ctrl.Result{}, err
		}
		if err := r.Create(ctx, desired, client.FieldOwner(fieldManager)); err != nil && !apierrors.IsAlreadyExists(err) {
			err = fmt.Errorf("create TranscodeJob %s: %w", desired.Name, err)
			status := *video.Status.DeepCopy()
			status.ObservedGeneration = video.Generation
			setChildFailure(conditionSetter{conditions: &status.Conditions, generation: video.Generation}, err)
			if werr := r.updateStatus(ctx, &video, status); werr != nil {
				return ctrl.Result{}, werr
			}
			return ctrl.Result{}, err
		} else if err == nil {
			log.Info("created TranscodeJob", "transcodeJob", desired.Name)
			r.Recorder.Eventf(&video, desired, corev1.EventTypeNormal, "TranscodeJobCreated", "CreateTranscodeJob",
				"created TranscodeJob %s for generation %d", desired.Name, video.Generation)
		}
		current = desired
	}
	requeue, err := r.pruneHistory(ctx, &video, current, others)
	if err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: requeue}, r.updateStatus(ctx, &video, videoStatus(&video, current, lastPublished(others)))
}

// updateStatus writes status when it changed, with an Event for a new phase.
func (r *VideoReconciler) updateStatus(ctx context.Context, video *streamgatev1alpha1.Video, status streamgatev1alpha1.VideoStatus) error {
	if equality.Semantic.DeepEqual(video.Status, status) {
		return nil
	}
	r.recordTransition(video, status)
	before := video.DeepCopy()
	video.Status = status
	return writeStatus(ctx, r.Client, video, before)
}

// desiredTranscodeJob is the TranscodeJob for the Video's current spec. Its
// name carries a hash of its spec, so a spec seen before maps to the same
// TranscodeJob.
func desiredTranscodeJob(video *streamgatev1alpha1.Video) *streamgatev1alpha1.TranscodeJob {
	ladder := video.Spec.Ladder
	if len(ladder) == 0 {
		for _, r := range media.DefaultLadder() {
			ladder = append(ladder, streamgatev1alpha1.Rendition{Name: r.Name, Height: int32(r.Height), VideoKbps: int32(r.VideoKbps)})
		}
	}
	spec := streamgatev1alpha1.TranscodeJobSpec{
		VideoRef:              &streamgatev1alpha1.LocalObjectReference{Name: video.Name},
		Source:                *video.Spec.Source.DeepCopy(),
		Ladder:                ladder,
		AudioKbps:             video.Spec.AudioKbps,
		SegmentSeconds:        video.Spec.SegmentSeconds,
		Output:                *video.Spec.Output.DeepCopy(),
		BackoffLimit:          video.Spec.Transcode.BackoffLimit,
		ActiveDeadlineSeconds: video.Spec.Transcode.ActiveDeadlineSeconds,
		Resources:             video.Spec.Transcode.Resources.DeepCopy(),
	}
	return &streamgatev1alpha1.TranscodeJob{
		ObjectMeta: metav1.ObjectMeta{
			Name:      childName(video.Name, spec.Hash()),
			Namespace: video.Namespace,
			Labels:    map[string]string{labelVideo: video.Name, labelManagedBy: managedByValue},
			// Set at creation, so the TranscodeJob controller need not add it
			// with a write of its own.
			Finalizers: []string{finalizerOutput},
		},
		Spec: spec,
	}
}

// pruneHistory deletes superseded TranscodeJobs, and with them (by their
// finalizer) the ladders they published: one still working (it would
// publish an outdated ladder) at once; one whose ladder was replaced once
// the grace period has passed since the replacement was published, so that
// viewers mid-playback finish; failed ones beyond a short history. The
// ladder viewers are served is never touched. It says when to come back
// for a grace period still running.
func (r *VideoReconciler) pruneHistory(ctx context.Context, video *streamgatev1alpha1.Video, current *streamgatev1alpha1.TranscodeJob,
	superseded []streamgatev1alpha1.TranscodeJob) (time.Duration, error) {
	served := current
	if current.Status.Phase != streamgatev1alpha1.TranscodeJobPhaseSucceeded {
		served = newestSucceeded(superseded)
	}
	grace := r.SupersededOutputGrace
	if grace <= 0 {
		grace = DefaultSupersededOutputGrace
	}
	sort.Slice(superseded, func(i, j int) bool {
		a, b := superseded[i].CreationTimestamp, superseded[j].CreationTimestamp
		return b.Before(&a) || (a.Equal(&b) && superseded[i].Name > superseded[j].Name)
	})
	var requeue time.Duration
	keptFailed := 0
	for i := range superseded {
		tj := &superseded[i]
		if !tj.DeletionTimestamp.IsZero() || (served != nil && tj.Name == served.Name) {
			continue
		}
		reason := ""
		switch {
		case !isFinal(tj.Status.Phase):
			reason = "superseded by a newer spec before it finished"
		case tj.Status.Phase == streamgatev1alpha1.TranscodeJobPhaseSucceeded:
			if served == nil || served.Status.CompletionTime == nil {
				continue
			}
			replaced := served.Status.CompletionTime.Time
			if left := replaced.Add(grace).Sub(r.now()); left > 0 {
				if requeue == 0 || left < requeue {
					requeue = left
				}
				continue
			}
			reason = fmt.Sprintf("its ladder was replaced by %s's at %s, more than %s ago", served.Name, replaced.UTC().Format(time.RFC3339), grace)
		case keptFailed < transcodeHistory-1:
			keptFailed++
			continue
		default:
			reason = fmt.Sprintf("only the last %d failed transcodes are kept", transcodeHistory-1)
		}
		if err := r.Delete(ctx, tj, client.PropagationPolicy(metav1.DeletePropagationBackground)); client.IgnoreNotFound(err) != nil {
			return 0, fmt.Errorf("delete TranscodeJob %s: %w", tj.Name, err)
		}
		r.Recorder.Eventf(video, tj, corev1.EventTypeNormal, "TranscodeJobDeleted", "DeleteTranscodeJob", "deleted TranscodeJob %s: %s", tj.Name, reason)
	}
	return requeue, nil
}

func (r *VideoReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// newestSucceeded is the TranscodeJob whose ladder was published last.
func newestSucceeded(tjs []streamgatev1alpha1.TranscodeJob) *streamgatev1alpha1.TranscodeJob {
	var newest *streamgatev1alpha1.TranscodeJob
	for i := range tjs {
		tj := &tjs[i]
		if tj.Status.Phase != streamgatev1alpha1.TranscodeJobPhaseSucceeded || tj.Status.Playback == nil || tj.Status.CompletionTime == nil {
			continue
		}
		if newest == nil || newest.Status.CompletionTime.Before(tj.Status.CompletionTime) {
			newest = tj
		}
	}
	return newest
}

func lastPublished(tjs []streamgatev1alpha1.TranscodeJob) *streamgatev1alpha1.Playback {
	if newest := newestSucceeded(tjs); newest != nil {
		return newest.Status.Playback.DeepCopy()
	}
	return nil
}

// videoStatus mirrors the current TranscodeJob into the Video's status.
func videoStatus(video *streamgatev1alpha1.Video, tj *streamgatev1alpha1.TranscodeJob, previous *streamgatev1alpha1.Playback) streamgatev1alpha1.VideoStatus {
	status := *video.Status.DeepCopy()
	status.ObservedGeneration = video.Generation
	status.TranscodeJobRef = &streamgatev1alpha1.LocalObjectReference{Name: tj.Name}
	status.Progress = tj.Status.Progress
	if status.Playback == nil {
		status.Playback = previous
	}
	cond := conditionSetter{conditions: &status.Conditions, generation: video.Generation}
	tjReady := findCondition(tj.Status.Conditions, streamgatev1alpha1.ConditionReady)

	// For one TranscodeJob, phase and progress only move forward: a Job
	// between attempts looks idle, and a retry restarts the worker's
	// progress, but the Video was further along already. (Ready and Failed
	// come from final TranscodeJob phases, which never change.)
	sameTJ := video.Status.TranscodeJobRef != nil && video.Status.TranscodeJobRef.Name == tj.Name
	phase := tj.Status.Phase
	if sameTJ && phase == streamgatev1alpha1.TranscodeJobPhasePending && video.Status.Phase == streamgatev1alpha1.VideoPhaseTranscoding {
		phase = streamgatev1alpha1.TranscodeJobPhaseRunning
	}
	switch phase {
	case streamgatev1alpha1.TranscodeJobPhaseSucceeded:
		status.Phase = streamgatev1alpha1.VideoPhaseReady
		status.Playback = tj.Status.Playback.DeepCopy()
		cond.ready(reasonTranscoded, messageOr(tjReady, "transcoded"))
	case streamgatev1alpha1.TranscodeJobPhaseFailed:
		status.Phase = streamgatev1alpha1.VideoPhaseFailed
		reason, message := string(media.ReasonTranscodeFailed), "the transcode failed"
		if tj.Status.Failure != nil {
			reason, message = tj.Status.Failure.Reason, tj.Status.Failure.Message
		}
		cond.stalled(reason, fmt.Sprintf("TranscodeJob %s failed: %s", tj.Name, message))
	case streamgatev1alpha1.TranscodeJobPhaseRunning:
		status.Phase = streamgatev1alpha1.VideoPhaseTranscoding
		// The TranscodeJob's own words: the attempt, and why the last one
		// failed while the Job retries (a store that is down, say).
		cond.progressing(reasonTranscoding, fmt.Sprintf("TranscodeJob %s: %s", tj.Name, messageOr(tjReady, "transcoding")))
	default:
		status.Phase = streamgatev1alpha1.VideoPhasePending
		reason, message := "TranscodeJobCreated", fmt.Sprintf("TranscodeJob %s created", tj.Name)
		// Its Job being made changes nothing a Video's reader acts on, so
		// it is not worth a write of every Video; a queue or a failure is.
		if tjReady != nil && tjReady.Reason != "" && tjReady.Reason != reasonJobCreated {
			reason, message = tjReady.Reason, fmt.Sprintf("TranscodeJob %s: %s", tj.Name, tjReady.Message)
		}
		cond.progressing(reason, message)
	}
	if sameTJ {
		status.Progress = max(status.Progress, video.Status.Progress)
	}
	return status
}

func findCondition(conditions []metav1.Condition, conditionType string) *metav1.Condition {
	for i := range conditions {
		if conditions[i].Type == conditionType {
			return &conditions[i]
		}
	}
	return nil
}

func messageOr(c *metav1.Condition, fallback string) string {
	if c == nil || c.Message == "" {
		return fallback
	}
	return c.Message
}

func (r *VideoReconciler) recordTransition(video *streamgatev1alpha1.Video, next streamgatev1alpha1.VideoStatus) {
	if video.Status.Phase == next.Phase {
		return
	}
	switch next.Phase {
	case streamgatev1alpha1.VideoPhaseReady:
		r.Recorder.Eventf(video, nil, corev1.EventTypeNormal, "Ready", "Transcode", "ready to stream at %s", next.Playback.MasterPlaylist)
	case streamgatev1alpha1.VideoPhaseFailed:
		c := findCondition(next.Conditions, streamgatev1alpha1.ConditionStalled)
		r.Recorder.Eventf(video, nil, corev1.EventTypeWarning, c.Reason, "Transcode", "%s", c.Message)
	}
}

// SetupWithManager watches Videos and the TranscodeJobs they own: a Video
// waits on its children's events, never on a timer.
func (r *VideoReconciler) SetupWithManager(mgr ctrl.Manager) error {
	videoPhases.setReader(mgr.GetClient())
	if err := indexVideoOutputs(context.Background(), mgr); err != nil {
		return err
	}
	if err := indexTranscodeJobsByVideo(context.Background(), mgr); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.Video{}, builder.WithPredicates(generationChangedOrResync)).
		Owns(&streamgatev1alpha1.TranscodeJob{}).
		Watches(&streamgatev1alpha1.Video{}, r.overlapsHandler()).
		Named("video").
		Complete(r)
}
