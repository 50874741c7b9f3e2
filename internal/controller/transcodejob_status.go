package controller

import (
	"fmt"
	"path"
	"sort"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/redact"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// Reasons of TranscodeJob and Video conditions besides media's failure reasons.
const (
	reasonQueued       = "Queued"
	reasonJobCreated   = "JobCreated"
	reasonTranscoding  = "Transcoding"
	reasonTranscoded   = "Transcoded"
	reasonDeadline     = string(media.ReasonTimeout)
	reasonBackoffLimit = "BackoffLimitExceeded"
	reasonJobMissing   = "JobMissing"
)

// observeJob derives a TranscodeJob's status from its Job and the Job's
// pods. It is a pure function of what the cluster shows.
func observeJob(tj *streamgatev1alpha1.TranscodeJob, job *batchv1.Job, pods []corev1.Pod) streamgatev1alpha1.TranscodeJobStatus {
	status := *tj.Status.DeepCopy()
	status.ObservedGeneration = tj.Generation
	status.JobRef = &streamgatev1alpha1.LocalObjectReference{Name: job.Name}
	status.StartTime = job.Status.StartTime
	// Never fewer than already said: the Job informer may be behind the
	// TranscodeJob's, and a count read from a stale Job would go back.
	status.Attempts = max(tj.Status.Attempts, job.Status.Active+job.Status.Succeeded+job.Status.Failed)
	cond := conditionSetter{conditions: &status.Conditions, generation: tj.Generation}

	sortPodsByStart(pods)
	if failed := lastPod(pods, corev1.PodFailed); failed != nil {
		status.Failure = failureOf(failed)
	}

	switch {
	case jobCondition(job, batchv1.JobComplete):
		status.Phase = streamgatev1alpha1.TranscodeJobPhaseSucceeded
		status.Progress = 100
		status.CompletionTime = job.Status.CompletionTime
		status.Failure = nil
		var dropped []string
		status.Playback, dropped = playbackOf(tj, lastPod(pods, corev1.PodSucceeded))
		message := fmt.Sprintf("published %s", status.Playback.MasterPlaylist)
		if n := len(status.Playback.Renditions); n > 0 {
			message = fmt.Sprintf("published %d renditions, %.1fs, at %s", n, status.Playback.DurationSeconds, status.Playback.MasterPlaylist)
		}
		if len(dropped) > 0 {
			message += fmt.Sprintf("; dropped %s: taller than the source (never upscaled)", strings.Join(dropped, ", "))
		}
		cond.ready(reasonTranscoded, message)
		cond.set(streamgatev1alpha1.ConditionSucceeded, metav1.ConditionTrue, reasonTranscoded, message)

	case jobCondition(job, batchv1.JobFailed):
		status.Phase = streamgatev1alpha1.TranscodeJobPhaseFailed
		status.CompletionTime = jobConditionTime(job, batchv1.JobFailed)
		status.Failure = finalFailure(job, status.Failure)
		message := status.Failure.Message
		cond.stalled(status.Failure.Reason, message)
		cond.set(streamgatev1alpha1.ConditionSucceeded, metav1.ConditionFalse, status.Failure.Reason, message)

	// Between an attempt's end and the Job's verdict (its pod succeeded
	// but Complete is not set yet, or it failed and the next pod is not up)
	// the transcode is still under way: never back to Pending.
	case job.Status.Active > 0 || job.Status.Succeeded > 0 || job.Status.Failed > 0 || tj.Status.Phase == streamgatev1alpha1.TranscodeJobPhaseRunning:
		status.Phase = streamgatev1alpha1.TranscodeJobPhaseRunning
		message := fmt.Sprintf("transcoding, attempt %d", status.Attempts)
		switch {
		case status.Failure != nil && job.Status.Active == 0:
			// Between attempts: the count is the one that just failed.
			message = fmt.Sprintf("attempt %d failed: %s: %s; the Job starts attempt %d after its backoff",
				status.Attempts, status.Failure.Reason, status.Failure.Message, status.Attempts+1)
		case status.Failure != nil:
			message += fmt.Sprintf("; the last attempt failed: %s: %s", status.Failure.Reason, status.Failure.Message)
		}
		cond.progressing(reasonTranscoding, message)
		cond.remove(streamgatev1alpha1.ConditionSucceeded)

	default:
		status.Phase = streamgatev1alpha1.TranscodeJobPhasePending
		cond.progressing(reasonJobCreated, fmt.Sprintf("Job %s created, waiting for its pod", job.Name))
		cond.remove(streamgatev1alpha1.ConditionSucceeded)
	}
	return status
}

// failureOf reads the worker's termination message of a failed pod.
func failureOf(pod *corev1.Pod) *streamgatev1alpha1.TranscodeFailure {
	term := terminated(pod)
	if term == nil {
		return &streamgatev1alpha1.TranscodeFailure{Reason: string(media.ReasonTranscodeFailed), Message: "the transcode pod failed: " + pod.Status.Reason, Retriable: true}
	}
	if summary, err := media.ParseSummary([]byte(term.Message)); err == nil && summary.Failed() {
		// A source URL may be presigned: its query is a credential.
		return &streamgatev1alpha1.TranscodeFailure{Reason: string(summary.Reason), Message: redact.String(summary.Message), Retriable: summary.Retriable}
	}
	// No summary: the worker was killed (OOMKilled, evicted, ...) or its
	// message is a log tail.
	reason := term.Reason
	if reason == "" || reason == "Error" {
		reason = string(media.ReasonTranscodeFailed)
	}
	message := fmt.Sprintf("the transcode container exited with code %d", term.ExitCode)
	if msg := strings.TrimSpace(term.Message); msg != "" {
		message += ": " + lastLine(msg)
	}
	return &streamgatev1alpha1.TranscodeFailure{Reason: reason, Message: redact.String(message), Retriable: true}
}

// finalFailure explains why the Job gave up.
func finalFailure(job *batchv1.Job, last *streamgatev1alpha1.TranscodeFailure) *streamgatev1alpha1.TranscodeFailure {
	var reason, message string
	for _, c := range job.Status.Conditions {
		if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
			reason, message = c.Reason, c.Message
		}
	}
	switch reason {
	case batchv1.JobReasonDeadlineExceeded:
		return &streamgatev1alpha1.TranscodeFailure{Reason: reasonDeadline, Retriable: false,
			Message: fmt.Sprintf("the transcode did not finish within activeDeadlineSeconds (%ds)", ptr.Deref(job.Spec.ActiveDeadlineSeconds, 0))}
	case batchv1.JobReasonPodFailurePolicy:
		if last != nil {
			last = last.DeepCopy()
			last.Retriable = false
			return last
		}
	case batchv1.JobReasonBackoffLimitExceeded:
		if last != nil {
			last = last.DeepCopy()
			last.Message = fmt.Sprintf("gave up after %d attempts; the last: %s", job.Status.Failed, last.Message)
			last.Retriable = false
			return last
		}
		return &streamgatev1alpha1.TranscodeFailure{Reason: reasonBackoffLimit, Message: message}
	}
	if last != nil {
		last = last.DeepCopy()
		last.Retriable = false
		return last
	}
	if reason == "" {
		reason = string(media.ReasonTranscodeFailed)
	}
	return &streamgatev1alpha1.TranscodeFailure{Reason: reason, Message: message}
}

