// Package localnode is a virtual-kubelet node whose containers are local
// processes: a container of an accepted image runs the project's own binary
// with the container's args, its volumes mapped to folders, its env and
// downward API filled in, its probes run, and its exit reported like a
// kubelet would. Pods share the host's network; each gets its own 127.0.x.y
// address, and listen addresses that bind every interface are pinned to it.
package localnode

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"github.com/virtual-kubelet/virtual-kubelet/log"
	"github.com/virtual-kubelet/virtual-kubelet/node"
	"github.com/virtual-kubelet/virtual-kubelet/node/api"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/ptr"
)

// DefaultName is the node's name; its client certificate is issued for it.
const DefaultName = "local"

// Options configure the node.
type Options struct {
	Name string
	// Dir holds a folder per pod.
	Dir string
	// Images are the image repositories (without tag or digest) the node
	// runs; a container of any other image is refused.
	Images []string
	// Binary runs in place of an accepted image's command.
	Binary string
	// KubeletAddress serves the kubelet API (logs) with ServingCert/Key to
	// clients with a certificate from ClientCA (the API server).
	KubeletAddress                    string
	ServingCert, ServingKey, ClientCA string
	// APIServer and APIServerCA are what pods' in-cluster clients use.
	APIServer, APIServerCA string
	Log                    logr.Logger
}

// Node is a running node.
type Node struct {
	Name string
	done chan struct{}
}

// Start registers the node and runs pods bound to it until ctx ends; then
// every pod process is killed.
func Start(ctx context.Context, config *rest.Config, opts Options) (*Node, error) {
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	config = rest.CopyConfig(config)
	config.QPS, config.Burst = 50, 100
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return nil, err
	}
	log.L = logrAdapter{opts.Log}
	p := newProvider(ctx, client, opts)

	// The Node authorizer lets a node list and watch only its own pods.
	pods := informers.NewSharedInformerFactoryWithOptions(client, time.Minute,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = fields.OneTermEqualSelector("spec.nodeName", opts.Name).String()
		}))
	// Required by the pod controller but never started: the provider
	// resolves env and volumes with GETs, which the Node authorizer allows
	// for objects its pods reference (cluster-wide informers it does not).
	unused := informers.NewSharedInformerFactory(client, time.Minute)
	broadcaster := record.NewBroadcaster()
	broadcaster.StartRecordingToSink(&corev1client.EventSinkImpl{Interface: client.CoreV1().Events("")})
	p.recorder = broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "streamgate-local-node", Host: opts.Name})

	podController, err := node.NewPodController(node.PodControllerConfig{
		PodClient:                 client.CoreV1(),
		PodInformer:               pods.Core().V1().Pods(),
		EventRecorder:             p.recorder,
		Provider:                  p,
		ConfigMapInformer:         unused.Core().V1().ConfigMaps(),
		SecretInformer:            unused.Core().V1().Secrets(),
		ServiceInformer:           unused.Core().V1().Services(),
		SkipDownwardAPIResolution: true,
	})
	if err != nil {
		return nil, err
	}
	server, port, err := serveKubeletAPI(opts, p)
	if err != nil {
		return nil, err
	}
	nodeController, err := node.NewNodeController(node.NaiveNodeProvider{}, nodeObject(opts.Name, port), client.CoreV1().Nodes(),
		node.WithNodeEnableLeaseV1(client.CoordinationV1().Leases(corev1.NamespaceNodeLease), node.DefaultLeaseDuration))
	if err != nil {
		return nil, err
	}
	// Like the kubelet: a pod marked for deletion whose containers have all
	// stopped is removed at once, not after its grace period.
	_, err = pods.Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, obj any) {
			pod := obj.(*corev1.Pod)
			if pod.DeletionTimestamp == nil || (pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed) {
				return
			}
			opts := metav1.DeleteOptions{GracePeriodSeconds: ptr.To(int64(0)), Preconditions: metav1.NewUIDPreconditions(string(pod.UID))}
			if err := client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, opts); err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
				p.log.Error(err, "remove a terminated pod", "pod", pod.Namespace+"/"+pod.Name)
			}
		},
	})
	if err != nil {
		return nil, err
	}

	n := &Node{Name: opts.Name, done: make(chan struct{})}
	pods.Start(ctx.Done())
	go func() { _ = podController.Run(ctx, 4) }()
	go func() { _ = nodeController.Run(ctx) }()
	go func() {
		defer close(n.done)
		<-ctx.Done()
		p.killAll()
		_ = server.Close()
		broadcaster.Shutdown()
		pods.Shutdown()
	}()
	for _, ready := range []<-chan struct{}{podController.Ready(), nodeController.Ready()} {
		select {
		case <-ready:
		case <-podController.Done():
			return nil, fmt.Errorf("pod controller: %w", podController.Err())
		case <-nodeController.Done():
			return nil, fmt.Errorf("node controller: %w", nodeController.Err())
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return n, nil
}

// Wait returns once the node has stopped and its pod processes are gone.
func (n *Node) Wait() { <-n.done }

func nodeObject(name string, port int32) *corev1.Node {
	// Generous on purpose: the processes share the machine as any do, and
	// requests sized for real clusters (a transcode asks for whole cores)
	// must still schedule on a laptop.
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    *resource.NewQuantity(int64(16*runtime.NumCPU()), resource.DecimalSI),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	now := metav1.Now()
	condition := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			// NodeRestriction refuses other kubernetes.io/ labels from a node.
			"type": "virtual-kubelet", "kubernetes.io/hostname": name,
			"kubernetes.io/os": "linux", "kubernetes.io/arch": runtime.GOARCH,
		}},
		Status: corev1.NodeStatus{
			Phase:       corev1.NodeRunning,
			Capacity:    capacity,
			Allocatable: capacity,
			Conditions: []corev1.NodeCondition{
				condition(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady"),
				condition(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory"),
				condition(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure"),
				condition(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID"),
				condition(corev1.NodeNetworkUnavailable, corev1.ConditionFalse, "RouteCreated"),
			},
			// Only an InternalIP: the API server dials it for `kubectl logs`.
			Addresses:       []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: port}},
			NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v1.37.2-streamgate-local", OperatingSystem: "linux",
				Architecture: runtime.GOARCH, ContainerRuntimeVersion: "process://local",
				OSImage: "StreamGate local node (pods are processes)", KernelVersion: kernelVersion()},
		},
	}
}

