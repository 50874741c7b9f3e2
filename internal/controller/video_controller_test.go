package controller

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	authorizationv1 "k8s.io/api/authorization/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
)

const successSummary = `{"masterPlaylist":"master.m3u8","durationSeconds":93.4,"renditions":[` +
	`{"name":"720p","width":1280,"height":720,"bandwidth":3264000},{"name":"360p","width":640,"height":360,"bandwidth":880000}],` +
	`"dropped":["1080p"]}`

func TestVideoCreatesTranscodeJobAndJob(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "intro")
	video.Spec.Output.Volume.ClaimName = "media"
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	tj, job := waitForJob(t, video)

	// The TranscodeJob: owned by the Video, default ladder resolved, spec copied.
	if !metav1.IsControlledBy(tj, video) {
		t.Error("TranscodeJob is not controlled by the Video")
	}
	if !strings.HasPrefix(tj.Name, "intro-") || len(tj.Name) > 63 {
		t.Errorf("TranscodeJob name %q", tj.Name)
	}
	var ladder []string
	for _, r := range tj.Spec.Ladder {
		ladder = append(ladder, r.Name)
	}
	if strings.Join(ladder, ",") != "1080p,720p,480p,360p" {
		t.Errorf("ladder = %v, want the default ladder", ladder)
	}
	if tj.Spec.SegmentSeconds != 4 || tj.Spec.AudioKbps != 128 || *tj.Spec.BackoffLimit != 3 {
		t.Errorf("TranscodeJob spec did not take the Video's defaults: %+v", tj.Spec)
	}

	// The Job: owned, restricted pod, right volumes, retry policy.
	if !metav1.IsControlledBy(job, tj) {
		t.Error("Job is not controlled by the TranscodeJob")
	}
	if *job.Spec.BackoffLimit != 3 || *job.Spec.ActiveDeadlineSeconds != 3600 || *job.Spec.TTLSecondsAfterFinished != 600 {
		t.Errorf("Job limits: backoff %d, deadline %d, ttl %d", *job.Spec.BackoffLimit, *job.Spec.ActiveDeadlineSeconds, *job.Spec.TTLSecondsAfterFinished)
	}
	rules := job.Spec.PodFailurePolicy.Rules
	if len(rules) != 2 || rules[0].Action != batchv1.PodFailurePolicyActionFailJob ||
		!slices.Equal(rules[0].OnExitCodes.Values, sortedCodes(media.PermanentExitCodes())) {
		t.Errorf("podFailurePolicy does not stop on the permanent exit codes: %+v", rules)
	}
	pod := job.Spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || pod.ServiceAccountName != transcoderServiceAccount {
		t.Errorf("pod restartPolicy %s, serviceAccount %s", pod.RestartPolicy, pod.ServiceAccountName)
	}
	if !*pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("pod is not restricted")
	}
	c := pod.Containers[0]
	if c.Image != testTranscodeConfig.Image || !*c.SecurityContext.ReadOnlyRootFilesystem || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("container image %s or security context %+v", c.Image, c.SecurityContext)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Error("container has no requests/limits: ResourceQuotas would not apply")
	}
	wantArgs := []string{"transcode", "--transcodejob=" + tj.Name, "--claims-root=" + claimsRoot, "--scratch-dir=" + scratchDir, "--preset=ultrafast",
		"--termination-log=" + corev1.TerminationMessagePathDefault}
	if !slices.Equal(c.Args, wantArgs) {
		t.Errorf("args = %v, want %v", c.Args, wantArgs)
	}
	mounts := map[string]bool{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m.ReadOnly
	}
	if ro, ok := mounts[claimsRoot+"/uploads"]; !ok || !ro {
		t.Errorf("source claim not mounted read-only: %v", mounts)
	}
	if ro, ok := mounts[claimsRoot+"/media"]; !ok || ro {
		t.Errorf("output claim not mounted writable: %v", mounts)
	}
	if _, ok := mounts[scratchDir]; !ok {
		t.Errorf("no scratch volume: %v", mounts)
	}

	// Video status while waiting for the pod.
	eventually(t, "Video Pending and Reconciling", func() error {
		v := getVideo(t, video)
		return expectConditions(v.Status.Conditions, map[string]metav1.ConditionStatus{
			"Ready": metav1.ConditionFalse, "Reconciling": metav1.ConditionTrue}, "Stalled")
	})
}

