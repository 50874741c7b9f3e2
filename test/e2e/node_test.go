//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/streamgate-io/streamgate/internal/demo"
)

// What the local node does for pods that are not StreamGate's own
// workloads: the kubelet behaviours the operator and the tests rely on.

const nodeTestNamespace = "node-test"

// image is StreamGate's runtime image: any tag on the process node, the
// one `make image` built on a real node.
var image = "ghcr.io/streamgate-io/streamgate:" + map[bool]string{false: "v0.1.0", true: demo.ImageTag}[realNode]

func nodeNamespace(t *testing.T) {
	t.Helper()
	apply(t, "apiVersion: v1\nkind: Namespace\nmetadata: {name: "+nodeTestNamespace+"}\n")
	eventually(t, 30*time.Second, "the namespace's default ServiceAccount", func(ctx context.Context) error {
		return d.Client.Get(ctx, client.ObjectKey{Namespace: nodeTestNamespace, Name: "default"}, &corev1.ServiceAccount{})
	})
}

func getPod(ctx context.Context, name string) (*corev1.Pod, error) {
	pod := &corev1.Pod{}
	return pod, d.Client.Get(ctx, client.ObjectKey{Namespace: nodeTestNamespace, Name: name}, pod)
}

func TestNodeReportsExitCodeTerminationMessageAndLogs(t *testing.T) {
	nodeNamespace(t)
	apply(t, `apiVersion: v1
kind: Pod
metadata: {name: bad-role, namespace: `+nodeTestNamespace+`}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: `+image+`
    command: [/usr/local/bin/streamgate]
    args: [no-such-role]
    terminationMessagePolicy: FallbackToLogsOnError
`)
	var terminated *corev1.ContainerStateTerminated
	eventually(t, 30*time.Second, "the pod Failed", func(ctx context.Context) error {
		pod, err := getPod(ctx, "bad-role")
		if err != nil {
			return err
		}
		if pod.Status.Phase != corev1.PodFailed || len(pod.Status.ContainerStatuses) != 1 {
			return fmt.Errorf("phase %s", pod.Status.Phase)
		}
		terminated = pod.Status.ContainerStatuses[0].State.Terminated
		return nil
	})
	if terminated == nil || terminated.ExitCode != 2 || terminated.Reason != "Error" || !strings.Contains(terminated.Message, "no-such-role") {
		t.Fatalf("terminated %+v, want exit code 2, reason Error and the log's last lines as the message", terminated)
	}
	logs, err := d.KubectlOutput(context.Background(), "-n", nodeTestNamespace, "logs", "bad-role")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs, "no-such-role") {
		t.Errorf("kubectl logs: %q", logs)
	}
}

// serveContainer is `streamgate serve` with no videos, continued by probes
// and mounts.
var serveContainer = `    image: ` + image + `
    command: [/usr/local/bin/streamgate]
    args: [serve, --catalog=/etc/catalog/catalog.json, --secret-dir=/etc/keys, --claims-root=/var/claims, --listen=:8080, --metrics-listen=:9090]
    ports: [{name: http, containerPort: 8080}]
`

