// Package devcluster runs a whole Kubernetes cluster on one machine without
// containers: the real etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler as processes on 127.0.0.1, one node whose pods are local
// processes (see internal/devcluster/localnode), a ClusterIP forwarder and a
// folder-backed volume provisioner. It backs `make demo` and the end-to-end
// tests.
package devcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"

	"github.com/streamgate-io/streamgate/internal/devcluster/localnode"
	"github.com/streamgate-io/streamgate/internal/devcluster/proc"
	"github.com/streamgate-io/streamgate/internal/devcluster/realnode"
)

// Options configure a local cluster.
type Options struct {
	// Dir receives certificates, kubeconfigs, logs, pod folders and volumes.
	Dir string
	// BinDir holds etcd, kube-apiserver, kube-controller-manager and
	// kube-scheduler (hack/build-k8s-binaries.sh).
	BinDir string
	// ServiceCIDR is a loopback range, so the forwarder can listen on every
	// ClusterIP without privileges. Default 127.0.1.0/24.
	ServiceCIDR string
	// Node configures the process-backed node.
	Node localnode.Options
	// Real, when set, runs a real node instead: the kubelet and kube-proxy
	// with containerd (see realnode), CoreDNS, and Services by kube-proxy.
	Real *RealNode
	Log  logr.Logger
}

// RealNode configures a real node.
type RealNode struct {
	// Images are OCI archives to import into containerd: the pause and
	// CoreDNS images (hack/node-images.sh) and the workloads'.
	Images []string
}

// Cluster is a running local cluster.
type Cluster struct {
	Dir string
	// Kubeconfig is the admin kubeconfig (system:masters).
	Kubeconfig string
	Config     *rest.Config
	Client     kubernetes.Interface
	Node       *localnode.Node
	// RealNode is the real node, when Options.Real asked for one.
	RealNode *realnode.Node

	log       logr.Logger
	cancel    context.CancelFunc
	processes []*proc.Process
	done      sync.WaitGroup
}

