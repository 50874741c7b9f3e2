package localnode

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// probe runs the container's startup, readiness and liveness probes for one
// run of its process, as the kubelet does: readiness sets Ready, a failed
// liveness (or startup) probe kills the process and the restart policy
// decides what follows.
func (p *provider) probe(ctx context.Context, st *podState, c *container, run int) {
	spec := c.spec
	if spec.StartupProbe != nil {
		go p.loop(ctx, st, c, run, spec.StartupProbe, func(ok bool, failures int32, threshold int32) bool {
			if ok {
				c.started = true
				st.pod.Status.ContainerStatuses[c.index].Started = ptr.To(true)
				st.pod.Status.ContainerStatuses[c.index].Ready = spec.ReadinessProbe == nil
				return false // done
			}
			if failures >= threshold {
				p.kill(st, c, "startup")
				return false
			}
			return true
		})
	}
	if spec.ReadinessProbe != nil {
		go p.loop(ctx, st, c, run, spec.ReadinessProbe, func(ok bool, failures int32, threshold int32) bool {
			cs := &st.pod.Status.ContainerStatuses[c.index]
			switch {
			case !c.started:
			case ok:
				cs.Ready = true
			case failures >= threshold:
				cs.Ready = false
			}
			return true
		})
	}
	if spec.LivenessProbe != nil {
		go p.loop(ctx, st, c, run, spec.LivenessProbe, func(ok bool, failures int32, threshold int32) bool {
			if c.started && !ok && failures >= threshold {
				p.kill(st, c, "liveness")
				return false
			}
			return true
		})
	}
}

// loop runs one probe until ctx ends or record says stop; record is called
// under the provider's lock with the result and the consecutive failures.
func (p *provider) loop(ctx context.Context, st *podState, c *container, run int, probe *corev1.Probe,
	record func(ok bool, failures, threshold int32) bool) {
	period := time.Duration(max(probe.PeriodSeconds, 1)) * time.Second
	timeout := time.Duration(max(probe.TimeoutSeconds, 1)) * time.Second
	threshold := max(probe.FailureThreshold, 1)
	// A short first wait so pods turn Ready quickly; the spec's delay is
	// honoured when it is longer.
	wait := max(time.Duration(probe.InitialDelaySeconds)*time.Second, 200*time.Millisecond)
	var failures int32
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := p.check(ctx, st, c, probe, timeout)
		if err == nil {
			failures = 0
		} else {
			failures++
		}
		p.mu.Lock()
		if c.run != run || c.pid == 0 {
			p.mu.Unlock()
			return
		}
		before := st.pod.Status.ContainerStatuses[c.index]
		more := record(err == nil, failures, threshold)
		after := st.pod.Status.ContainerStatuses[c.index]
		if before.Ready != after.Ready || ptr.Deref(before.Started, false) != ptr.Deref(after.Started, false) {
			p.publish(st)
		}
		started := c.started
		p.mu.Unlock()
		if err != nil && failures == threshold {
			p.recorder.Eventf(st.pod, corev1.EventTypeWarning, "Unhealthy", "Probe of container %s failed: %v", c.spec.Name, err)
		}
		if !more {
			return
		}
		wait = period
		if err == nil && !started {
			wait = 200 * time.Millisecond
		}
	}
}

func (p *provider) check(ctx context.Context, st *podState, c *container, probe *corev1.Probe, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch {
	case probe.HTTPGet != nil:
		port, err := containerPort(c.spec, probe.HTTPGet.Port)
		if err != nil {
			return err
		}
		scheme := "http"
		if probe.HTTPGet.Scheme == corev1.URISchemeHTTPS {
			scheme = "https"
		}
		url := fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(st.ip, strconv.Itoa(port)), probe.HTTPGet.Path)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		for _, h := range probe.HTTPGet.HTTPHeaders {
			req.Header.Add(h.Name, h.Value)
		}
		resp, err := probeClient.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode >= 400 {
			return fmt.Errorf("HTTP probe failed with statuscode: %d", resp.StatusCode)
		}
		return nil
	case probe.TCPSocket != nil:
		port, err := containerPort(c.spec, probe.TCPSocket.Port)
		if err != nil {
			return err
		}
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(st.ip, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		return conn.Close()
	case probe.Exec != nil && len(probe.Exec.Command) > 0:
		words := probe.Exec.Command
		argv := make([]string, len(words))
		for i, w := range words {
			argv[i] = c.translateArg(w, st.ip)
		}
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env, cmd.Dir = c.env, st.dir
		return cmd.Run()
	}
	return fmt.Errorf("probe of container %s has no handler the local node runs", c.spec.Name)
}

var probeClient = &http.Client{
	// The kubelet does not follow redirects to other hosts; neither do we.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func containerPort(c corev1.Container, port intstr.IntOrString) (int, error) {
	if port.Type == intstr.Int {
		return port.IntValue(), nil
	}
	for _, p := range c.Ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort), nil
		}
	}
	return 0, fmt.Errorf("container %s has no port named %q", c.Name, port.StrVal)
}

// kill ends a process that failed its probe (caller holds mu); the exit is
// then handled like any other.
func (p *provider) kill(st *podState, c *container, which string) {
	if c.pid == 0 {
		return
	}
	p.log.Info("killing a container that failed its probe", "pod", key(st.pod.Namespace, st.pod.Name), "container", c.spec.Name, "probe", which)
	_ = syscall.Kill(-c.pid, syscall.SIGKILL)
}

// refreshVolumes keeps projected volumes current while the pod lives: a
// changed ConfigMap or Secret reaches the running pod within seconds.
func (p *provider) refreshVolumes(st *podState) {
	ticker := time.NewTicker(refreshInterval)
	defer ticker.Stop()
	for {
		select {
		case <-st.ctx.Done():
			return
		case <-ticker.C:
			if err := st.projected.refresh(st.ctx); err != nil && st.ctx.Err() == nil {
				p.log.V(1).Info("volume refresh failed; the previous content stays", "pod", key(st.pod.Namespace, st.pod.Name), "error", err.Error())
			}
		}
	}
}
