package controller

import (
	"fmt"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

func queuedTJ(ns, name string, created time.Time) *streamgatev1alpha1.TranscodeJob {
	return &streamgatev1alpha1.TranscodeJob{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: metav1.NewTime(created)}}
}

func transcodeJobOf(tj *streamgatev1alpha1.TranscodeJob, finished bool) *batchv1.Job {
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Namespace: tj.Namespace, Name: tj.Name,
		Labels: map[string]string{labelTranscodeJob: tj.Name, labelComponent: componentTranscode}}}
	if finished {
		job.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
	}
	return job
}

func names(requests []reconcile.Request) []string {
	var out []string
	for _, r := range requests {
		out = append(out, r.Name)
	}
	return out
}

// The queue is first come, first served within a namespace, a slot is held
// from the admission until the Job's informer shows the Job finished, and a
// freed slot wakes exactly the next in line.
func TestAdmissionIsFirstComeFirstServedAndWakesOnlyTheNext(t *testing.T) {
	clock := &offsetClock{}
	a := newAdmission(2, clock.Now)
	base := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var tjs []*streamgatev1alpha1.TranscodeJob
	for i := range 5 {
		// Same second for two of them: then the name decides.
		tj := queuedTJ("ns", fmt.Sprintf("tj-%d", i), base.Add(time.Duration(i/2)*time.Second))
		tjs = append(tjs, tj)
		a.observeTranscodeJob(tj, false)
	}
	// Another namespace has slots of its own.
	if ok, _ := a.admit(queuedTJ("other", "x", base.Add(time.Hour))); !ok {
		t.Fatal("the first TranscodeJob of another namespace waits")
	}
	// Reconciles come in any order; only the two oldest may start.
	if ok, ahead := a.admit(tjs[4]); ok || ahead != 4 {
		t.Errorf("tj-4: admitted %v with %d ahead, want queued with 4 ahead", ok, ahead)
	}
	for _, i := range []int{1, 0} {
		if ok, _ := a.admit(tjs[i]); !ok {
			t.Errorf("tj-%d not admitted", i)
		}
	}
	if ok, ahead := a.admit(tjs[2]); ok || ahead != 0 {
		t.Errorf("tj-2: admitted %v with %d ahead, want queued, first in line", ok, ahead)
	}
	// The admitted ones' Jobs appear: they keep their slots, nobody wakes.
	for _, i := range []int{0, 1} {
		if woken := a.observeJob(transcodeJobOf(tjs[i], false), false); len(woken) != 0 {
			t.Errorf("a running Job woke %v", names(woken))
		}
	}
	// A Job finishing wakes the next one only.
	woken := a.observeJob(transcodeJobOf(tjs[0], true), false)
	if got := names(woken); len(got) != 1 || got[0] != "tj-2" {
		t.Errorf("a finished Job woke %v, want [tj-2]", got)
	}
	// The same finished Job seen again (a resync) frees nothing more.
	if woken := a.observeJob(transcodeJobOf(tjs[0], true), false); len(woken) != 0 {
		t.Errorf("a resync of a finished Job woke %v", names(woken))
	}
	if ok, _ := a.admit(tjs[3]); ok {
		t.Error("tj-3 jumped the queue ahead of tj-2")
	}
	if ok, _ := a.admit(tjs[2]); !ok {
		t.Error("tj-2 not admitted into the freed slot")
	}
	// tj-2's Job was never created (say, quota): the slot comes back, and
	// tj-2 keeps its place ahead of tj-3.
	a.release(tjs[2])
	if ok, ahead := a.admit(tjs[3]); ok || ahead != 1 {
		t.Errorf("tj-3 after tj-2's release: admitted %v with %d ahead, want queued with 1 ahead", ok, ahead)
	}
	if ok, _ := a.admit(tjs[2]); !ok {
		t.Error("tj-2 not admitted again")
	}
	// A Job the informer never shows gives its slot back after a minute.
	clock.Advance(startingTimeout + time.Second)
	if ok, _ := a.admit(tjs[3]); !ok {
		t.Error("a slot held by a Job that never appeared was not given back")
	}
	// Deleting a TranscodeJob whose Job holds a slot wakes the next.
	a.observeTranscodeJob(tjs[4], false)
	a.observeJob(transcodeJobOf(tjs[1], false), true)
	if got := names(a.next("ns", a.queue("ns"))); len(got) != 1 || got[0] != "tj-4" {
		t.Errorf("after a deleted Job, next = %v, want [tj-4]", got)
	}
}

// Jobs that remove outputs hold no slot.
func TestAdmissionIgnoresCleanupJobs(t *testing.T) {
	a := newAdmission(1, nil)
	cleanup := transcodeJobOf(queuedTJ("ns", "gone", time.Now()), false)
	cleanup.Name, cleanup.Labels[labelComponent] = "gone-remove-output", componentOutputCleanup
	a.observeJob(cleanup, false)
	if ok, _ := a.admit(queuedTJ("ns", "next", time.Now())); !ok {
		t.Error("a cleanup Job took the only slot")
	}
}
