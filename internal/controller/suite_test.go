package controller

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/testenv"
)

// The suite runs the reconcilers in a manager against a real API server.
// There is no kubelet, scheduler or controller-manager: tests play the Job
// controller and the kubelet by writing Job and Pod status themselves.
var (
	env         *testenv.Env
	k8s         client.Client
	scheme      = runtime.NewScheme()
	stopManager context.CancelFunc
	managerDone chan struct{}
	// cacheReader reads through the manager's informer cache, with its
	// field indexes, as the reconcilers do.
	cacheReader client.Reader
)

// readsFromCache is a client that reads as a reconciler in the manager does
// (from the cache) and writes straight to the API server.
type readsFromCache struct{ client.WithWatch }

func (c readsFromCache) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	return cacheReader.Get(ctx, key, obj, opts...)
}

func (c readsFromCache) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	return cacheReader.List(ctx, list, opts...)
}

var testTranscodeConfig = TranscodeConfig{
	Image:                   "registry.example.com/streamgate:test",
	MaxRunningPerNamespace:  2,
	TTLSecondsAfterFinished: 600,
	Preset:                  "ultrafast",
}

func TestMain(m *testing.M) {
	ctrl.SetLogger(zap.New(zap.UseDevMode(true), zap.Level(zapcore.Level(zapLevel()))))
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := streamgatev1alpha1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	var err error
	env, err = testenv.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	k8s, err = client.New(env.Config, client.Options{Scheme: scheme})
	code := 1
	if err == nil {
		if err = startManager(); err == nil {
			code = m.Run()
			stopTheManager()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	_ = env.Stop()
	os.Exit(code)
}

func zapLevel() int8 {
	if os.Getenv("TEST_VERBOSE") != "" {
		return -1
	}
	return 10 // quiet: errors show up in test failures
}

// testOptions are the operator's options in tests: the production ones,
// with the test image and a short gate recheck.
var testOptions = Options{Transcode: testTranscodeConfig, Serve: ServeConfig{Image: testTranscodeConfig.Image}, GateRecheck: time.Minute,
	SupersededOutputGrace: time.Hour, Now: testClock.Now}

// testClock is the reconcilers' clock in the suite: real time plus what a
// test added, so that a grace period passes without waiting for it.
var testClock = &offsetClock{}

type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// newManager builds a manager as cmd/streamgate does: the same cache
// options and the same SetupAll; only metrics are off and controller names
// may repeat (several managers in one test binary).
func newManager(opts Options) (ctrl.Manager, error) { return newManagerAs(env.Config, opts) }

// newManagerAs is newManager with the API server credentials of cfg.
func newManagerAs(cfg *rest.Config, opts Options) (ctrl.Manager, error) {
	managerOpts := ManagerOptions(opts)
	managerOpts.Scheme = scheme
	managerOpts.Metrics = metricsserver.Options{BindAddress: "0"}
	// Several managers are built in one process here.
	managerOpts.Controller.SkipNameValidation = ptr.To(true)
	mgr, err := ctrl.NewManager(cfg, managerOpts)
	if err != nil {
		return nil, err
	}
	return mgr, SetupAll(mgr, opts)
}

func startManager() error {
	mgr, err := newManager(testOptions)
	if err != nil {
		return err
	}
	cacheReader = mgr.GetClient()
	ctx, cancel := context.WithCancel(context.Background())
	stopManager, managerDone = cancel, make(chan struct{})
	go func() {
		defer close(managerDone)
		if err := mgr.Start(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "manager:", err)
		}
	}()
	return nil
}

func stopTheManager() {
	stopManager()
	<-managerDone
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "t-"}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// eventually polls check until it returns nil or 20 seconds pass.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// consistently checks that check keeps returning nil for a while.
func consistently(t *testing.T, what string, d time.Duration, check func() error) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if err := check(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

func newVideo(ns, name string) *streamgatev1alpha1.Video {
	return &streamgatev1alpha1.Video{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: streamgatev1alpha1.VideoSpec{
			Source: streamgatev1alpha1.MediaSource{Volume: &streamgatev1alpha1.VolumePath{ClaimName: "uploads", Path: "raw/" + name + ".mp4"}},
			Output: streamgatev1alpha1.MediaOutput{Volume: &streamgatev1alpha1.VolumePath{ClaimName: "media", Path: "tenant/" + name}},
		},
	}
}

// waitForJob waits until the Video's current TranscodeJob has a Job.
func waitForJob(t *testing.T, video *streamgatev1alpha1.Video) (*streamgatev1alpha1.TranscodeJob, *batchv1.Job) {
	t.Helper()
	ctx := context.Background()
	var tj streamgatev1alpha1.TranscodeJob
	var job batchv1.Job
	eventually(t, "a Job for Video "+video.Name, func() error {
		var v streamgatev1alpha1.Video
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(video), &v); err != nil {
			return err
		}
		if v.Status.TranscodeJobRef == nil || v.Status.ObservedGeneration != v.Generation {
			return fmt.Errorf("status names no TranscodeJob for generation %d yet", v.Generation)
		}
		key := client.ObjectKey{Namespace: v.Namespace, Name: v.Status.TranscodeJobRef.Name}
		if err := k8s.Get(ctx, key, &tj); err != nil {
			return err
		}
		return k8s.Get(ctx, key, &job)
	})
	return &tj, &job
}

// The test plays the Job controller and the kubelet.

func startJobPod(t *testing.T, job *batchv1.Job) *corev1.Pod {
	t.Helper()
	ctx := context.Background()
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: job.Name + "-", Namespace: job.Namespace,
			Labels:          job.Spec.Template.Labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(job, batchv1.SchemeGroupVersion.WithKind("Job"))},
		},
		Spec: *job.Spec.Template.Spec.DeepCopy(),
	}
	if err := k8s.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	pod.Status.Phase = corev1.PodRunning
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: transcodeContainer, Image: job.Spec.Template.Spec.Containers[0].Image,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}}}}
	if err := k8s.Status().Update(ctx, pod); err != nil {
		t.Fatal(err)
	}
	updateJobStatus(t, job, func(s *batchv1.JobStatus) {
		if s.StartTime == nil {
			s.StartTime = ptr.To(metav1.Now())
		}
		s.Active++
	})
	return pod
}

