// Package install_test renders config/default the way `make deploy` and
// `make build-installer` do and checks that a real API server accepts every
// object, and that the manager is deployed as a restricted pod.
package install_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/streamgate-io/streamgate/internal/kustomize"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/testenv"
)

var k8s client.Client

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, func(_ *testenv.Env, c client.Client) { k8s = c }))
}

func render(t *testing.T, dir string, images ...string) []*unstructured.Unstructured {
	t.Helper()
	out, err := kustomize.Build(filepath.Join(repo.Root(), dir), images)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := kustomize.Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestDefaultInstallIsAccepted applies the rendered kustomization with a
// server-side dry run, in the order kustomize prints it. The namespace is
// created for real first: namespaced objects cannot be dry-run into a
// namespace that does not exist.
func TestDefaultInstallIsAccepted(t *testing.T) {
	ctx := context.Background()
	objs := render(t, "config/default", "ghcr.io/streamgate-io/streamgate=registry.example.com/streamgate:v9")
	if len(objs) == 0 || objs[0].GetKind() != "Namespace" {
		t.Fatalf("first object is not the Namespace: %v", objs[0].GetKind())
	}
	counts := map[string]int{}
	for i, obj := range objs {
		counts[obj.GetKind()]++
		opts := []client.PatchOption{client.FieldOwner("install-test"), client.ForceOwnership}
		if i > 0 {
			opts = append(opts, client.DryRunAll)
		}
		if err := k8s.Patch(ctx, obj, client.Apply, opts...); err != nil {
			t.Errorf("%s %s/%s refused: %v", obj.GetKind(), obj.GetNamespace(), obj.GetName(), err)
		}
	}
	for kind, want := range map[string]int{"CustomResourceDefinition": 5, "Deployment": 1, "ServiceAccount": 1, "Service": 1, "ClusterRole": 13} {
		if counts[kind] != want {
			t.Errorf("%d %s objects rendered, want %d", counts[kind], kind, want)
		}
	}

	var deployment *appsv1.Deployment
	for _, obj := range objs {
		if obj.GetKind() == "Deployment" {
			deployment = &appsv1.Deployment{}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, deployment); err != nil {
				t.Fatal(err)
			}
		}
	}
	if deployment == nil {
		t.Fatal("no Deployment rendered")
	}
	if deployment.Namespace != "streamgate-system" {
		t.Errorf("manager namespace = %q, want streamgate-system", deployment.Namespace)
	}
	pod := deployment.Spec.Template.Spec
	if pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Error("manager pod does not set runAsNonRoot")
	}
	if pod.SecurityContext == nil || pod.SecurityContext.SeccompProfile == nil || pod.SecurityContext.SeccompProfile.Type != "RuntimeDefault" {
		t.Error("manager pod does not use the RuntimeDefault seccomp profile")
	}
	c := pod.Containers[0]
	if c.Image != "registry.example.com/streamgate:v9" {
		t.Errorf("image = %q, want the overridden image", c.Image)
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("manager container root filesystem is writable")
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("manager container allows privilege escalation")
	}
	if sc == nil || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		t.Error("manager container keeps Linux capabilities")
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
		t.Error("manager container has no resource requests")
	}
	if c.LivenessProbe == nil || c.ReadinessProbe == nil {
		t.Error("manager container has no liveness or readiness probe")
	}
}

