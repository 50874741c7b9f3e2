package realnode

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/streamgate-io/streamgate/internal/devcluster/proc"
)

// Memory is what the node holds resident, by part. Shared pages count once
// per process, as ps and top count them.
type Memory struct {
	// Components: kubelet, kube-proxy and containerd.
	Components uint64
	// Shims: one containerd-shim-runc-v2 per pod.
	Shims, ShimCount uint64
	// Pods: every process in a pod's cgroup (kubepods).
	Pods, PodProcesses uint64
}

// Total is the whole node's resident memory.
func (m Memory) Total() uint64 { return m.Components + m.Shims + m.Pods }

func (m Memory) String() string {
	return fmt.Sprintf("%d MiB RSS: kubelet, kube-proxy and containerd %d MiB; %d shims %d MiB; %d pod processes %d MiB",
		m.Total()>>20, m.Components>>20, m.ShimCount, m.Shims>>20, m.PodProcesses, m.Pods>>20)
}

// Memory reads the resident memory of the node's components, containerd's
// shims and the pods' processes from /proc.
func (n *Node) Memory() (Memory, error) {
	var m Memory
	var err error
	if m.Components, err = proc.RSS(n.processes); err != nil {
		return m, err
	}
	all, err := proc.Processes()
	if err != nil {
		return m, err
	}
	for _, p := range all {
		switch {
		case strings.HasPrefix(p.Name, "containerd-shim"):
			m.Shims += p.RSS
			m.ShimCount++
		case inPodCgroup(p.Pid):
			m.Pods += p.RSS
			m.PodProcesses++
		}
	}
	return m, nil
}

// inPodCgroup says whether a process is in the kubelet's pod cgroups
// (cgroupfs driver: /kubepods/...), on cgroup v1 or v2.
func inPodCgroup(pid int) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cgroup"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		// hierarchy-ID:controllers:path
		if parts := strings.SplitN(line, ":", 3); len(parts) == 3 && strings.HasPrefix(parts[2], "/kubepods") {
			return true
		}
	}
	return false
}
