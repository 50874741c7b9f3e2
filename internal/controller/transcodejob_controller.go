package controller

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// TranscodeJobReconciler runs each TranscodeJob as a batch/v1 Job and
// reports the Job's fate in the TranscodeJob's status.
type TranscodeJobReconciler struct {
	client.Client
	Recorder events.EventRecorder
	Config   TranscodeConfig
	// Now is the clock of the admission's bookkeeping (default time.Now).
	Now func() time.Time

	admissionOnce sync.Once
	admission     *admission
	// identityLocks serialise ensureWorkerRBAC by namespace (striped, so
	// bounded whatever the number of namespaces).
	identityLocks [64]sync.Mutex
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// RBAC of the TranscodeJob controller, and why:
// read the transcodes it runs, and hold each with a finalizer until its ladder is removed from the claim.
// +kubebuilder:rbac:groups=streamgate.io,resources=transcodejobs,verbs=get;list;watch;patch
// report their state (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=transcodejobs/status,verbs=get;patch
// own its children with blockOwnerDeletion (foreground deletion waits for them), which an API server with the
// OwnerReferencesPermissionEnforcement admission plugin (OpenShift's default) allows only to who may update the owner's finalizers.
// +kubebuilder:rbac:groups=streamgate.io,resources=transcodejobs/finalizers,verbs=update
// run each transcode as a Job, and a Job that removes a deleted TranscodeJob's ladder; delete a Job only to stop
// a superseded transcode before its output is removed.
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create;delete
// read the Job's pods: exit codes and termination messages say why a transcode failed.
// +kubebuilder:rbac:groups="",resources=pods,verbs=get;list;watch
// give the workers of a namespace, and each indexer, an identity that may patch only its own object's status.
// +kubebuilder:rbac:groups="",resources=serviceaccounts,verbs=get;list;watch;create;update;patch
// +kubebuilder:rbac:groups=rbac.authorization.k8s.io,resources=roles;rolebindings,verbs=get;list;watch;create;update;patch
// tell people what happened (every controller).
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

func (r *TranscodeJobReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := logf.FromContext(ctx)
	var tj streamgatev1alpha1.TranscodeJob
	if err := r.Get(ctx, req.NamespacedName, &tj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !tj.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, r.finalize(ctx, &tj)
	}

	var job batchv1.Job
	err := r.Get(ctx, req.NamespacedName, &job)
	switch {
	case apierrors.IsNotFound(err):
		if isFinal(tj.Status.Phase) {
			// The Job was cleaned up after it finished (ttlSecondsAfterFinished);
			// the outcome is in the status already.
			return ctrl.Result{}, nil
		}
		if tj.Status.JobRef != nil {
			// The Job existed and is gone before it finished: someone deleted it.
			// Running it again could publish twice; say so and stop.
			status := *tj.Status.DeepCopy()
			status.Phase = streamgatev1alpha1.TranscodeJobPhaseFailed
			status.Failure = &streamgatev1alpha1.TranscodeFailure{Reason: reasonJobMissing,
				Message: fmt.Sprintf("Job %s was deleted before it finished; delete the TranscodeJob to start again", tj.Status.JobRef.Name)}
			status.ObservedGeneration = tj.Generation
			cond := conditionSetter{conditions: &status.Conditions, generation: tj.Generation}
			cond.stalled(reasonJobMissing, status.Failure.Message)
			cond.set(streamgatev1alpha1.ConditionSucceeded, metav1.ConditionFalse, reasonJobMissing, status.Failure.Message)
			return ctrl.Result{}, r.patchStatus(ctx, &tj, status)
		}
		return r.startJob(ctx, &tj)
	case err != nil:
		return ctrl.Result{}, fmt.Errorf("get Job %s: %w", req.NamespacedName, err)
	}
	if !metav1.IsControlledBy(&job, &tj) {
		status := *tj.Status.DeepCopy()
		status.ObservedGeneration = tj.Generation
		message := fmt.Sprintf("a Job named %s exists and does not belong to this TranscodeJob", job.Name)
		conditionSetter{conditions: &status.Conditions, generation: tj.Generation}.stalled("JobNameTaken", message)
		return ctrl.Result{}, r.patchStatus(ctx, &tj, status)
	}

	var pods corev1.PodList
	if err := r.List(ctx, &pods, client.InNamespace(tj.Namespace), client.MatchingFields{indexPodTranscodeJob: tj.Name}); err != nil {
		return ctrl.Result{}, fmt.Errorf("list pods of %s: %w", tj.Name, err)
	}
	status := observeJob(&tj, &job, pods.Items)
	r.recordTransition(&tj, status)
	if err := r.patchStatus(ctx, &tj, status); err != nil {
		return ctrl.Result{}, err
	}
	log.V(1).Info("observed", "phase", status.Phase, "attempts", status.Attempts)
	return ctrl.Result{}, nil
}

// finalizerOutput holds a TranscodeJob until the ladder it published is
// removed from its claim: files on a volume are outside the cluster, and
// garbage collection would leave them behind.
const finalizerOutput = "streamgate.io/remove-output"

// finalize removes a deleted TranscodeJob's ladder, then lets it go: the
// transcode (if still running) is stopped first, so that it cannot publish
// after the removal; then a Job deletes the folder.
func (r *TranscodeJobReconciler) finalize(ctx context.Context, tj *streamgatev1alpha1.TranscodeJob) error {
	if !controllerutil.ContainsFinalizer(tj, finalizerOutput) {
		return nil
	}
	done, err := r.removeOutput(ctx, tj)
	if err != nil || !done {
		return err
	}
	before := tj.DeepCopy()
	controllerutil.RemoveFinalizer(tj, finalizerOutput)
	if err := r.Patch(ctx, tj, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}), client.FieldOwner(fieldManager)); err != nil {
		return fmt.Errorf("remove the output finalizer of TranscodeJob %s: %w", tj.Name, err)
	}
	return nil
}