// TestSamplesKustomizationRenders keeps config/samples/kustomization.yaml in
// step with the files beside it.
func TestSamplesKustomizationRenders(t *testing.T) {
	objs := render(t, "config/samples")
	files, err := filepath.Glob(filepath.Join(repo.Root(), "config", "samples", "streamgate_*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != len(files) {
		t.Errorf("config/samples renders %d objects from %d sample files", len(objs), len(files))
	}
}

// TestOverlaysRender checks the optional overlays: the Prometheus Operator
// objects render (their CRDs are not in envtest; one PodMonitor for indexers,
// one for the streaming pods' metrics port), and the NetworkPolicy is
// accepted by the API server.
func TestOverlaysRender(t *testing.T) {
	kinds := map[string]int{}
	for _, obj := range render(t, "config/prometheus") {
		kinds[obj.GetKind()]++
		if obj.GetNamespace() != "streamgate-system" {
			t.Errorf("%s %s in namespace %q", obj.GetKind(), obj.GetName(), obj.GetNamespace())
		}
	}
	if kinds["ServiceMonitor"] != 1 || kinds["PodMonitor"] != 2 || kinds["PrometheusRule"] != 1 {
		t.Errorf("config/prometheus renders %v", kinds)
	}
	// The manager's policies in its namespace; the tenant overlay's, which
	// carry no namespace, in a tenant namespace as its README says.
	for overlay, want := range map[string][]string{
		"config/network-policy":        {"streamgate-manager", "streamgate-rpc-egress"},
		"config/network-policy/tenant": {"streamgate-indexer", "streamgate-rpc-egress", "streamgate-serve", "streamgate-storage-egress", "streamgate-transcode"},
	} {
		namespace := "streamgate-system"
		if strings.HasSuffix(overlay, "tenant") {
			namespace = "tenant-policies"
		}
		ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": namespace}}}
		_ = k8s.Patch(context.Background(), ns, client.Apply, client.FieldOwner("install-test"), client.ForceOwnership)
		var names []string
		for _, p := range render(t, overlay) {
			if p.GetKind() != "NetworkPolicy" {
				t.Errorf("%s renders a %s", overlay, p.GetKind())
			}
			names = append(names, p.GetName())
			if p.GetNamespace() == "" {
				p.SetNamespace(namespace)
			}
			if err := k8s.Patch(context.Background(), p, client.Apply, client.FieldOwner("install-test"), client.ForceOwnership, client.DryRunAll); err != nil {
				t.Errorf("%s: NetworkPolicy %s refused: %v", overlay, p.GetName(), err)
			}
		}
		sort.Strings(names)
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("%s renders %v, want %v", overlay, names, want)
		}
	}
}

// TestTenantSampleIsAccepted applies config/samples/tenant.yaml as its
// header says (into a tenant namespace) and expects every object accepted:
// the team's RoleBinding, the quota, the volumes its Videos name, and the
// StreamGate objects.
func TestTenantSampleIsAccepted(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join(repo.Root(), "config", "samples", "tenant.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "tenant-a"}}}
	if err := k8s.Patch(ctx, ns, client.Apply, client.FieldOwner("install-test"), client.ForceOwnership); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	claims := map[string]bool{}
	var named []string
	for _, doc := range strings.Split(string(data), "\n---\n") {
		obj := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(doc), &obj.Object); err != nil {
			t.Fatal(err)
		}
		obj.SetNamespace("tenant-a")
		kinds[obj.GetKind()]++
		if obj.GetKind() == "PersistentVolumeClaim" {
			claims[obj.GetName()] = true
		}
		if obj.GetKind() == "Video" {
			for _, path := range [][]string{{"spec", "source", "volume", "claimName"}, {"spec", "output", "volume", "claimName"}} {
				if c, ok, _ := unstructured.NestedString(obj.Object, path...); ok {
					named = append(named, c)
				}
			}
		}
		if err := k8s.Patch(ctx, obj, client.Apply, client.FieldOwner("install-test"), client.ForceOwnership, client.DryRunAll); err != nil {
			t.Errorf("%s %s refused: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	for _, kind := range []string{"RoleBinding", "ResourceQuota", "PersistentVolumeClaim", "Secret", "ChainIndexer", "NFTGate", "Video", "StreamEndpoint"} {
		if kinds[kind] == 0 {
			t.Errorf("the tenant sample has no %s", kind)
		}
	}
	for _, c := range named {
		if !claims[c] {
			t.Errorf("a Video names the claim %q, which the sample does not make", c)
		}
	}
}
