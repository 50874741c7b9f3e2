package localnode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"github.com/virtual-kubelet/virtual-kubelet/errdefs"
	"github.com/virtual-kubelet/virtual-kubelet/node/api"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/ptr"
)

// Reasons a container waits, as a kubelet names them.
const (
	reasonImageRefused  = "ImageNotSupported"
	reasonConfigError   = "CreateContainerConfigError"
	reasonCrashLoop     = "CrashLoopBackOff"
	reasonContainerInit = "ContainerCreating"
	maxMessageBytes     = 4096
	refreshInterval     = 2 * time.Second
	maxRestartBackoff   = 5 * time.Minute
	firstRestartBackoff = 10 * time.Second
)

type provider struct {
	ctx      context.Context
	client   kubernetes.Interface
	opts     Options
	log      logr.Logger
	recorder record.EventRecorder

	mu      sync.Mutex
	pods    map[string]*podState // namespace/name
	ips     map[string]bool
	updates chan *corev1.Pod // sent under mu, so they stay in order
}

type podState struct {
	pod        *corev1.Pod // our copy, with the status we report
	dir, ip    string
	containers []*container
	volumes    map[string]string // volume name -> host folder
	projected  *projector
	deleting   bool
	stop       context.CancelFunc // ends probes and volume refreshes
	ctx        context.Context
	done       chan struct{} // closed when every container has stopped for good
}

type container struct {
	index    int
	spec     corev1.Container
	root     string // folder where the container's mount paths are linked
	argv     []string
	env      []string
	pid      int
	run      int  // how many times it started: probes of an old run are ignored
	started  bool // startup probe passed (or none)
	liveness int  // consecutive liveness failures
	stopRun  context.CancelFunc
}

func newProvider(ctx context.Context, client kubernetes.Interface, opts Options) *provider {
	return &provider{ctx: ctx, client: client, opts: opts, log: opts.Log, pods: map[string]*podState{}, ips: map[string]bool{},
		updates: make(chan *corev1.Pod, 4096)}
}

func key(namespace, name string) string { return namespace + "/" + name }

// NotifyPods makes this an asynchronous provider: every status change is
// pushed, none is polled.
func (p *provider) NotifyPods(ctx context.Context, notify func(*corev1.Pod)) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case pod := <-p.updates:
				notify(pod)
			}
		}
	}()
}

// publish sends the pod's status (caller holds mu).
func (p *provider) publish(st *podState) {
	p.refresh(st)
	p.updates <- st.pod.DeepCopy()
}

// allocateIP hands out 127.0.0.2-254, then 127.0.2.x and up: 127.0.0.1 is
// the node and 127.0.1.0/24 the Services (caller holds mu).
func (p *provider) allocateIP() string {
	for third := 0; third < 256; third++ {
		if third == 1 {
			continue
		}
		for fourth := 2; fourth < 255; fourth++ {
			if ip := fmt.Sprintf("127.0.%d.%d", third, fourth); !p.ips[ip] {
				p.ips[ip] = true
				return ip
			}
		}
	}
	return "127.0.255.254"
}

func (p *provider) CreatePod(_ context.Context, pod *corev1.Pod) error {
	k := key(pod.Namespace, pod.Name)
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, exists := p.pods[k]; exists {
		return nil
	}
	ctx, stop := context.WithCancel(p.ctx)
	st := &podState{pod: pod.DeepCopy(), ip: p.allocateIP(), stop: stop, ctx: ctx, done: make(chan struct{}),
		dir: filepath.Join(p.opts.Dir, fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, pod.UID))}
	// Setup reads its own copy: the status of st.pod changes under mu.
	st.projected = &projector{client: p.client, pod: pod.DeepCopy(), ip: st.ip, dir: filepath.Join(st.dir, "volumes")}
	for i, c := range pod.Spec.Containers {
		st.containers = append(st.containers, &container{index: i, spec: c, root: filepath.Join(st.dir, "root-"+c.Name)})
	}
	now := metav1.Now()
	s := &st.pod.Status
	s.Phase, s.HostIP, s.PodIP, s.StartTime = corev1.PodPending, "127.0.0.1", st.ip, &now
	s.HostIPs, s.PodIPs = []corev1.HostIP{{IP: "127.0.0.1"}}, []corev1.PodIP{{IP: st.ip}}
	s.Conditions = []corev1.PodCondition{
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, LastTransitionTime: now},
		{Type: corev1.PodReady, Status: corev1.ConditionFalse, LastTransitionTime: now},
	}
	s.ContainerStatuses = make([]corev1.ContainerStatus, len(pod.Spec.Containers))
	for i, c := range pod.Spec.Containers {
		s.ContainerStatuses[i] = corev1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: "process://" + c.Image, Started: ptr.To(false),
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonContainerInit}}}
	}
	p.pods[k] = st
	p.publish(st)
	go p.setUp(st)
	return nil
}