func kernelVersion() string {
	data, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

func serveKubeletAPI(opts Options, p *provider) (*http.Server, int32, error) {
	cert, err := tls.LoadX509KeyPair(opts.ServingCert, opts.ServingKey)
	if err != nil {
		return nil, 0, fmt.Errorf("kubelet serving certificate: %w", err)
	}
	caPEM, err := os.ReadFile(opts.ClientCA)
	if err != nil {
		return nil, 0, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	listener, err := net.Listen("tcp", opts.KubeletAddress)
	if err != nil {
		return nil, 0, fmt.Errorf("kubelet API: %w", err)
	}
	handler := api.PodHandler(api.PodHandlerConfig{GetContainerLogs: p.logs, GetPodsFromKubernetes: p.GetPods}, false)
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, TLSConfig: &tls.Config{
		Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}}
	go func() { _ = server.ServeTLS(listener, "", "") }()
	return server, int32(listener.Addr().(*net.TCPAddr).Port), nil
}

// logrAdapter sends virtual-kubelet's logs to logr.
type logrAdapter struct{ l logr.Logger }

var _ log.Logger = logrAdapter{}

func (a logrAdapter) Debug(args ...any)                 { a.l.V(2).Info(fmt.Sprint(args...)) }
func (a logrAdapter) Debugf(format string, args ...any) { a.l.V(2).Info(fmt.Sprintf(format, args...)) }
func (a logrAdapter) Info(args ...any)                  { a.l.V(1).Info(fmt.Sprint(args...)) }
func (a logrAdapter) Infof(format string, args ...any)  { a.l.V(1).Info(fmt.Sprintf(format, args...)) }
func (a logrAdapter) Warn(args ...any)                  { a.l.Info(fmt.Sprint(args...)) }
func (a logrAdapter) Warnf(format string, args ...any)  { a.l.Info(fmt.Sprintf(format, args...)) }
func (a logrAdapter) Error(args ...any)                 { a.l.Error(nil, fmt.Sprint(args...)) }
func (a logrAdapter) Errorf(format string, args ...any) { a.l.Error(nil, fmt.Sprintf(format, args...)) }
func (a logrAdapter) Fatal(args ...any)                 { a.l.Error(nil, fmt.Sprint(args...)); os.Exit(1) }
func (a logrAdapter) Fatalf(format string, args ...any) {
	a.l.Error(nil, fmt.Sprintf(format, args...))
	os.Exit(1)
}
func (a logrAdapter) WithField(key string, value any) log.Logger {
	return logrAdapter{a.l.WithValues(key, value)}
}
func (a logrAdapter) WithFields(fields log.Fields) log.Logger {
	kv := make([]any, 0, 2*len(fields))
	for k, v := range fields {
		kv = append(kv, k, v)
	}
	return logrAdapter{a.l.WithValues(kv...)}
}
func (a logrAdapter) WithError(err error) log.Logger {
	return logrAdapter{a.l.WithValues("error", err)}
}