func TestWorkerServiceAccountMayOnlyReportProgress(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "rbac")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	waitForJob(t, video)
	user := fmt.Sprintf("system:serviceaccount:%s:%s", ns, transcoderServiceAccount)
	for _, tc := range []struct {
		verb, group, resource, subresource string
		allowed                            bool
	}{
		{"get", "streamgate.io", "transcodejobs", "", true},
		{"patch", "streamgate.io", "transcodejobs", "status", true},
		{"update", "streamgate.io", "transcodejobs", "", false},
		{"delete", "streamgate.io", "transcodejobs", "", false},
		{"patch", "streamgate.io", "videos", "status", false},
		{"get", "", "secrets", "", false},
		{"create", "batch", "jobs", "", false},
	} {
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User:   user,
			Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"},
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: tc.verb, Group: tc.group,
				Resource: tc.resource, Subresource: tc.subresource},
		}}
		eventually(t, "access review", func() error {
			if err := k8s.Create(ctx, review); err != nil {
				return err
			}
			if review.Status.Allowed != tc.allowed {
				return fmt.Errorf("%s %s/%s: allowed = %v, want %v (%s)", tc.verb, tc.resource, tc.subresource, review.Status.Allowed, tc.allowed, review.Status.Reason)
			}
			return nil
		})
	}
}

func TestSucceededJobMakesVideoReady(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "ok")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	tj, job := waitForJob(t, video)
	pod := startJobPod(t, job)

	// The worker reports progress; the Video mirrors it.
	if err := k8s.Status().Patch(ctx, tj, client.RawPatch(types.MergePatchType, []byte(`{"status":{"progress":42}}`))); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Video Transcoding at 42%", func() error {
		v := getVideo(t, video)
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseTranscoding || v.Status.Progress != 42 {
			return fmt.Errorf("phase %s progress %d", v.Status.Phase, v.Status.Progress)
		}
		return expectConditions(v.Status.Conditions, map[string]metav1.ConditionStatus{"Ready": "False", "Reconciling": "True"}, "Stalled")
	})

	completeJob(t, job, pod, successSummary)
	eventually(t, "Video Ready", func() error {
		v := getVideo(t, video)
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.Progress != 100 {
			return fmt.Errorf("phase %s progress %d", v.Status.Phase, v.Status.Progress)
		}
		p := v.Status.Playback
		if p == nil || p.Revision == "" || p.MasterPlaylist != "tenant/ok/"+p.Revision+"/master.m3u8" || p.DurationSeconds != 93.4 || len(p.Renditions) != 2 || p.Renditions[0].Bandwidth != 3264000 {
			return fmt.Errorf("playback %+v", p)
		}
		return expectConditions(v.Status.Conditions, map[string]metav1.ConditionStatus{"Ready": "True"}, "Reconciling", "Stalled")
	})
	var done streamgatev1alpha1.TranscodeJob
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(tj), &done); err != nil {
		t.Fatal(err)
	}
	if done.Status.Phase != streamgatev1alpha1.TranscodeJobPhaseSucceeded || done.Status.CompletionTime == nil || done.Status.Attempts != 1 {
		t.Errorf("TranscodeJob status %+v", done.Status)
	}
	if err := expectConditions(done.Status.Conditions, map[string]metav1.ConditionStatus{"Succeeded": "True", "Ready": "True"}, "Reconciling"); err != nil {
		t.Error(err)
	}
	// The default ladder starts at 1080p; the worker said it dropped it.
	if ready := meta.FindStatusCondition(getVideo(t, video).Status.Conditions, "Ready"); !strings.Contains(ready.Message, "dropped 1080p: taller than the source") {
		t.Errorf("Ready message %q does not say which renditions were dropped", ready.Message)
	}
}