// setUp prepares the pod's folders, volumes and env, then starts its
// containers. What is missing (a ConfigMap, a bound volume) is retried, and
// the container waits with the reason meanwhile, as with a kubelet.
func (p *provider) setUp(st *podState) {
	if refusal := p.refusal(st.pod); refusal != "" {
		p.mu.Lock()
		for i := range st.containers {
			st.pod.Status.ContainerStatuses[i].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonImageRefused, Message: refusal}}
		}
		p.publish(st)
		p.mu.Unlock()
		p.recorder.Event(st.pod, corev1.EventTypeWarning, reasonImageRefused, refusal)
		return
	}
	for {
		err := p.prepare(st)
		if err == nil {
			break
		}
		p.mu.Lock()
		for i := range st.containers {
			st.pod.Status.ContainerStatuses[i].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonConfigError, Message: err.Error()}}
		}
		p.publish(st)
		p.mu.Unlock()
		select {
		case <-st.ctx.Done():
			return
		case <-time.After(refreshInterval):
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st.deleting {
		return
	}
	for _, c := range st.containers {
		p.launch(st, c)
	}
	p.publish(st)
	go p.refreshVolumes(st)
}

// refusal says why the node cannot run a pod, or "".
func (p *provider) refusal(pod *corev1.Pod) string {
	if len(pod.Spec.InitContainers) > 0 {
		return "the local node does not run init containers"
	}
	for _, c := range pod.Spec.Containers {
		if !p.acceptsImage(c.Image) {
			return fmt.Sprintf("the local node runs only the StreamGate image (%s) as a local process; container %q asks for %q",
				strings.Join(p.opts.Images, ", "), c.Name, c.Image)
		}
		if len(c.Command) > 0 && filepath.Base(c.Command[0]) != filepath.Base(p.opts.Binary) {
			return fmt.Sprintf("the local node runs only %s from the StreamGate image; container %q runs %q", filepath.Base(p.opts.Binary), c.Name, c.Command[0])
		}
	}
	return ""
}

func (p *provider) acceptsImage(image string) bool {
	repository := image
	if at := strings.Index(repository, "@"); at >= 0 {
		repository = repository[:at]
	}
	if colon := strings.LastIndex(repository, ":"); colon > strings.LastIndex(repository, "/") {
		repository = repository[:colon]
	}
	for _, accepted := range p.opts.Images {
		if repository == accepted {
			return true
		}
	}
	return false
}

// prepare makes the pod's folders and volumes and resolves every
// container's argv and env.
func (p *provider) prepare(st *podState) error {
	if err := os.MkdirAll(filepath.Join(st.dir, "tmp"), 0o755); err != nil {
		return err
	}
	volumes, err := st.projected.materialize(st.ctx)
	if err != nil {
		return err
	}
	st.volumes = volumes
	for _, c := range st.containers {
		if err := c.link(st); err != nil {
			return err
		}
		argv, env, err := p.resolve(st.ctx, st, c)
		if err != nil {
			return err
		}
		c.argv, c.env = argv, env
	}
	return nil
}

// launch starts a container's process (caller holds mu).
func (p *provider) launch(st *podState, c *container) {
	cs := &st.pod.Status.ContainerStatuses[c.index]
	pid, err := p.start(st, c)
	if err != nil {
		p.exited(st, c, 128, "StartError", err.Error())
		return
	}
	c.pid, c.run, c.liveness = pid, c.run+1, 0
	c.started = c.spec.StartupProbe == nil
	cs.ContainerID = fmt.Sprintf("process://%d", pid)
	cs.Started = ptr.To(c.started)
	cs.Ready = c.spec.ReadinessProbe == nil && c.started
	cs.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}}
	runCtx, stopRun := context.WithCancel(st.ctx)
	c.stopRun = stopRun
	p.probe(runCtx, st, c, c.run)
	p.log.V(1).Info("container started", "pod", key(st.pod.Namespace, st.pod.Name), "container", c.spec.Name, "pid", pid, "ip", st.ip)
}

func (p *provider) start(st *podState, c *container) (int, error) {
	if err := os.Remove(c.terminationFile()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir, cmd.Env = st.dir, c.env
	if c.spec.WorkingDir != "" {
		cmd.Dir = c.translate(c.spec.WorkingDir)
	}
	logFile, err := os.OpenFile(c.logFile(st), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group (a signal reaches its children too), killed if
	// the node dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return 0, err
	}
	pid := cmd.Process.Pid
	go func() {
		err := cmd.Wait()
		_ = logFile.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		if c.pid == pid {
			p.exited(st, c, exitCode(cmd, err), "", "")
			p.publish(st)
		}
	}()
	return pid, nil
}

func exitCode(cmd *exec.Cmd, err error) int32 {
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
		if ws.Signaled() {
			return 128 + int32(ws.Signal())
		}
		return int32(ws.ExitStatus())
	}
	if err != nil {
		return 1
	}
	return 0
}