func terminatePod(t *testing.T, pod *corev1.Pod, exitCode int32, message string) {
	t.Helper()
	pod.Status.Phase = corev1.PodSucceeded
	if exitCode != 0 {
		pod.Status.Phase = corev1.PodFailed
	}
	pod.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: exitCode, Message: message, Reason: map[bool]string{true: "Completed", false: "Error"}[exitCode == 0],
		StartedAt: metav1.Now(), FinishedAt: metav1.Now(),
	}}
	if err := k8s.Status().Update(context.Background(), pod); err != nil {
		t.Fatal(err)
	}
}

func completeJob(t *testing.T, job *batchv1.Job, pod *corev1.Pod, summary string) {
	t.Helper()
	terminatePod(t, pod, 0, summary)
	updateJobStatus(t, job, func(s *batchv1.JobStatus) {
		now := metav1.Now()
		s.Active, s.Succeeded = 0, 1
		s.CompletionTime = &now
		s.Conditions = append(s.Conditions,
			batchv1.JobCondition{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now, LastProbeTime: now},
			batchv1.JobCondition{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now, LastProbeTime: now})
	})
}

func failJob(t *testing.T, job *batchv1.Job, pod *corev1.Pod, exitCode int32, summary, reason string) {
	t.Helper()
	terminatePod(t, pod, exitCode, summary)
	updateJobStatus(t, job, func(s *batchv1.JobStatus) {
		now := metav1.Now()
		s.Active, s.Failed = 0, s.Failed+1
		s.Conditions = append(s.Conditions,
			batchv1.JobCondition{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: now, LastProbeTime: now},
			batchv1.JobCondition{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: now, LastProbeTime: now})
	})
}

func updateJobStatus(t *testing.T, job *batchv1.Job, mutate func(*batchv1.JobStatus)) {
	t.Helper()
	ctx := context.Background()
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(job), job); err != nil {
		t.Fatal(err)
	}
	mutate(&job.Status)
	if err := k8s.Status().Update(ctx, job); err != nil {
		t.Fatalf("update Job status: %v", err)
	}
}

func getVideo(t *testing.T, video *streamgatev1alpha1.Video) *streamgatev1alpha1.Video {
	t.Helper()
	var v streamgatev1alpha1.Video
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(video), &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// updateVideo changes a Video's spec, retrying when the operator wrote its
// status in between.
func updateVideo(t *testing.T, video *streamgatev1alpha1.Video, mutate func(*streamgatev1alpha1.Video)) {
	t.Helper()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		v := getVideo(t, video)
		mutate(v)
		return k8s.Update(context.Background(), v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func reconcileRequest(obj client.Object) ctrl.Request {
	return ctrl.Request{NamespacedName: client.ObjectKeyFromObject(obj)}
}
