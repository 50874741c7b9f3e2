// Package realnode runs a real Kubernetes node on this machine: Debian's
// containerd, runc and CNI plugins (bridge, host-local, portmap), and the
// kubelet and kube-proxy built from source. Pods are containers with their
// own network namespaces on a bridge of the node's own, Services are
// kube-proxy's iptables rules, and images come from OCI archives imported
// into containerd (no registry is reachable).
//
// It needs root. What it changes on the host outside its folder — the
// bridge, iptables chains, sysctls the kubelet rewrites, the folders
// containerd and the kubelet hard-code, cgroups, mounts — is undone by Stop,
// and by the next Setup if a run was killed before it could stop.
package realnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/devcluster/proc"
)

// Defaults of a node.
const (
	DefaultBridge     = "streamgate0"
	DefaultPodCIDR    = "10.244.0.0/16"
	DefaultClusterDNS = "10.96.0.10"
	// PauseImage is the sandbox image containerd's CRI runs for every pod.
	PauseImage = "registry.k8s.io/pause:3.10.2"
)

// Options of a node.
type Options struct {
	// Dir receives the node's configuration, containerd's and the kubelet's
	// state, pod logs and process logs.
	Dir string
	// BinDir holds kubelet and kube-proxy.
	BinDir string
	// Name is the node's name (its certificates are issued for it).
	Name string
	// Bridge and PodCIDR: pods get addresses of PodCIDR on Bridge, whose
	// first address is the node's (and the API server's) own.
	Bridge, PodCIDR string
	// ClusterDNS is the kube-dns Service address pods resolve names with.
	ClusterDNS string
	// APIServer is the API server's URL; CAFile its CA, which also signs
	// the kubelet's client certificates.
	APIServer, CAFile string
	// Certificates: the kubelet's serving pair (for the node IP), its
	// client pair (system:node:<Name>) and kube-proxy's (system:kube-proxy).
	KubeletCert, KubeletKey, NodeCert, NodeKey, ProxyCert, ProxyKey string
	// Images are OCI or Docker archives imported into containerd, the
	// pause image among them.
	Images []string
	Log    logr.Logger
}

// Node is a running node.
type Node struct {
	opts      Options
	NodeIP    net.IP
	host      *hostState
	processes []*proc.Process
}

// Prerequisites are the programs a real node needs from Debian.
var Prerequisites = []string{"containerd", "containerd-shim-runc-v2", "runc", "ctr", "iptables", "ip", "/usr/lib/cni/bridge", "/usr/lib/cni/host-local"}

// Check says what is missing to run a real node here.
func Check(binDir string) error {
	if os.Geteuid() != 0 {
		return errors.New("a real node needs root (containerd, the kubelet, iptables)")
	}
	var missing []string
	for _, p := range Prerequisites {
		if strings.HasPrefix(p, "/") {
			if _, err := os.Stat(p); err != nil {
				missing = append(missing, p)
			}
		} else if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s: apt-get install containerd runc containernetworking-plugins iptables iproute2", strings.Join(missing, ", "))
	}
	for _, b := range []string{"kubelet", "kube-proxy"} {
		if _, err := os.Stat(filepath.Join(binDir, b)); err != nil {
			return fmt.Errorf("%s not found in %s: run `make node-binaries`", b, binDir)
		}
	}
	return nil
}

// Setup makes the node's bridge, so that the API server can listen on the
// node IP before the node starts. A previous run's leftovers go first.
func Setup(opts Options) (*Node, error) {
	if opts.Bridge == "" {
		opts.Bridge = DefaultBridge
	}
	if opts.PodCIDR == "" {
		opts.PodCIDR = DefaultPodCIDR
	}
	if opts.ClusterDNS == "" {
		opts.ClusterDNS = DefaultClusterDNS
	}
	_, cidr, err := net.ParseCIDR(opts.PodCIDR)
	if err != nil {
		return nil, fmt.Errorf("pod CIDR %q: %w", opts.PodCIDR, err)
	}
	ip := cidr.IP.To4()
	nodeIP := net.IPv4(ip[0], ip[1], ip[2], ip[3]+1).To4()
	ones, _ := cidr.Mask.Size()
	for _, dir := range []string{"etc", "logs", "run", "containerd", "kubelet", "pod-logs", "cni/net.d", "cni/ipam"} {
		if err := os.MkdirAll(filepath.Join(opts.Dir, dir), 0o755); err != nil {
			return nil, err
		}
	}
	cleanLeftovers(opts.Log)
	host, err := recordHost(opts.Dir, filepath.Join(opts.Dir, "run", "containerd.sock"), opts.Bridge)
	if err != nil {
		return nil, err
	}
	n := &Node{opts: opts, NodeIP: nodeIP, host: host}
	if err := n.sh("ip", "link", "add", opts.Bridge, "type", "bridge"); err != nil {
		return nil, err
	}
	host.BridgeMade = true
	if err := host.save(); err != nil {
		return nil, err
	}
	if err := n.sh("ip", "addr", "add", nodeIP.String()+"/"+strconv.Itoa(ones), "dev", opts.Bridge); err != nil {
		n.Stop()
		return nil, err
	}
	if err := n.sh("ip", "link", "set", opts.Bridge, "up"); err != nil {
		n.Stop()
		return nil, err
	}
	return n, nil
}