func TestPermanentFailureStallsVideoWithReason(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "broken")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	_, job := waitForJob(t, video)
	pod := startJobPod(t, job)
	// The worker quotes its source, here a presigned URL: its signature is
	// a credential and must reach neither status nor Events.
	summary := string(media.SummaryOf(nil, &media.Error{Reason: media.ReasonCorruptSource,
		Message: "ffprobe cannot read https://bucket.example.com/a.mp4?X-Amz-Signature=c0ffee1234567890deadbeef: moov atom not found"}).Marshal())
	failJob(t, job, pod, 13, summary, batchv1.JobReasonPodFailurePolicy)

	eventually(t, "Video Failed with CorruptSource", func() error {
		v := getVideo(t, video)
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseFailed {
			return fmt.Errorf("phase %s", v.Status.Phase)
		}
		stalled := meta.FindStatusCondition(v.Status.Conditions, "Stalled")
		ready := meta.FindStatusCondition(v.Status.Conditions, "Ready")
		if stalled == nil || stalled.Status != "True" || stalled.Reason != "CorruptSource" || !strings.Contains(stalled.Message, "moov atom not found") {
			return fmt.Errorf("Stalled = %+v", stalled)
		}
		if ready == nil || ready.Status != "False" || ready.Reason != "CorruptSource" {
			return fmt.Errorf("Ready = %+v", ready)
		}
		return nil
	})
	var tj streamgatev1alpha1.TranscodeJob
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(job), &tj); err != nil {
		t.Fatal(err)
	}
	if f := tj.Status.Failure; f == nil || f.Reason != "CorruptSource" || f.Retriable {
		t.Errorf("failure = %+v, want permanent CorruptSource", f)
	}
	note := waitForEvent(t, ns, "broken", "CorruptSource")
	for where, text := range map[string]string{"failure": tj.Status.Failure.Message, "condition": meta.FindStatusCondition(getVideo(t, video).Status.Conditions, "Stalled").Message, "Event": note} {
		if strings.Contains(text, "c0ffee1234567890deadbeef") || !strings.Contains(text, "X-Amz-Signature=REDACTED") {
			t.Errorf("%s carries the presigned URL's signature: %q", where, text)
		}
	}
}

func TestDeadlineExceededIsTimeout(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "slow")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	_, job := waitForJob(t, video)
	pod := startJobPod(t, job)
	failJob(t, job, pod, 137, "", batchv1.JobReasonDeadlineExceeded)
	eventually(t, "Video Failed with Timeout", func() error {
		stalled := meta.FindStatusCondition(getVideo(t, video).Status.Conditions, "Stalled")
		if stalled == nil || stalled.Reason != "Timeout" || !strings.Contains(stalled.Message, "activeDeadlineSeconds (3600s)") {
			return fmt.Errorf("Stalled = %+v", stalled)
		}
		return nil
	})
}

