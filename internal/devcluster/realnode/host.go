package realnode

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-logr/logr"
)

// stateFile records what a running node changed on the host, so that the
// next Setup undoes it when a run was killed before it could stop.
const stateFile = "/run/streamgate-realnode.json"

// hostPaths are folders containerd 1.6 and the kubelet create at fixed
// places, whatever their configuration says.
var hostPaths = []string{"/run/containerd", "/var/lib/kubelet", "/var/log/containers", "/var/log/pods"}

// sysctls the kubelet rewrites at start (protectKernelDefaults: false).
var sysctls = []string{"vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
	"kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes"}

type hostState struct {
	// Dir is the node's folder, Socket its containerd's address.
	Dir        string            `json:"dir"`
	Socket     string            `json:"socket"`
	Bridge     string            `json:"bridge"`
	BridgeMade bool              `json:"bridgeMade"`
	Created    []string          `json:"created"` // host paths that did not exist before
	Sysctls    map[string]string `json:"sysctls"`
}

func recordHost(dir, socket, bridge string) (*hostState, error) {
	h := &hostState{Dir: dir, Socket: socket, Bridge: bridge, Sysctls: map[string]string{}}
	for _, p := range hostPaths {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			h.Created = append(h.Created, p)
		}
	}
	for _, k := range sysctls {
		v, err := os.ReadFile(filepath.Join("/proc/sys", k))
		if err == nil {
			h.Sysctls[k] = strings.TrimSpace(string(v))
		}
	}
	return h, h.save()
}

func (h *hostState) save() error {
	data, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return os.WriteFile(stateFile, data, 0o600)
}

// restore undoes what the node changed: its bridge, the iptables chains the
// kubelet makes, the sysctls it rewrote, the folders made at fixed places,
// and the pods' cgroups.
func (h *hostState) restore(log logr.Logger) {
	if h.BridgeMade {
		if out, err := exec.Command("ip", "link", "del", h.Bridge).CombinedOutput(); err != nil {
			log.Info("could not delete the bridge", "bridge", h.Bridge, "error", strings.TrimSpace(string(out)))
		}
	}
	for _, ipt := range []string{"iptables", "ip6tables"} {
		for _, chain := range []string{"INPUT", "OUTPUT"} {
			for exec.Command(ipt, "-D", chain, "-j", "KUBE-FIREWALL").Run() == nil {
			}
		}
		_ = exec.Command(ipt, "-F", "KUBE-FIREWALL").Run()
		_ = exec.Command(ipt, "-X", "KUBE-FIREWALL").Run()
		for _, chain := range []string{"KUBE-IPTABLES-HINT", "KUBE-KUBELET-CANARY"} {
			for _, table := range []string{"mangle", "nat", "filter"} {
				_ = exec.Command(ipt, "-t", table, "-X", chain).Run()
			}
		}
	}
	for k, v := range h.Sysctls {
		if err := os.WriteFile(filepath.Join("/proc/sys", k), []byte(v), 0o644); err != nil {
			log.Info("could not restore a sysctl", "key", k, "error", err.Error())
		}
	}
	for _, p := range h.Created {
		unmountUnder(p)
		_ = os.RemoveAll(p)
	}
	cgroups, _ := filepath.Glob("/sys/fs/cgroup/*/kubepods")
	for _, c := range append(cgroups, "/sys/fs/cgroup/unified/kubepods", "/sys/fs/cgroup/kubepods") {
		removeCgroupTree(c)
	}
	_ = os.Remove(stateFile)
}

// removeCgroupTree removes a cgroup folder and its children, deepest first
// (a cgroup folder goes with rmdir only, once its processes are gone).
func removeCgroupTree(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			removeCgroupTree(filepath.Join(dir, e.Name()))
		}
	}
	_ = syscall.Rmdir(dir)
}

// cleanLeftovers undoes what a killed run left: its record says what.
func cleanLeftovers(log logr.Logger) {
	data, err := os.ReadFile(stateFile)
	if err != nil {
		return
	}
	var h hostState
	if json.Unmarshal(data, &h) != nil {
		_ = os.Remove(stateFile)
		return
	}
	log.Info("undoing what an earlier real node left on this host", "bridge", h.Bridge, "dir", h.Dir)
	// Its containers' shims outlive containerd (the kubelet, kube-proxy and
	// containerd died with the process that started them); they hold the
	// containers' mounts.
	if h.Socket != "" {
		_ = exec.Command("pkill", "-9", "-f", "containerd-shim-runc-v2 .*-address "+h.Socket).Run()
		_ = exec.Command("pkill", "-9", "-f", "containerd --config "+h.Dir).Run()
	}
	if h.Dir != "" {
		unmountUnder(h.Dir)
	}
	h.restore(log)
}