func (n *Node) sh(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (n *Node) path(parts ...string) string {
	return filepath.Join(append([]string{n.opts.Dir}, parts...)...)
}

// Configure names the API server and the certificates the node's
// components present: they are made once Setup has given the node its IP.
func (n *Node) Configure(apiServer, caFile, kubeletCert, kubeletKey, nodeCert, nodeKey, proxyCert, proxyKey string) {
	n.opts.APIServer, n.opts.CAFile = apiServer, caFile
	n.opts.KubeletCert, n.opts.KubeletKey = kubeletCert, kubeletKey
	n.opts.NodeCert, n.opts.NodeKey, n.opts.ProxyCert, n.opts.ProxyKey = nodeCert, nodeKey, proxyCert, proxyKey
}

// Socket is containerd's address.
func (n *Node) Socket() string { return n.path("run", "containerd.sock") }

// Start writes the configuration, starts containerd, imports the images,
// then starts the kubelet and kube-proxy. It returns once they run; the
// caller waits for the node to be Ready.
func (n *Node) Start(ctx context.Context) error {
	if err := n.writeConfig(); err != nil {
		return err
	}
	if err := n.run("containerd", "containerd", "--config", n.path("etc", "containerd.toml")); err != nil {
		return err
	}
	if err := n.waitFor(ctx, "containerd", 30*time.Second, func() bool {
		return exec.CommandContext(ctx, "ctr", "-a", n.Socket(), "version").Run() == nil
	}); err != nil {
		return err
	}
	for _, archive := range n.opts.Images {
		began := time.Now()
		out, err := exec.CommandContext(ctx, "ctr", "-a", n.Socket(), "-n", "k8s.io", "images", "import", archive).CombinedOutput()
		if err != nil {
			return fmt.Errorf("import %s: %v: %s", archive, err, out)
		}
		n.opts.Log.V(1).Info("image imported", "archive", filepath.Base(archive), "took", time.Since(began).Round(time.Millisecond))
	}
	if err := n.run("kubelet", filepath.Join(n.opts.BinDir, "kubelet"), "--config", n.path("etc", "kubelet.yaml"),
		"--kubeconfig", n.path("etc", "kubelet.kubeconfig"), "--root-dir", n.path("kubelet"),
		"--hostname-override", n.opts.Name, "--node-ip", n.NodeIP.String(), "--v", "1"); err != nil {
		return err
	}
	return n.run("kube-proxy", filepath.Join(n.opts.BinDir, "kube-proxy"), "--config", n.path("etc", "kube-proxy.yaml"), "--v", "1")
}

func (n *Node) run(name, bin string, args ...string) error {
	p, err := proc.Start(name, n.path("logs", name+".log"), bin, args...)
	if err != nil {
		return err
	}
	n.processes = append(n.processes, p)
	return nil
}

// Exited names a node process that has exited, with its log, or "".
func (n *Node) Exited() string {
	for _, p := range n.processes {
		if err := p.Exited(); err != nil {
			return err.Error()
		}
	}
	return ""
}

func (n *Node) waitFor(ctx context.Context, what string, timeout time.Duration, ready func() bool) error {
	deadline := time.Now().Add(timeout)
	for !ready() {
		if msg := n.Exited(); msg != "" {
			return errors.New(msg)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("waiting for %s: timed out", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// Stop stops kube-proxy (removing its rules), the kubelet, every container
// and containerd, then undoes what Setup and the node changed on the host.
// It is safe to call more than once.
func (n *Node) Stop() {
	n.stopProcess("kube-proxy")
	_ = exec.Command(filepath.Join(n.opts.BinDir, "kube-proxy"), "--cleanup", "--config", n.path("etc", "kube-proxy.yaml")).Run()
	n.stopProcess("kubelet")
	if n.running("containerd") {
		ctr := func(args ...string) []string {
			out, _ := exec.Command("ctr", append([]string{"-a", n.Socket(), "-n", "k8s.io"}, args...)...).Output()
			return strings.Fields(string(out))
		}
		for _, t := range ctr("tasks", "ls", "-q") {
			ctr("tasks", "kill", "-s", "SIGKILL", t)
		}
		for _, t := range ctr("tasks", "ls", "-q") {
			ctr("tasks", "delete", "-f", t)
		}
		for _, c := range ctr("containers", "ls", "-q") {
			ctr("containers", "delete", c)
		}
	}
	n.stopProcess("containerd")
	n.processes = nil
	unmountUnder(n.opts.Dir)
	if n.host != nil {
		n.host.restore(n.opts.Log)
		n.host = nil
	}
}

func (n *Node) running(name string) bool {
	for _, p := range n.processes {
		if p.Name == name {
			return p.Exited() == nil
		}
	}
	return false
}

func (n *Node) stopProcess(name string) {
	for _, p := range n.processes {
		if p.Name == name {
			p.Stop(15 * time.Second)
		}
	}
}

// unmountUnder lazily unmounts every mount below dir, deepest first: the
// containers' root filesystems, network namespaces, volumes.
func unmountUnder(dir string) {
	data, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return
	}
	var mounts []string
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 1 && strings.HasPrefix(fields[1], dir+"/") {
			mounts = append(mounts, fields[1])
		}
	}
	for i := len(mounts) - 1; i >= 0; i-- {
		_ = syscall.Unmount(mounts[i], syscall.MNT_DETACH)
	}
}