// playbackOf reads the worker's summary of a succeeded pod, and the
// renditions it dropped; without one it still knows where the master
// playlist is.
func playbackOf(tj *streamgatev1alpha1.TranscodeJob, pod *corev1.Pod) (*streamgatev1alpha1.Playback, []string) {
	playback := &streamgatev1alpha1.Playback{MasterPlaylist: path.Join(tj.Spec.OutputFolder(), media.MasterPlaylistName), Revision: tj.Spec.Hash()}
	if pod == nil {
		return playback, nil
	}
	term := terminated(pod)
	if term == nil {
		return playback, nil
	}
	summary, err := media.ParseSummary([]byte(term.Message))
	if err != nil || summary.Failed() {
		return playback, nil
	}
	playback.DurationSeconds = summary.DurationSeconds
	if tj.Spec.Output.IPFS != nil && storage.ValidCID(summary.CID) {
		// The ladder's name is its content: CID/master.m3u8.
		playback.CID = summary.CID
		playback.MasterPlaylist = summary.CID + "/" + media.MasterPlaylistName
	}
	for _, r := range summary.Renditions {
		playback.Renditions = append(playback.Renditions, streamgatev1alpha1.PlaybackRendition{
			Name: r.Name, Width: int32(r.Width), Height: int32(r.Height), Bandwidth: r.Bandwidth,
		})
	}
	return playback, summary.Dropped
}

func terminated(pod *corev1.Pod) *corev1.ContainerStateTerminated {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == transcodeContainer && cs.State.Terminated != nil {
			return cs.State.Terminated
		}
	}
	return nil
}

func jobCondition(job *batchv1.Job, t batchv1.JobConditionType) bool {
	for _, c := range job.Status.Conditions {
		if c.Type == t && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func jobConditionTime(job *batchv1.Job, t batchv1.JobConditionType) *metav1.Time {
	for _, c := range job.Status.Conditions {
		if c.Type == t && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.DeepCopy()
		}
	}
	return nil
}

func jobFinished(job *batchv1.Job) bool {
	return jobCondition(job, batchv1.JobComplete) || jobCondition(job, batchv1.JobFailed)
}

func sortPodsByStart(pods []corev1.Pod) {
	sort.SliceStable(pods, func(i, j int) bool {
		return pods[i].CreationTimestamp.Before(&pods[j].CreationTimestamp) ||
			(pods[i].CreationTimestamp.Equal(&pods[j].CreationTimestamp) && pods[i].Name < pods[j].Name)
	})
}

func lastPod(pods []corev1.Pod, phase corev1.PodPhase) *corev1.Pod {
	for i := len(pods) - 1; i >= 0; i-- {
		if pods[i].Status.Phase == phase {
			return &pods[i]
		}
	}
	return nil
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 500 {
		s = s[len(s)-500:]
	}
	return s
}

func isFinal(phase streamgatev1alpha1.TranscodeJobPhase) bool {
	return phase == streamgatev1alpha1.TranscodeJobPhaseSucceeded || phase == streamgatev1alpha1.TranscodeJobPhaseFailed
}