// exited records a container's end and applies the restart policy with the
// kubelet's back-off (10 s doubling up to 5 min); without it a crashing
// Deployment pod would be replaced in a hot loop (caller holds mu).
func (p *provider) exited(st *podState, c *container, code int32, reason, message string) {
	cs := &st.pod.Status.ContainerStatuses[c.index]
	now := metav1.Now()
	startedAt := now
	if cs.State.Running != nil {
		startedAt = cs.State.Running.StartedAt
	}
	if reason == "" {
		reason = "Completed"
		if code != 0 {
			reason = "Error"
		}
	}
	if message == "" {
		message = c.terminationMessage(st, code)
	}
	if c.stopRun != nil {
		c.stopRun()
	}
	terminated := &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason, Message: message, StartedAt: startedAt, FinishedAt: now, ContainerID: cs.ContainerID}
	c.pid, cs.Ready, cs.Started = 0, false, ptr.To(false)
	p.log.V(1).Info("container exited", "pod", key(st.pod.Namespace, st.pod.Name), "container", c.spec.Name, "code", code)
	policy := st.pod.Spec.RestartPolicy
	if st.deleting || policy == corev1.RestartPolicyNever || (policy == corev1.RestartPolicyOnFailure && code == 0) {
		cs.State = corev1.ContainerState{Terminated: terminated}
		return
	}
	delay := min(firstRestartBackoff<<min(cs.RestartCount, 5), maxRestartBackoff)
	cs.LastTerminationState = corev1.ContainerState{Terminated: terminated}
	cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonCrashLoop,
		Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", delay, c.spec.Name, st.pod.Name)}}
	time.AfterFunc(delay, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if st.deleting || cs.State.Waiting == nil || cs.State.Waiting.Reason != reasonCrashLoop {
			return
		}
		cs.RestartCount++
		p.launch(st, c)
		p.publish(st)
	})
}

// terminationMessage is what the container wrote to its termination message
// path, or with FallbackToLogsOnError the end of its log when it failed.
func (c *container) terminationMessage(st *podState, code int32) string {
	data, err := os.ReadFile(c.terminationFile())
	if err == nil && len(data) > 0 {
		return string(data[:min(len(data), maxMessageBytes)])
	}
	if code == 0 || c.spec.TerminationMessagePolicy != corev1.TerminationMessageFallbackToLogsOnError {
		return ""
	}
	return tail(c.logFile(st), 80, 2048)
}

// tail is at most the last lines and bytes of a file.
func tail(path string, lines, maxBytes int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return ""
	}
	offset := max(info.Size()-int64(maxBytes), 0)
	buf := make([]byte, info.Size()-offset)
	if _, err := f.ReadAt(buf, offset); err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(buf), "\n"), "\n")
	return strings.Join(all[max(len(all)-lines, 0):], "\n")
}

func (c *container) logFile(st *podState) string { return filepath.Join(st.dir, c.spec.Name+".log") }

// refresh derives the phase and the Ready conditions from the containers
// (caller holds mu).
func (p *provider) refresh(st *podState) {
	allTerminated, allReady, failed, running := true, true, false, false
	for _, cs := range st.pod.Status.ContainerStatuses {
		allReady = allReady && cs.Ready
		switch {
		case cs.State.Terminated != nil:
			failed = failed || cs.State.Terminated.ExitCode != 0
		case cs.State.Running != nil:
			running, allTerminated = true, false
		default:
			allTerminated = false
			running = running || cs.RestartCount > 0 || cs.LastTerminationState.Terminated != nil
		}
	}
	switch {
	case allTerminated && failed:
		st.pod.Status.Phase = corev1.PodFailed
	case allTerminated:
		st.pod.Status.Phase = corev1.PodSucceeded
	case running:
		st.pod.Status.Phase = corev1.PodRunning
	}
	if allTerminated {
		select {
		case <-st.done:
		default:
			close(st.done)
		}
	}
	status, reason, message := corev1.ConditionTrue, "", ""
	if !allReady {
		status, reason = corev1.ConditionFalse, "ContainersNotReady"
		if allTerminated {
			reason = "PodCompleted"
		}
		var waiting []string
		for _, cs := range st.pod.Status.ContainerStatuses {
			if !cs.Ready {
				waiting = append(waiting, cs.Name)
			}
			if cs.State.Waiting != nil && (cs.State.Waiting.Reason == reasonImageRefused || cs.State.Waiting.Reason == reasonConfigError) {
				reason, message = cs.State.Waiting.Reason, cs.State.Waiting.Message
			}
		}
		if message == "" {
			message = fmt.Sprintf("containers with unready status: [%s]", strings.Join(waiting, " "))
		}
	}
	for i, cond := range st.pod.Status.Conditions {
		if cond.Type != corev1.PodReady && cond.Type != corev1.ContainersReady {
			continue
		}
		if cond.Status != status || cond.Reason != reason || cond.Message != message {
			transition := cond.LastTransitionTime
			if cond.Status != status {
				transition = metav1.Now()
			}
			st.pod.Status.Conditions[i] = corev1.PodCondition{Type: cond.Type, Status: status, Reason: reason, Message: message, LastTransitionTime: transition}
		}
	}
}