// removeOutput drives the removal of a TranscodeJob's published folder and
// says when it is over (done or given up on: a removal that fails is said in
// a Warning Event, never a TranscodeJob stuck in deletion).
func (r *TranscodeJobReconciler) removeOutput(ctx context.Context, tj *streamgatev1alpha1.TranscodeJob) (bool, error) {
	if tj.Status.JobRef == nil || outputRemoved(tj) == "" {
		return true, nil // no Job ever ran, or nothing was pinned: nothing to remove
	}
	var transcode batchv1.Job
	err := r.Get(ctx, client.ObjectKey{Namespace: tj.Namespace, Name: tj.Name}, &transcode)
	switch {
	case err == nil && transcode.DeletionTimestamp.IsZero() && !jobFinished(&transcode):
		// Still transcoding: stop it, and come back when it is gone.
		if err := r.Delete(ctx, &transcode, client.PropagationPolicy(metav1.DeletePropagationForeground)); client.IgnoreNotFound(err) != nil {
			return false, fmt.Errorf("stop Job %s: %w", transcode.Name, err)
		}
		return false, nil
	case err == nil && !transcode.DeletionTimestamp.IsZero():
		return false, nil
	case err != nil && !apierrors.IsNotFound(err):
		return false, fmt.Errorf("get Job %s: %w", tj.Name, err)
	}

	var cleanup batchv1.Job
	err = r.Get(ctx, client.ObjectKey{Namespace: tj.Namespace, Name: outputCleanupJobName(tj)}, &cleanup)
	switch {
	case apierrors.IsNotFound(err):
		job := buildOutputCleanupJob(tj, r.Config)
		if err := controllerutil.SetControllerReference(tj, job, r.Scheme()); err != nil {
			return false, err
		}
		if err := r.Create(ctx, job, client.FieldOwner(fieldManager)); err != nil {
			if apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
				return true, nil // the namespace goes, and its claims with it
			}
			if apierrors.IsAlreadyExists(err) {
				return false, nil
			}
			return false, fmt.Errorf("create Job %s: %w", job.Name, err)
		}
		r.Recorder.Eventf(tj, job, corev1.EventTypeNormal, "RemovingOutput", "RemoveOutput", "removing %s", outputRemoved(tj))
		return false, nil
	case err != nil:
		return false, fmt.Errorf("get Job %s: %w", outputCleanupJobName(tj), err)
	case jobCondition(&cleanup, batchv1.JobComplete):
		r.Recorder.Eventf(tj, &cleanup, corev1.EventTypeNormal, "OutputRemoved", "RemoveOutput", "removed %s", outputRemoved(tj))
		return true, nil
	case jobCondition(&cleanup, batchv1.JobFailed):
		r.Recorder.Eventf(tj, &cleanup, corev1.EventTypeWarning, "OutputNotRemoved", "RemoveOutput",
			"could not remove %s (see the logs of Job %s); remove it by hand", outputRemoved(tj), cleanup.Name)
		return true, nil
	}
	return false, nil
}