func TestNodeProbesProjectsAndRestarts(t *testing.T) {
	nodeNamespace(t)
	ctx := context.Background()
	apply(t, `apiVersion: v1
kind: ConfigMap
metadata: {name: catalog, namespace: `+nodeTestNamespace+`}
data: {catalog.json: '{"videos": []}'}
---
apiVersion: v1
kind: Secret
metadata: {name: keys, namespace: `+nodeTestNamespace+`}
stringData: {signing-key: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f}
---
apiVersion: v1
kind: Pod
metadata: {name: serve, namespace: `+nodeTestNamespace+`, labels: {app: serve}}
spec:
  containers:
  - name: serve
`+serveContainer+`    readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 1}
    livenessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1, failureThreshold: 2}
    volumeMounts:
    - {name: catalog, mountPath: /etc/catalog, readOnly: true}
    - {name: keys, mountPath: /etc/keys, readOnly: true}
    - {name: claims, mountPath: /var/claims}
  volumes:
  - {name: catalog, configMap: {name: catalog}}
  - {name: keys, secret: {secretName: keys}}
  - {name: claims, emptyDir: {}}
`)
	var pod *corev1.Pod
	eventually(t, time.Minute, "the serving pod Ready by its readiness probe", func(ctx context.Context) error {
		var err error
		if pod, err = getPod(ctx, "serve"); err != nil {
			return err
		}
		if !podReady(pod) {
			return fmt.Errorf("not Ready: %+v", pod.Status.Conditions)
		}
		return nil
	})

	// A changed ConfigMap reaches the running pod's volume.
	catalog := filepath.Join(d.Cluster.Dir, "pods", fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, pod.UID), "volumes", "catalog", "catalog.json")
	if realNode {
		catalog = filepath.Join(d.Cluster.Dir, "node", "kubelet", "pods", string(pod.UID), "volumes", "kubernetes.io~configmap", "catalog", "catalog.json")
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: nodeTestNamespace, Name: "catalog"},
		Data: map[string]string{"catalog.json": `{"videos": [], "tokenTTL": "5m"}`}}
	if err := d.Client.Update(ctx, cm); err != nil {
		t.Fatal(err)
	}
	if realNode {
		// A kubelet refreshes a mounted ConfigMap when it next syncs the
		// pod: at its periodic sync (about a minute), or at once when the
		// pod changes. The operator annotates its pods for that; so does
		// this test, rather than race the periodic sync.
		patch := []byte(`{"metadata":{"annotations":{"streamgate.io/catalog-revision":"5m"}}}`)
		if err := d.Client.Patch(ctx, pod, client.RawPatch(types.MergePatchType, patch)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 30*time.Second, "the new catalog in the pod's volume", func(context.Context) error {
		data, err := os.ReadFile(catalog)
		if err != nil || !strings.Contains(string(data), "5m") {
			return fmt.Errorf("%q %v", data, err)
		}
		return nil
	})

	// A failing liveness probe gets the container killed and restarted with
	// back-off, in place.
	if err := d.Client.Delete(ctx, pod); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Minute, "the old pod gone", func(ctx context.Context) error {
		if _, err := getPod(ctx, "serve"); err == nil {
			return fmt.Errorf("still there")
		}
		return nil
	})
	apply(t, `apiVersion: v1
kind: Pod
metadata: {name: serve, namespace: `+nodeTestNamespace+`}
spec:
  containers:
  - name: serve
`+serveContainer+`    livenessProbe: {httpGet: {path: /no-such-page, port: http}, periodSeconds: 1, failureThreshold: 2}
    volumeMounts:
    - {name: catalog, mountPath: /etc/catalog, readOnly: true}
    - {name: keys, mountPath: /etc/keys, readOnly: true}
  volumes:
  - {name: catalog, configMap: {name: catalog}}
  - {name: keys, secret: {secretName: keys}}
`)
	eventually(t, time.Minute, "a restart after failed liveness probes", func(ctx context.Context) error {
		pod, err := getPod(ctx, "serve")
		if err != nil {
			return err
		}
		if len(pod.Status.ContainerStatuses) != 1 || pod.Status.ContainerStatuses[0].RestartCount < 1 {
			return fmt.Errorf("container statuses %+v", pod.Status.ContainerStatuses)
		}
		last := pod.Status.ContainerStatuses[0].LastTerminationState.Terminated
		// The process node kills (137); a kubelet sends SIGTERM first, and
		// serve shuts down gracefully (0).
		if last == nil || (last.ExitCode != 137 && last.ExitCode != 0) {
			t.Errorf("last termination %+v, want a kill (137) or a graceful stop (0)", last)
		}
		return nil
	})
}