func (p *provider) UpdatePod(_ context.Context, pod *corev1.Pod) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.pods[key(pod.Namespace, pod.Name)]; ok { // pods change in place only in metadata
		st.pod.ObjectMeta = *pod.ObjectMeta.DeepCopy()
	}
	return nil
}

// signal marks the pod as stopping and signals its process groups (caller
// holds mu).
func (p *provider) signal(st *podState, sig syscall.Signal) []int {
	st.deleting = true
	var pids []int
	for _, c := range st.containers {
		cs := &st.pod.Status.ContainerStatuses[c.index]
		if c.pid != 0 {
			pids = append(pids, c.pid)
			_ = syscall.Kill(-c.pid, sig)
			continue
		}
		if cs.State.Terminated == nil { // waiting: nothing to stop
			cs.State = cs.LastTerminationState
			if cs.State.Terminated == nil {
				cs.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed", FinishedAt: metav1.Now()}}
			}
		}
	}
	p.refresh(st)
	return pids
}

// DeletePod stops the processes (SIGTERM, SIGKILL after the grace period)
// and forgets the pod and its folder.
func (p *provider) DeletePod(ctx context.Context, pod *corev1.Pod) error {
	k := key(pod.Namespace, pod.Name)
	p.mu.Lock()
	st, ok := p.pods[k]
	var pids []int
	if ok {
		pids = p.signal(st, syscall.SIGTERM)
		p.publish(st)
	}
	p.mu.Unlock()
	if !ok {
		return errdefs.NotFoundf("pod %s not found", k)
	}
	grace := 30 * time.Second
	if pod.DeletionGracePeriodSeconds != nil {
		grace = time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
	}
	select {
	case <-st.done:
	case <-time.After(grace):
		for _, pid := range pids {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
		<-st.done
	}
	st.stop()
	p.mu.Lock()
	if p.pods[k] == st {
		delete(p.pods, k)
		delete(p.ips, st.ip)
	}
	p.mu.Unlock()
	return os.RemoveAll(st.dir)
}

// killAll stops every pod process when the node goes away.
func (p *provider) killAll() {
	p.mu.Lock()
	var all []*podState
	for _, st := range p.pods {
		p.signal(st, syscall.SIGKILL)
		all = append(all, st)
	}
	p.mu.Unlock()
	for _, st := range all {
		select {
		case <-st.done:
		case <-time.After(5 * time.Second):
		}
		st.stop()
	}
}

func (p *provider) GetPod(_ context.Context, namespace, name string) (*corev1.Pod, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.pods[key(namespace, name)]; ok {
		return st.pod.DeepCopy(), nil
	}
	return nil, errdefs.NotFoundf("pod %s/%s not found", namespace, name)
}

func (p *provider) GetPodStatus(ctx context.Context, namespace, name string) (*corev1.PodStatus, error) {
	pod, err := p.GetPod(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	return &pod.Status, nil
}

func (p *provider) GetPods(context.Context) ([]*corev1.Pod, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*corev1.Pod, 0, len(p.pods))
	for _, st := range p.pods {
		out = append(out, st.pod.DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i].Namespace, out[i].Name) < key(out[j].Namespace, out[j].Name) })
	return out, nil
}

// logs serves `kubectl logs` (the whole log, or its last lines).
func (p *provider) logs(_ context.Context, namespace, pod, name string, opts api.ContainerLogOpts) (io.ReadCloser, error) {
	p.mu.Lock()
	st, ok := p.pods[key(namespace, pod)]
	p.mu.Unlock()
	if !ok {
		return nil, errdefs.NotFoundf("pod %s/%s not found", namespace, pod)
	}
	path := filepath.Join(st.dir, name+".log")
	if opts.Tail > 0 {
		return io.NopCloser(strings.NewReader(tail(path, opts.Tail, 1<<20) + "\n")), nil
	}
	return os.Open(path)
}