// startJob creates the Job, unless the namespace is at its cap of running
// transcodes, in which case the TranscodeJob waits its turn.
func (r *TranscodeJobReconciler) startJob(ctx context.Context, tj *streamgatev1alpha1.TranscodeJob) (ctrl.Result, error) {
	slots := r.slots()
	if admitted, ahead := slots.admit(tj); !admitted {
		logf.FromContext(ctx).V(1).Info("queued", "ahead", ahead)
		status := *tj.Status.DeepCopy()
		status.Phase = streamgatev1alpha1.TranscodeJobPhasePending
		status.ObservedGeneration = tj.Generation
		// No place in line or count of running Jobs here: they change with
		// every Job of the namespace, and each change would be a write.
		message := fmt.Sprintf("waiting for a free slot: at most %d transcodes run at once in this namespace", r.Config.MaxRunningPerNamespace)
		conditionSetter{conditions: &status.Conditions, generation: tj.Generation}.progressing(reasonQueued, message)
		// A slot that frees wakes the next in line.
		return ctrl.Result{}, r.patchStatus(ctx, tj, status)
	}

	job := buildTranscodeJob(tj, r.Config)
	if err := controllerutil.SetControllerReference(tj, job, r.Scheme()); err != nil {
		slots.release(tj)
		return ctrl.Result{}, err
	}
	// Before anything is written, the TranscodeJob holds on to its output:
	// deleting it then removes the ladder it published. (A Video's
	// TranscodeJobs are created with it.)
	if !controllerutil.ContainsFinalizer(tj, finalizerOutput) {
		before := tj.DeepCopy()
		controllerutil.AddFinalizer(tj, finalizerOutput)
		if err := r.Patch(ctx, tj, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}), client.FieldOwner(fieldManager)); err != nil {
			slots.release(tj)
			return ctrl.Result{}, fmt.Errorf("add the output finalizer to TranscodeJob %s: %w", tj.Name, err)
		}
	}
	err := r.ensureWorkerRBAC(ctx, tj.Namespace)
	if err == nil {
		if err = r.Create(ctx, job, client.FieldOwner(fieldManager)); apierrors.IsAlreadyExists(err) {
			// The cache had not seen it yet; the Job's own event brings us back.
			return ctrl.Result{}, nil
		} else if err != nil {
			err = fmt.Errorf("create Job %s: %w", job.Name, err)
		}
	}
	if err != nil {
		slots.release(tj)
		// Quota, RBAC or an invalid Job: said in the conditions, retried
		// with back-off.
		status := *tj.Status.DeepCopy()
		status.Phase = streamgatev1alpha1.TranscodeJobPhasePending
		status.ObservedGeneration = tj.Generation
		setChildFailure(conditionSetter{conditions: &status.Conditions, generation: tj.Generation}, err)
		if werr := r.patchStatus(ctx, tj, status); werr != nil {
			return ctrl.Result{}, werr
		}
		return ctrl.Result{}, err
	}
	if tj.Spec.VideoRef == nil {
		// A Video's TranscodeJob is told of on the Video (one Event per
		// Video); one made by hand is told of here.
		r.Recorder.Eventf(tj, job, corev1.EventTypeNormal, reasonJobCreated, "CreateJob", "created Job %s", job.Name)
	}
	status := observeJob(tj, job, nil)
	return ctrl.Result{}, r.patchStatus(ctx, tj, status)
}

// slots is the admission of this reconciler's TranscodeJobs, made on first
// use; nil (every TranscodeJob admitted, nothing tracked) with no cap.
func (r *TranscodeJobReconciler) slots() *admission {
	r.admissionOnce.Do(func() {
		if r.Config.MaxRunningPerNamespace > 0 {
			r.admission = newAdmission(r.Config.MaxRunningPerNamespace, r.Now)
		}
	})
	return r.admission
}