// A spec change makes a new TranscodeJob, publishing in a folder of its
// own. The ladder it replaces stays for the grace period (viewers
// mid-playback finish on it), then its TranscodeJob is deleted and, held by
// its finalizer, has a Job remove its folder from the claim before it goes.
func TestSpecChangeReplacesTheLadderAfterAGracePeriod(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "evolving")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	publish := func() *streamgatev1alpha1.TranscodeJob {
		t.Helper()
		tj, job := waitForJob(t, video)
		completeJob(t, job, startJobPod(t, job), successSummary)
		eventually(t, "Video Ready on "+tj.Name, func() error {
			if v := getVideo(t, video); v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.TranscodeJobRef.Name != tj.Name ||
				v.Status.Playback.Revision != tj.Spec.Hash() {
				return fmt.Errorf("phase %s, playback %+v", v.Status.Phase, v.Status.Playback)
			}
			return nil
		})
		return tj
	}
	first := publish()
	updateVideo(t, video, func(v *streamgatev1alpha1.Video) { v.Spec.SegmentSeconds = 2 })
	second := publish()
	if first.Spec.OutputFolder() == second.Spec.OutputFolder() {
		t.Fatalf("both ladders publish into %s", first.Spec.OutputFolder())
	}
	getTJ := func(tj *streamgatev1alpha1.TranscodeJob) (*streamgatev1alpha1.TranscodeJob, error) {
		var got streamgatev1alpha1.TranscodeJob
		err := k8s.Get(ctx, client.ObjectKeyFromObject(tj), &got)
		return &got, err
	}
	if got, err := getTJ(first); err != nil || !got.DeletionTimestamp.IsZero() || !controllerutil.ContainsFinalizer(got, finalizerOutput) {
		t.Fatalf("within the grace period the replaced TranscodeJob must stay, holding its output: %v %+v", err, got.ObjectMeta)
	}

	// The grace period passes; a change of the current TranscodeJob wakes
	// the Video as its timer would.
	testClock.Advance(61 * time.Minute)
	t.Cleanup(func() { testClock.Advance(-61 * time.Minute) })
	current, err := getTJ(second)
	if err != nil {
		t.Fatal(err)
	}
	current.Labels["touched"] = "yes"
	if err := k8s.Update(ctx, current); err != nil {
		t.Fatal(err)
	}
	var cleanup batchv1.Job
	eventually(t, "a Job removes the replaced ladder", func() error {
		return k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: outputCleanupJobName(first)}, &cleanup)
	})
	args := strings.Join(cleanup.Spec.Template.Spec.Containers[0].Args, " ")
	if !strings.Contains(args, "--remove-output="+claimsRoot+"/media/"+first.Spec.OutputFolder()) ||
		cleanup.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName != "media" || *cleanup.Spec.Template.Spec.AutomountServiceAccountToken {
		t.Errorf("cleanup Job: %s, volumes %+v", args, cleanup.Spec.Template.Spec.Volumes)
	}
	waitForEvent(t, ns, "evolving", "TranscodeJobDeleted")
	waitForEvent(t, ns, first.Name, "RemovingOutput")
	if got, err := getTJ(first); err != nil || got.DeletionTimestamp.IsZero() {
		t.Fatalf("the replaced TranscodeJob: %v %+v; want it held by its finalizer while the Job runs", err, got.ObjectMeta)
	}
	// The Job controller's part: the removal is done.
	now := metav1.Now()
	cleanup.Status = batchv1.JobStatus{StartTime: &now, CompletionTime: &now, Succeeded: 1, Conditions: []batchv1.JobCondition{
		{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now}}}
	if err := k8s.Status().Update(ctx, &cleanup); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the replaced TranscodeJob is gone", func() error {
		if _, err := getTJ(first); !apierrors.IsNotFound(err) {
			return fmt.Errorf("still there: %v", err)
		}
		return nil
	})
	waitForEvent(t, ns, first.Name, "OutputRemoved")
	if got, err := getTJ(second); err != nil || !got.DeletionTimestamp.IsZero() {
		t.Errorf("the ladder viewers are served was touched: %v", err)
	}
}

func TestSupersededRunningTranscodeIsDeleted(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "hasty")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	first, job := waitForJob(t, video)
	startJobPod(t, job)
	updateVideo(t, video, func(v *streamgatev1alpha1.Video) { v.Spec.AudioKbps = 96 })
	eventually(t, "the running, outdated TranscodeJob is deleted", func() error {
		var old streamgatev1alpha1.TranscodeJob
		err := k8s.Get(ctx, client.ObjectKeyFromObject(first), &old)
		if err == nil && old.DeletionTimestamp.IsZero() {
			return fmt.Errorf("%s still exists", first.Name)
		}
		return client.IgnoreNotFound(err)
	})
	second, _ := waitForJob(t, video)
	if second.Name == first.Name || second.Spec.AudioKbps != 96 {
		t.Errorf("new TranscodeJob %s audio %d", second.Name, second.Spec.AudioKbps)
	}
}