// Start brings the cluster up and returns once the node is Ready and
// schedulable. On error everything started so far is stopped.
func Start(ctx context.Context, opts Options) (cluster *Cluster, err error) {
	if opts.ServiceCIDR == "" {
		opts.ServiceCIDR = "127.0.1.0/24"
		if opts.Real != nil {
			opts.ServiceCIDR = "10.96.0.0/16"
		}
	}
	serviceIP, _, err := net.ParseCIDR(opts.ServiceCIDR)
	if err != nil {
		return nil, fmt.Errorf("service CIDR %q: %w", opts.ServiceCIDR, err)
	}
	firstServiceIP := serviceIP.To4()
	firstServiceIP = net.IPv4(firstServiceIP[0], firstServiceIP[1], firstServiceIP[2], firstServiceIP[3]+1)
	for _, bin := range []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"} {
		if _, err := os.Stat(filepath.Join(opts.BinDir, bin)); err != nil {
			return nil, fmt.Errorf("%s not found in %s: run `make dev-binaries`: %w", bin, opts.BinDir, err)
		}
	}
	if opts.Real != nil {
		if err := realnode.Check(opts.BinDir); err != nil {
			return nil, err
		}
	}
	// client-go and virtual-kubelet log through klog; this process's logs
	// go where the caller says.
	klog.SetLogger(opts.Log.WithName("klog"))
	pki := filepath.Join(opts.Dir, "pki")
	for _, dir := range []string{pki, filepath.Join(opts.Dir, "logs"), filepath.Join(opts.Dir, "etcd")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &Cluster{Dir: opts.Dir, Kubeconfig: filepath.Join(opts.Dir, "admin.kubeconfig"), log: opts.Log, cancel: cancel}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()

	ports, err := proc.FreePorts(6)
	if err != nil {
		return nil, err
	}
	etcdClient, etcdPeer, apiPort, kcmPort, schedPort, kubeletPort := ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]
	// The API server listens on 127.0.0.1, or, with a real node, on the
	// node's bridge address, where pods reach it through the kubernetes
	// Service.
	apiIP := net.ParseIP("127.0.0.1")
	if opts.Real != nil {
		c.RealNode, err = realnode.Setup(realnode.Options{Dir: filepath.Join(opts.Dir, "node"), BinDir: opts.BinDir,
			Name: localnode.DefaultName, Images: opts.Real.Images, Log: opts.Log.WithName("node")})
		if err != nil {
			return nil, fmt.Errorf("real node: %w", err)
		}
		apiIP = c.RealNode.NodeIP
	}
	server := "https://" + net.JoinHostPort(apiIP.String(), strconv.Itoa(apiPort))

	if err := writePKI(pki, firstServiceIP, apiIP); err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	p := func(name string) string { return filepath.Join(pki, name) }
	for _, kc := range []struct{ file, cert string }{
		{"admin.kubeconfig", "admin"}, {"kcm.kubeconfig", "kcm"}, {"scheduler.kubeconfig", "scheduler"}, {"node.kubeconfig", "node"},
	} {
		if err := kubeconfig(filepath.Join(opts.Dir, kc.file), server, p("ca.crt"), p(kc.cert+".crt"), p(kc.cert+".key")); err != nil {
			return nil, err
		}
	}

	etcdURL := "http://127.0.0.1:" + strconv.Itoa(etcdClient)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(etcdPeer)
	if err := c.run("etcd", filepath.Join(opts.BinDir, "etcd"), "--data-dir", filepath.Join(opts.Dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL, "--initial-cluster", "default="+peerURL,
		"--unsafe-no-fsync", "--log-level", "warn"); err != nil {
		return nil, err
	}
	apiArgs := []string{"--etcd-servers", etcdURL, "--bind-address", apiIP.String(), "--advertise-address", apiIP.String(),
		"--secure-port", strconv.Itoa(apiPort)}
	if opts.Real == nil {
		// The endpoint reconciler refuses loopback advertise addresses; pods
		// of the process node reach the API server through
		// KUBERNETES_SERVICE_HOST instead.
		apiArgs = append(apiArgs, "--endpoint-reconciler-type", "none")
	}
	if err := c.run("kube-apiserver", filepath.Join(opts.BinDir, "kube-apiserver"), append(apiArgs,
		"--tls-cert-file", p("apiserver.crt"), "--tls-private-key-file", p("apiserver.key"),
		"--client-ca-file", p("ca.crt"), "--service-cluster-ip-range", opts.ServiceCIDR,
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", p("sa.pub"), "--service-account-signing-key-file", p("sa.key"),
		// OwnerReferencesPermissionEnforcement as on OpenShift: owning a
		// child with blockOwnerDeletion needs update on the owner's finalizers.
		"--authorization-mode", "Node,RBAC", "--enable-admission-plugins", "NodeRestriction,OwnerReferencesPermissionEnforcement",
		"--kubelet-client-certificate", p("apiserver-kubelet-client.crt"), "--kubelet-client-key", p("apiserver-kubelet-client.key"),
		"--kubelet-certificate-authority", p("ca.crt"), "--kubelet-preferred-address-types", "InternalIP",
		"--requestheader-client-ca-file", p("front-proxy-ca.crt"), "--requestheader-allowed-names", "front-proxy-client",
		"--requestheader-username-headers", "X-Remote-User", "--requestheader-group-headers", "X-Remote-Group",
		"--requestheader-extra-headers-prefix", "X-Remote-Extra-",
		"--proxy-client-cert-file", p("front-proxy-client.crt"), "--proxy-client-key-file", p("front-proxy-client.key"),
	)...); err != nil {
		return nil, err
	}

	c.Config, err = clientcmd.BuildConfigFromFlags("", c.Kubeconfig)
	if err != nil {
		return nil, err
	}
	c.Config.QPS, c.Config.Burst = 100, 200
	if c.Client, err = kubernetes.NewForConfig(c.Config); err != nil {
		return nil, err
	}
	if err := c.waitFor(ctx, "the API server", 60*time.Second, func(ctx context.Context) (bool, error) {
		body, err := c.Client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil && string(body) == "ok", nil
	}); err != nil {
		return nil, err
	}

	// A component's identity, serving address and single-instance mode.
	component := func(kubeconfig string, port int) []string {
		path := filepath.Join(opts.Dir, kubeconfig)
		return []string{"--kubeconfig", path, "--authentication-kubeconfig", path, "--authorization-kubeconfig", path,
			"--bind-address", "127.0.0.1", "--secure-port", strconv.Itoa(port), "--leader-elect=false"}
	}
	controllers := "*"
	if opts.Real == nil {
		// Endpoints refuse loopback pod IPs; the forwarder reads pods instead.
		controllers = "*,-endpoint,-endpointslice,-endpointslicemirroring"
	}
	if err := c.run("kube-controller-manager", filepath.Join(opts.BinDir, "kube-controller-manager"), append(component("kcm.kubeconfig", kcmPort),
		"--controllers", controllers, "--use-service-account-credentials",
		"--service-account-private-key-file", p("sa.key"), "--root-ca-file", p("ca.crt"),
		"--cluster-signing-cert-file", p("ca.crt"), "--cluster-signing-key-file", p("ca.key"),
		"--service-cluster-ip-range", opts.ServiceCIDR,
		// The defaults (20/30) take seconds to start every controller.
		"--kube-api-qps", "100", "--kube-api-burst", "200",
	)...); err != nil {
		return nil, err
	}
	if err := c.run("kube-scheduler", filepath.Join(opts.BinDir, "kube-scheduler"), component("scheduler.kubeconfig", schedPort)...); err != nil {
		return nil, err
	}
	if err := c.waitFor(ctx, "the controller manager (default ServiceAccount)", 60*time.Second, func(ctx context.Context) (bool, error) {
		_, err := c.Client.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	}); err != nil {
		return nil, err
	}

	nodeName := localnode.DefaultName
	if c.RealNode != nil {
		c.RealNode.Configure(server, p("ca.crt"), p("kubelet.crt"), p("kubelet.key"), p("node.crt"), p("node.key"), p("kube-proxy.crt"), p("kube-proxy.key"))
		if err := c.RealNode.Start(ctx); err != nil {
			return nil, fmt.Errorf("real node: %w", err)
		}
	} else {
		nodeConfig, err := clientcmd.BuildConfigFromFlags("", filepath.Join(opts.Dir, "node.kubeconfig"))
		if err != nil {
			return nil, err
		}
		nodeOpts := opts.Node
		nodeOpts.Dir = filepath.Join(opts.Dir, "pods")
		nodeOpts.KubeletAddress = "127.0.0.1:" + strconv.Itoa(kubeletPort)
		nodeOpts.ServingCert, nodeOpts.ServingKey, nodeOpts.ClientCA = p("kubelet.crt"), p("kubelet.key"), p("ca.crt")
		nodeOpts.APIServer, nodeOpts.APIServerCA = server, p("ca.crt")
		nodeOpts.Log = opts.Log.WithName("node")
		if c.Node, err = localnode.Start(runCtx, nodeConfig, nodeOpts); err != nil {
			return nil, fmt.Errorf("node: %w", err)
		}
		c.done.Add(1)
		go func() { defer c.done.Done(); forwardServices(runCtx, c.Client, opts.Log.WithName("services")) }()
	}
	if err := ensureStorageClass(ctx, c.Client); err != nil {
		return nil, err
	}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		provisionVolumes(runCtx, c.Client, filepath.Join(opts.Dir, "volumes"), opts.Log.WithName("volumes"))
	}()

	if err := c.waitFor(ctx, "node "+nodeName+" Ready and schedulable", 2*time.Minute, func(ctx context.Context) (bool, error) {
		if c.RealNode != nil {
			if msg := c.RealNode.Exited(); msg != "" {
				return false, errors.New(msg)
			}
		}
		node, err := c.Client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, taint := range node.Spec.Taints {
			if taint.Effect == corev1.TaintEffectNoSchedule {
				return false, nil
			}
		}
		for _, cond := range node.Status.Conditions {
			if cond.Type == corev1.NodeReady {
				return cond.Status == corev1.ConditionTrue, nil
			}
		}
		return false, nil
	}); err != nil {
		return nil, err
	}
	if c.RealNode != nil {
		if err := c.RealNode.DeployDNS(ctx, c.Client); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func writePKI(dir string, firstServiceIP, apiIP net.IP) error {
	ca, err := newAuthority(dir, "ca", "streamgate-dev-ca")
	if err != nil {
		return err
	}
	front, err := newAuthority(dir, "front-proxy-ca", "streamgate-dev-front-proxy-ca")
	if err != nil {
		return err
	}
	loopback := []net.IP{net.ParseIP("127.0.0.1")}
	nodeIPs := loopback
	if !apiIP.IsLoopback() {
		nodeIPs = append(nodeIPs, apiIP)
	}
	for _, r := range []certRequest{
		{name: "apiserver", commonName: "kube-apiserver", server: true, ips: append(nodeIPs, firstServiceIP),
			dnsNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}},
		{name: "apiserver-kubelet-client", commonName: "kube-apiserver-kubelet-client", organizations: []string{"system:masters"}},
		{name: "admin", commonName: "streamgate-dev-admin", organizations: []string{"system:masters"}},
		{name: "kcm", commonName: "system:kube-controller-manager"},
		{name: "scheduler", commonName: "system:kube-scheduler"},
		{name: "node", commonName: "system:node:" + localnode.DefaultName, organizations: []string{"system:nodes"}},
		{name: "kubelet", commonName: "system:node:" + localnode.DefaultName, server: true, ips: nodeIPs},
		{name: "kube-proxy", commonName: "system:kube-proxy"},
	} {
		if err := ca.issue(r); err != nil {
			return err
		}
	}
	if err := front.issue(certRequest{name: "front-proxy-client", commonName: "front-proxy-client"}); err != nil {
		return err
	}
	return writeServiceAccountKeys(dir)
}

