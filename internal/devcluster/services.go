package devcluster

import (
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
)

// forwardServices does kube-proxy's job for one machine: it listens on every
// ClusterIP:port (a loopback range, see Options.ServiceCIDR) and relays each
// connection to a Ready pod the Service selects. Endpoints come from the pods
// themselves: EndpointSlices refuse the loopback pod IPs of the local node.
func forwardServices(ctx context.Context, client kubernetes.Interface, log logr.Logger) {
	factory := informers.NewSharedInformerFactory(client, 10*time.Minute)
	services := factory.Core().V1().Services()
	f := &forwarder{pods: factory.Core().V1().Pods().Lister(), listeners: map[string]*serviceListener{}, log: log}
	_ = factory.Core().V1().Pods().Informer() // registered, so Start runs it
	resync := func(any) { f.sync(services.Lister()) }
	_, _ = services.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: resync, UpdateFunc: func(_, o any) { resync(o) }, DeleteFunc: resync})
	factory.Start(ctx.Done())
	<-ctx.Done()
	factory.Shutdown()
	f.closeAll()
}

type forwarder struct {
	pods      corelisters.PodLister
	log       logr.Logger
	mu        sync.Mutex
	listeners map[string]*serviceListener // clusterIP:port
}

type serviceListener struct {
	listener   net.Listener
	service    atomic.Pointer[corev1.Service]
	port       atomic.Pointer[corev1.ServicePort]
	roundRobin atomic.Uint64
}

func (f *forwarder) sync(services corelisters.ServiceLister) {
	all, err := services.List(labels.Everything())
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	wanted := map[string]bool{}
	for _, svc := range all {
		if svc.Spec.Type != corev1.ServiceTypeClusterIP && svc.Spec.Type != corev1.ServiceTypeNodePort && svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
			continue
		}
		if svc.Spec.ClusterIP == "" || svc.Spec.ClusterIP == corev1.ClusterIPNone || len(svc.Spec.Selector) == 0 {
			continue
		}
		for i := range svc.Spec.Ports {
			port := svc.Spec.Ports[i]
			if port.Protocol != "" && port.Protocol != corev1.ProtocolTCP {
				continue
			}
			addr := net.JoinHostPort(svc.Spec.ClusterIP, strconv.Itoa(int(port.Port)))
			wanted[addr] = true
			sl, ok := f.listeners[addr]
			if !ok {
				l, err := net.Listen("tcp", addr)
				if err != nil {
					f.log.Error(err, "cannot listen for a Service", "service", svc.Namespace+"/"+svc.Name, "address", addr)
					continue
				}
				sl = &serviceListener{listener: l}
				f.listeners[addr] = sl
				go f.accept(sl)
				f.log.V(1).Info("forwarding", "service", svc.Namespace+"/"+svc.Name, "address", addr)
			}
			sl.service.Store(svc)
			sl.port.Store(&port)
		}
	}
	for addr, sl := range f.listeners {
		if !wanted[addr] {
			_ = sl.listener.Close()
			delete(f.listeners, addr)
		}
	}
}

func (f *forwarder) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for addr, sl := range f.listeners {
		_ = sl.listener.Close()
		delete(f.listeners, addr)
	}
}

func (f *forwarder) accept(sl *serviceListener) {
	for {
		conn, err := sl.listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		go f.relay(sl, conn)
	}
}

func (f *forwarder) relay(sl *serviceListener, conn net.Conn) {
	defer func() { _ = conn.Close() }()
	backends := f.endpoints(sl.service.Load(), sl.port.Load())
	if len(backends) == 0 {
		return // like kube-proxy's REJECT: the client sees the connection close
	}
	start := int(sl.roundRobin.Add(1))
	var upstream net.Conn
	var err error
	for i := range backends {
		upstream, err = net.DialTimeout("tcp", backends[(start+i)%len(backends)], 2*time.Second)
		if err == nil {
			break
		}
	}
	if err != nil {
		return
	}
	defer func() { _ = upstream.Close() }()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tcp, ok := dst.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(upstream, conn)
	go pipe(conn, upstream)
	<-done
	<-done
}

// endpoints are podIP:targetPort of the Ready pods the Service selects.
func (f *forwarder) endpoints(svc *corev1.Service, port *corev1.ServicePort) []string {
	pods, err := f.pods.Pods(svc.Namespace).List(labels.SelectorFromSet(svc.Spec.Selector))
	if err != nil {
		return nil
	}
	var out []string
	for _, pod := range pods {
		if pod.Status.PodIP == "" || pod.DeletionTimestamp != nil || !podReady(pod) {
			continue
		}
		if target, ok := targetPort(pod, port); ok {
			out = append(out, net.JoinHostPort(pod.Status.PodIP, strconv.Itoa(target)))
		}
	}
	slices.Sort(out) // the lister's order is random; round robin needs a stable one
	return out
}

func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func targetPort(pod *corev1.Pod, port *corev1.ServicePort) (int, bool) {
	if port.TargetPort.StrVal == "" {
		if port.TargetPort.IntVal == 0 {
			return int(port.Port), true
		}
		return int(port.TargetPort.IntVal), true
	}
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == port.TargetPort.StrVal {
				return int(p.ContainerPort), true
			}
		}
	}
	return 0, false
}