// ensureWorkerRBAC keeps, in the namespace, the ServiceAccount the worker
// runs as and a Role that lets it read TranscodeJobs and write their status:
// nothing else. They are shared by the namespace's TranscodeJobs, so no one
// owns them.
func (r *TranscodeJobReconciler) ensureWorkerRBAC(ctx context.Context, namespace string) error {
	// One at a time per namespace: the first TranscodeJobs of a namespace
	// arrive together, and each would otherwise create the same three
	// objects, all but one failing on a conflict.
	lock := &r.identityLocks[fnv32(namespace)%uint32(len(r.identityLocks))]
	lock.Lock()
	defer lock.Unlock()
	labels := map[string]string{labelName: "streamgate", labelComponent: componentTranscode, labelManagedBy: managedByValue}
	return ensureIdentity(ctx, r.Client, nil, transcoderServiceAccount, namespace, labels, []rbacv1.PolicyRule{
		{APIGroups: []string{streamgatev1alpha1.GroupVersion.Group}, Resources: []string{"transcodejobs"}, Verbs: []string{"get"}},
		{APIGroups: []string{streamgatev1alpha1.GroupVersion.Group}, Resources: []string{"transcodejobs/status"}, Verbs: []string{"patch"}},
	})
}

// patchStatus writes the status only when it changed, as a merge patch, so
// that the worker's concurrent progress updates are not overwritten.
func (r *TranscodeJobReconciler) patchStatus(ctx context.Context, tj *streamgatev1alpha1.TranscodeJob, status streamgatev1alpha1.TranscodeJobStatus) error {
	if equality.Semantic.DeepEqual(tj.Status, status) {
		return nil
	}
	// The worker owns progress while it runs; keep its latest value.
	if status.Phase == streamgatev1alpha1.TranscodeJobPhaseRunning || status.Phase == streamgatev1alpha1.TranscodeJobPhasePending {
		status.Progress = tj.Status.Progress
		if equality.Semantic.DeepEqual(tj.Status, status) {
			return nil
		}
	}
	before := tj.DeepCopy()
	tj.Status = status
	return writeStatus(ctx, r.Client, tj, before)
}

// recordTransition emits Events and metrics when a TranscodeJob finishes.
func (r *TranscodeJobReconciler) recordTransition(tj *streamgatev1alpha1.TranscodeJob, next streamgatev1alpha1.TranscodeJobStatus) {
	if tj.Status.Phase == next.Phase {
		return
	}
	switch next.Phase {
	case streamgatev1alpha1.TranscodeJobPhaseRunning:
		r.Recorder.Eventf(tj, nil, corev1.EventTypeNormal, reasonTranscoding, "Transcode", "transcoding, attempt %d", next.Attempts)
	case streamgatev1alpha1.TranscodeJobPhaseSucceeded:
		transcodesSucceeded.Inc()
		if next.StartTime != nil && next.CompletionTime != nil {
			transcodeDuration.Observe(next.CompletionTime.Sub(next.StartTime.Time).Seconds())
		}
		ready := findCondition(next.Conditions, streamgatev1alpha1.ConditionReady)
		r.Recorder.Eventf(tj, nil, corev1.EventTypeNormal, reasonTranscoded, "Transcode", "%s", ready.Message)
	case streamgatev1alpha1.TranscodeJobPhaseFailed:
		transcodeFailures.WithLabelValues(next.Failure.Reason).Inc()
		r.Recorder.Eventf(tj, nil, corev1.EventTypeWarning, next.Failure.Reason, "Transcode", "%s", next.Failure.Message)
	}
}

// SetupWithManager watches TranscodeJobs, their Jobs and pods, and keeps
// the admission's view of each namespace's queue and slots.
func (r *TranscodeJobReconciler) SetupWithManager(mgr ctrl.Manager) error {
	queued.setReader(mgr.GetClient())
	if err := indexPodsByTranscodeJob(context.Background(), mgr); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.TranscodeJob{}, builder.WithPredicates(generationChangedOrResync)).
		Owns(&batchv1.Job{}).
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(transcodeJobOfPod))
	if slots := r.slots(); slots != nil {
		b = b.Watches(&streamgatev1alpha1.TranscodeJob{}, slots.transcodeJobHandler()).
			Watches(&batchv1.Job{}, slots.jobHandler())
	}
	return b.Named("transcodejob").Complete(r)
}

func transcodeJobOfPod(_ context.Context, obj client.Object) []reconcile.Request {
	name, ok := obj.GetLabels()[labelTranscodeJob]
	if !ok {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: obj.GetNamespace(), Name: name}}}
}