// With a cap of two running transcodes per namespace, a third Video waits
// as Queued, counted by the queue gauge, until a Job finishes. Which Video
// waits depends on which reconciles last; that one does.
func TestTranscodesQueueBeyondTheNamespaceCap(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	for i := range 3 {
		if err := k8s.Create(ctx, newVideo(ns, fmt.Sprintf("q%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	var waiting *streamgatev1alpha1.Video
	eventually(t, "two Jobs and one Video queued", func() error {
		var jobs batchv1.JobList
		var videos streamgatev1alpha1.VideoList
		if err := k8s.List(ctx, &jobs, client.InNamespace(ns)); err != nil {
			return err
		}
		if err := k8s.List(ctx, &videos, client.InNamespace(ns)); err != nil {
			return err
		}
		waiting = nil
		for i, v := range videos.Items {
			if ready := meta.FindStatusCondition(v.Status.Conditions, "Ready"); ready != nil && ready.Reason == reasonQueued {
				waiting = &videos.Items[i]
			}
		}
		if len(jobs.Items) != 2 || waiting == nil {
			return fmt.Errorf("%d Jobs, queued %v", len(jobs.Items), waiting != nil)
		}
		return nil
	})
	if n := queuedGauge(t, ns); n != 1 {
		t.Errorf("streamgate_transcodes_queued{namespace=%q} = %v, want 1", ns, n)
	}
	consistently(t, "no third Job under the cap", time.Second, func() error {
		var jobs batchv1.JobList
		if err := k8s.List(ctx, &jobs, client.InNamespace(ns)); err != nil {
			return err
		}
		if len(jobs.Items) != 2 {
			return fmt.Errorf("%d Jobs with a cap of 2", len(jobs.Items))
		}
		return nil
	})
	var jobs batchv1.JobList
	if err := k8s.List(ctx, &jobs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	completeJob(t, &jobs.Items[0], startJobPod(t, &jobs.Items[0]), successSummary)
	waitForJob(t, waiting)
	eventually(t, "the queue gauge empties", func() error {
		if n := queuedGauge(t, ns); n != 0 {
			return fmt.Errorf("streamgate_transcodes_queued = %v", n)
		}
		return nil
	})
}

// A queue drains in O(1) writes per admission: when a slot frees, the
// oldest queued TranscodeJob starts, and the others, still waiting, are not
// written at all (their status used to carry a place in line and a count of
// running Jobs, rewritten for every queued one on every Job event: Q² writes
// to drain a queue of Q).
func TestQueuedTranscodesAreNotRewrittenWhileTheyWait(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	for i := range 6 {
		if err := k8s.Create(ctx, newVideo(ns, fmt.Sprintf("w%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	var queuedTJs []streamgatev1alpha1.TranscodeJob
	var jobs batchv1.JobList
	eventually(t, "two Jobs and four TranscodeJobs queued", func() error {
		var tjs streamgatev1alpha1.TranscodeJobList
		if err := k8s.List(ctx, &tjs, client.InNamespace(ns)); err != nil {
			return err
		}
		if err := k8s.List(ctx, &jobs, client.InNamespace(ns)); err != nil {
			return err
		}
		queuedTJs = nil
		for _, tj := range tjs.Items {
			if ready := meta.FindStatusCondition(tj.Status.Conditions, "Ready"); ready != nil && ready.Reason == reasonQueued {
				queuedTJs = append(queuedTJs, tj)
			}
		}
		if len(jobs.Items) != 2 || len(queuedTJs) != 4 {
			return fmt.Errorf("%d Jobs, %d queued", len(jobs.Items), len(queuedTJs))
		}
		return nil
	})
	ready := meta.FindStatusCondition(queuedTJs[0].Status.Conditions, "Ready")
	if want := "waiting for a free slot: at most 2 transcodes run at once in this namespace"; ready.Message != want {
		t.Errorf("queued message %q, want %q", ready.Message, want)
	}
	sort.Slice(queuedTJs, func(i, j int) bool {
		a, b := queuedTJs[i].CreationTimestamp, queuedTJs[j].CreationTimestamp
		return a.Before(&b) || (a.Equal(&b) && queuedTJs[i].Name < queuedTJs[j].Name)
	})
	first, stillWaiting := queuedTJs[0], queuedTJs[1:]
	// The Videos of the ones that keep waiting must not be written either.
	videoVersions := map[string]string{}
	for _, tj := range stillWaiting {
		v := getVideo(t, &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: tj.Spec.VideoRef.Name}})
		videoVersions[v.Name] = v.ResourceVersion
	}

	completeJob(t, &jobs.Items[0], startJobPod(t, &jobs.Items[0]), successSummary)
	eventually(t, "the oldest queued TranscodeJob starts", func() error {
		var job batchv1.Job
		return k8s.Get(ctx, client.ObjectKeyFromObject(&first), &job)
	})
	consistently(t, "the others wait unwritten, and no fourth Job", time.Second, func() error {
		var list batchv1.JobList
		if err := k8s.List(ctx, &list, client.InNamespace(ns)); err != nil {
			return err
		}
		if len(list.Items) != 3 {
			return fmt.Errorf("%d Jobs, want 3", len(list.Items))
		}
		for _, tj := range stillWaiting {
			var now streamgatev1alpha1.TranscodeJob
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(&tj), &now); err != nil {
				return err
			}
			if now.ResourceVersion != tj.ResourceVersion {
				return fmt.Errorf("waiting TranscodeJob %s was written: %+v", tj.Name, now.Status.Conditions)
			}
			v := getVideo(t, &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: tj.Spec.VideoRef.Name}})
			if v.ResourceVersion != videoVersions[v.Name] {
				return fmt.Errorf("the Video of waiting TranscodeJob %s was written", tj.Name)
			}
		}
		return nil
	})
}

// queuedGauge scrapes streamgate_transcodes_queued of a namespace from the
// operator's registry.
func queuedGauge(t *testing.T, ns string) float64 {
	t.Helper()
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "streamgate_transcodes_queued" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "namespace" && l.GetValue() == ns {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	return -1
}

func TestRestartCreatesNoDuplicateAndUnchangedObjectsAreNotWritten(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	video := newVideo(ns, "steady")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	tj, job := waitForJob(t, video)
	pod := startJobPod(t, job)
	eventually(t, "Video Transcoding", func() error {
		if p := getVideo(t, video).Status.Phase; p != streamgatev1alpha1.VideoPhaseTranscoding {
			return fmt.Errorf("phase %s", p)
		}
		return nil
	})

	// Restart the operator in the middle of the transcode.
	stopTheManager()
	if err := startManager(); err != nil {
		t.Fatal(err)
	}
	completeJob(t, job, pod, successSummary)
	eventually(t, "Video Ready after the restart", func() error {
		if p := getVideo(t, video).Status.Phase; p != streamgatev1alpha1.VideoPhaseReady {
			return fmt.Errorf("phase %s", p)
		}
		return nil
	})
	var tjs streamgatev1alpha1.TranscodeJobList
	var jobs batchv1.JobList
	if err := k8s.List(ctx, &tjs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	if err := k8s.List(ctx, &jobs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	if len(tjs.Items) != 1 || len(jobs.Items) != 1 {
		t.Fatalf("%d TranscodeJobs and %d Jobs after a restart, want 1 and 1", len(tjs.Items), len(jobs.Items))
	}

	// Reconciling settled objects again writes nothing.
	writes := 0
	counting, err := client.NewWithWatch(env.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	wrapped := countWrites(readsFromCache{counting}, &writes)
	quiet := events.EventRecorder(nopRecorder{})
	videoReconciler := &VideoReconciler{Client: wrapped, Recorder: quiet}
	tjReconciler := &TranscodeJobReconciler{Client: wrapped, Recorder: quiet, Config: testTranscodeConfig}
	for range 3 {
		if _, err := videoReconciler.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(video)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tjReconciler.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(tj)}); err != nil {
			t.Fatal(err)
		}
	}
	if writes != 0 {
		t.Errorf("%d writes while reconciling unchanged objects, want 0", writes)
	}
}

// countWrites wraps a client and counts every write it sends.
func countWrites(c client.WithWatch, writes *int) client.Client {
	count := func() { *writes++ }
	return interceptor.NewClient(c, interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
			count()
			return c.Create(ctx, obj, opts...)
		},
		Update: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.UpdateOption) error {
			count()
			return c.Update(ctx, obj, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			count()
			return c.Patch(ctx, obj, patch, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.DeleteOption) error {
			count()
			return c.Delete(ctx, obj, opts...)
		},
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, obj client.Object, opts ...client.SubResourceUpdateOption) error {
			count()
			return c.SubResource(sub).Update(ctx, obj, opts...)
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			count()
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
	})
}

type nopRecorder struct{}

func (nopRecorder) Eventf(_, _ runtime.Object, _, _, _, _ string, _ ...any) {}

// expectConditions checks condition statuses and that absent ones are absent.
func expectConditions(conditions []metav1.Condition, want map[string]metav1.ConditionStatus, absent ...string) error {
	for t, s := range want {
		c := meta.FindStatusCondition(conditions, t)
		if c == nil || c.Status != s {
			return fmt.Errorf("condition %s = %+v, want %s", t, c, s)
		}
	}
	for _, t := range absent {
		if c := meta.FindStatusCondition(conditions, t); c != nil {
			return fmt.Errorf("condition %s present: %+v", t, c)
		}
	}
	return nil
}
