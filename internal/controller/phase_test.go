package controller

import (
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// The demo once showed "Transcoding 100%" and then "JobCreated (Pending
// 100%)": the pod had succeeded, and the Job had not yet said Complete.
// Phase and progress only move forward for one TranscodeJob.
func TestPhaseAndProgressOnlyMoveForward(t *testing.T) {
	tj := &streamgatev1alpha1.TranscodeJob{ObjectMeta: metav1.ObjectMeta{Name: "v-1"},
		Status: streamgatev1alpha1.TranscodeJobStatus{Phase: streamgatev1alpha1.TranscodeJobPhaseRunning, Progress: 100}}
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "v-1"}}
	for name, counts := range map[string]batchv1.JobStatus{
		"pod succeeded, no verdict yet":   {Succeeded: 1},
		"attempt failed, next not up yet": {Failed: 1},
		"nothing counted yet":             {},
	} {
		job.Status = counts
		if got := observeJob(tj, job, nil); got.Phase != streamgatev1alpha1.TranscodeJobPhaseRunning {
			t.Errorf("%s: TranscodeJob went from Running to %s", name, got.Phase)
		}
	}

	video := &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Name: "v", Generation: 2}, Status: streamgatev1alpha1.VideoStatus{
		Phase: streamgatev1alpha1.VideoPhaseTranscoding, Progress: 100, TranscodeJobRef: &streamgatev1alpha1.LocalObjectReference{Name: "v-1"}}}
	// A TranscodeJob that reads Pending again, with the worker's progress
	// restarted by a retry.
	back := tj.DeepCopy()
	back.Status.Phase, back.Status.Progress = streamgatev1alpha1.TranscodeJobPhasePending, 10
	got := videoStatus(video, back, nil)
	if got.Phase != streamgatev1alpha1.VideoPhaseTranscoding || got.Progress != 100 || got.ObservedGeneration != 2 {
		t.Errorf("Video went back: %s %d%% (generation %d)", got.Phase, got.Progress, got.ObservedGeneration)
	}
	// A new TranscodeJob (a new spec) starts from its own beginning.
	other := back.DeepCopy()
	other.Name = "v-2"
	if got := videoStatus(video, other, nil); got.Phase != streamgatev1alpha1.VideoPhasePending || got.Progress != 10 {
		t.Errorf("a new TranscodeJob: %s %d%%, want Pending 10%%", got.Phase, got.Progress)
	}
}

// Between attempts the count is the attempt that failed; once the next pod
// runs, it is the running one.
func TestRunningMessageNamesTheAttempt(t *testing.T) {
	tj := &streamgatev1alpha1.TranscodeJob{ObjectMeta: metav1.ObjectMeta{Name: "v-1"},
		Status: streamgatev1alpha1.TranscodeJobStatus{Phase: streamgatev1alpha1.TranscodeJobPhaseRunning}}
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "v-1"}}
	failed := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "v-1-a"}, Status: corev1.PodStatus{Phase: corev1.PodFailed, Reason: "Evicted"}}
	running := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "v-1-b", CreationTimestamp: metav1.Now()}, Status: corev1.PodStatus{Phase: corev1.PodRunning}}
	for _, c := range []struct {
		counts batchv1.JobStatus
		pods   []corev1.Pod
		want   string
	}{
		{batchv1.JobStatus{Active: 1}, []corev1.Pod{running}, "transcoding, attempt 1"},
		{batchv1.JobStatus{Failed: 1}, []corev1.Pod{failed},
			"attempt 1 failed: TranscodeFailed: the transcode pod failed: Evicted; the Job starts attempt 2 after its backoff"},
		{batchv1.JobStatus{Failed: 1, Active: 1}, []corev1.Pod{failed, running},
			"transcoding, attempt 2; the last attempt failed: TranscodeFailed: the transcode pod failed: Evicted"},
	} {
		job.Status = c.counts
		got := observeJob(tj, job, c.pods)
		if ready := meta.FindStatusCondition(got.Conditions, streamgatev1alpha1.ConditionReady); ready == nil || ready.Message != c.want {
			t.Errorf("%+v: Ready %+v, want the message %q", c.counts, ready, c.want)
		}
	}
}