// run starts a control-plane process with its output in logs/<name>.log.
func (c *Cluster) run(name, bin string, args ...string) error {
	p, err := proc.Start(name, filepath.Join(c.Dir, "logs", name+".log"), bin, args...)
	if err != nil {
		return err
	}
	c.processes = append(c.processes, p)
	c.log.V(1).Info("started", "component", name, "pid", p.Pid())
	return nil
}

// waitFor polls until ready or a control-plane process exits.
func (c *Cluster) waitFor(ctx context.Context, what string, timeout time.Duration, ready wait.ConditionWithContextFunc) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		for _, p := range c.processes {
			if err := p.Exited(); err != nil {
				return false, err
			}
		}
		return ready(ctx)
	})
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// Stop stops the node (and every pod process), then the control plane in
// reverse order. It is safe to call more than once.
func (c *Cluster) Stop() {
	c.cancel()
	if c.Node != nil {
		c.Node.Wait()
	}
	if c.RealNode != nil {
		c.RealNode.Stop()
	}
	c.done.Wait()
	for i := len(c.processes) - 1; i >= 0; i-- {
		c.processes[i].Stop(10 * time.Second)
	}
	c.processes = nil
}

// StorageClassName is the default StorageClass: claims get a folder under
// <Dir>/volumes.
const StorageClassName = "local-folder"

const provisionerName = "streamgate.io/local-folder"

func ensureStorageClass(ctx context.Context, client kubernetes.Interface) error {
	sc := storageClass()
	_, err := client.StorageV1().StorageClasses().Create(ctx, sc, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create StorageClass %s: %w", sc.Name, err)
	}
	return nil
}

// Memory says what the cluster holds resident: the control plane's
// processes (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler) and, on a real node, the node's parts.
func (c *Cluster) Memory() (string, error) {
	controlPlane, err := proc.RSS(c.processes)
	if err != nil {
		return "", err
	}
	summary := fmt.Sprintf("control plane %d MiB RSS", controlPlane>>20)
	if c.RealNode != nil {
		node, err := c.RealNode.Memory()
		if err != nil {
			return "", err
		}
		summary += fmt.Sprintf("; node %s", node)
	}
	return summary, nil
}
