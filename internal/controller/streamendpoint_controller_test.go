package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
)

// readyVideo makes a Video and plays the Job controller until it is Ready.
func readyVideo(t *testing.T, ns, name string, labels map[string]string, gateName string) *streamgatev1alpha1.Video {
	t.Helper()
	v := newVideo(ns, name)
	v.Labels = labels
	if gateName != "" {
		v.Spec.GateRef = &streamgatev1alpha1.LocalObjectReference{Name: gateName}
	}
	if err := k8s.Create(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	_, job := waitForJob(t, v)
	completeJob(t, job, startJobPod(t, job), successSummary)
	eventually(t, "Video "+name+" Ready", func() error {
		if p := getVideo(t, v).Status.Phase; p != streamgatev1alpha1.VideoPhaseReady {
			return fmt.Errorf("phase %s", p)
		}
		return nil
	})
	return v
}

func readCatalog(se *streamgatev1alpha1.StreamEndpoint) (*catalog.Catalog, error) {
	var cm corev1.ConfigMap
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: se.Namespace, Name: se.Name + "-catalog"}, &cm); err != nil {
		return nil, err
	}
	return catalog.Parse([]byte(cm.Data[catalog.FileName]))
}

// markRolledOut plays the Deployment controller: every pod is up to date
// and available.
func markRolledOut(t *testing.T, namespace, name string) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	eventually(t, "Deployment "+name, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: name}, &d); err != nil {
			return err
		}
		n := ptr.Deref(d.Spec.Replicas, 1)
		d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n}
		return k8s.Status().Update(context.Background(), &d)
	})
	if endpoint := d.Labels[labelEndpoint]; endpoint != "" {
		setServiceEndpoints(t, namespace, endpoint, int(ptr.Deref(d.Spec.Replicas, 1)))
	}
	return &d
}

// setServiceEndpoints plays the EndpointSlice controller: the endpoint's
// Service routes to ready addresses, with the Service's labels.
func setServiceEndpoints(t *testing.T, namespace, endpoint string, ready int) {
	t.Helper()
	slice := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: endpoint + "-slice"}}
	_, err := controllerutil.CreateOrUpdate(context.Background(), k8s, slice, func() error {
		slice.Labels = map[string]string{discoveryv1.LabelServiceName: endpoint, labelManagedBy: managedByValue, labelEndpoint: endpoint}
		slice.AddressType = discoveryv1.AddressTypeIPv4
		slice.Endpoints = nil
		for i := range ready {
			slice.Endpoints = append(slice.Endpoints, discoveryv1.Endpoint{Addresses: []string{fmt.Sprintf("10.0.0.%d", i+1)},
				Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func getEndpoint(t *testing.T, se *streamgatev1alpha1.StreamEndpoint) *streamgatev1alpha1.StreamEndpoint {
	t.Helper()
	var got streamgatev1alpha1.StreamEndpoint
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(se), &got); err != nil {
		t.Fatal(err)
	}
	return &got
}

func TestStreamEndpointChildrenAndCatalog(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	selected := map[string]string{"streamgate.io/endpoint": "main"}
	se := &streamgatev1alpha1.StreamEndpoint{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{
			VideoSelector:  metav1.LabelSelector{MatchLabels: selected},
			Replicas:       ptr.To[int32](2),
			TokenTTL:       &metav1.Duration{Duration: 15 * time.Minute},
			AllowedOrigins: []string{"https://watch.example.com"},
			Service:        streamgatev1alpha1.EndpointService{Type: "ClusterIP", Port: 80},
			Autoscaling:    &streamgatev1alpha1.EndpointAutoscaling{MinReplicas: 2, MaxReplicas: 6, TargetCPUUtilizationPercentage: 60},
		},
	}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}

	var d appsv1.Deployment
	eventually(t, "Deployment", func() error { return k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main-serve"}, &d) })
	if !metav1.IsControlledBy(&d, se) || *d.Spec.Replicas != 2 {
		t.Errorf("Deployment owner/replicas: %v %d", d.OwnerReferences, *d.Spec.Replicas)
	}
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	if c.Image != testTranscodeConfig.Image || c.Args[0] != "serve" || !*c.SecurityContext.ReadOnlyRootFilesystem ||
		!*pod.SecurityContext.RunAsNonRoot || *pod.AutomountServiceAccountToken || c.ReadinessProbe == nil || c.LivenessProbe == nil {
		t.Errorf("serve pod: %+v", c)
	}
	// One reconcile makes the children one after the other: the Deployment
	// may be seen before the rest.
	var svc corev1.Service
	var hpa autoscalingv2.HorizontalPodAutoscaler
	var pdb policyv1.PodDisruptionBudget
	var keys corev1.Secret
	eventually(t, "Service, HPA, PDB and keys", func() error {
		for name, obj := range map[string]client.Object{"main": &svc, "main-keys": &keys} {
			if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, obj); err != nil {
				return err
			}
		}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main"}, &hpa); err != nil {
			return err
		}
		return k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main"}, &pdb)
	})
	if svc.Spec.Ports[0].Port != 80 || svc.Spec.Ports[0].TargetPort.StrVal != "http" {
		t.Errorf("Service: %+v", svc.Spec.Ports)
	}
	if *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 6 ||
		*hpa.Spec.Metrics[0].Resource.Target.AverageUtilization != 60 || hpa.Spec.ScaleTargetRef.Name != "main-serve" {
		t.Errorf("HPA: %+v", hpa.Spec)
	}
	if pdb.Spec.MaxUnavailable.IntVal != 1 {
		t.Errorf("PDB: %+v", pdb.Spec)
	}
	if len(keys.Data["signing-key"]) != 64 {
		t.Fatalf("signing key Secret: %d bytes", len(keys.Data["signing-key"]))
	}
	if d.Spec.Strategy.RollingUpdate == nil || d.Spec.Strategy.RollingUpdate.MaxUnavailable.IntValue() != 0 || d.Spec.Strategy.RollingUpdate.MaxSurge.IntValue() != 1 {
		t.Errorf("Deployment strategy %+v, want a rollout that adds a pod before it takes one away", d.Spec.Strategy)
	}
	for _, obj := range []client.Object{&svc, &hpa, &pdb, &keys} {
		if !metav1.IsControlledBy(obj, se) {
			t.Errorf("%T %s has no owner reference to the endpoint: garbage collection would not clean it up", obj, obj.GetName())
		}
	}
	eventually(t, "NoVideosSelected", func() error {
		ready := meta.FindStatusCondition(getEndpoint(t, se).Status.Conditions, "Ready")
		if ready == nil || ready.Reason != reasonDeploymentUnavailable {
			return fmt.Errorf("Ready %+v", ready)
		}
		return nil
	})

	markRolledOut(t, ns, "main-serve")
	eventually(t, "Available but no videos", func() error {
		got := getEndpoint(t, se)
		ready := meta.FindStatusCondition(got.Status.Conditions, "Ready")
		if !meta.IsStatusConditionTrue(got.Status.Conditions, "Available") || ready == nil || ready.Reason != reasonNoVideosSelected ||
			got.Status.ReadyReplicas != 2 || got.Status.URL != "http://main."+ns+".svc:80" {
			return fmt.Errorf("status %+v", got.Status)
		}
		return nil
	})

	// A Video that becomes Ready joins the catalog, without a rollout.
	template := d.Spec.Template.DeepCopy()
	readyVideo(t, ns, "intro", selected, "")
	readyVideo(t, ns, "elsewhere", map[string]string{"streamgate.io/endpoint": "other"}, "")
	eventually(t, "catalog lists the selected Ready video", func() error {
		cat, err := readCatalog(se)
		if err != nil {
			return err
		}
		if len(cat.Videos) != 1 || cat.Videos[0].Name != "intro" || cat.Videos[0].Root != "tenant/intro" ||
			cat.Videos[0].Playlist != "tenant/intro/"+cat.Videos[0].Revision+"/master.m3u8" ||
			cat.Videos[0].Claim != "media" || cat.TokenTTL.Duration != 15*time.Minute || cat.AllowedOrigins[0] != "https://watch.example.com" {
			return fmt.Errorf("catalog %+v", cat)
		}
		return nil
	})
	// Mid-rollout every new pod may be up while an old one, without the
	// claim, still takes requests: not Ready yet.
	eventually(t, "Deployment mid-rollout", func() error {
		var mid appsv1.Deployment
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main-serve"}, &mid); err != nil {
			return err
		}
		mid.Status = appsv1.DeploymentStatus{ObservedGeneration: mid.Generation, Replicas: 3, UpdatedReplicas: 2, ReadyReplicas: 3, AvailableReplicas: 3}
		return k8s.Status().Update(ctx, &mid)
	})
	eventually(t, "not Ready while old pods remain", func() error {
		got := getEndpoint(t, se)
		ready := meta.FindStatusCondition(got.Status.Conditions, "Ready")
		if got.Status.Replicas != 3 { // the reconciler has not seen the mid-rollout status yet
			return fmt.Errorf("%d replicas", got.Status.Replicas)
		}
		if got.Status.Videos != 1 || ready == nil || ready.Status == metav1.ConditionTrue || ready.Reason != reasonDeploymentUnavailable {
			t.Fatalf("mid-rollout: Ready %+v, %d videos; want not Ready, DeploymentUnavailable", ready, got.Status.Videos)
		}
		return nil
	})
	markRolledOut(t, ns, "main-serve") // the new claim mount rolled the pods
	eventually(t, "endpoint Ready", func() error {
		got := getEndpoint(t, se)
		if !meta.IsStatusConditionTrue(got.Status.Conditions, "Ready") || got.Status.Videos != 1 {
			return fmt.Errorf("status %+v", got.Status)
		}
		return nil
	})
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(&d), &d); err != nil {
		t.Fatal(err)
	}
	// Only the new claim mount changes the pod template: the catalog itself
	// reaches the pods through the mounted ConfigMap.
	if len(d.Spec.Template.Spec.Volumes) != len(template.Spec.Volumes)+1 {
		t.Errorf("volumes %d -> %d, want one more (the media claim)", len(template.Spec.Volumes), len(d.Spec.Template.Spec.Volumes))
	}
	for k, v := range d.Spec.Template.Annotations {
		t.Errorf("pod template annotation %s=%s would roll the Deployment on every catalog change", k, v)
	}

	// Turning autoscaling off removes the HPA; one replica needs no PDB.
	eventuallyUpdate(t, se, func(s *streamgatev1alpha1.StreamEndpoint) {
		s.Spec.Autoscaling = nil
		s.Spec.Replicas = ptr.To[int32](1)
	})
	eventually(t, "HPA and PDB removed", func() error {
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main"}, &autoscalingv2.HorizontalPodAutoscaler{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("HPA: %v", err)
		}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main"}, &policyv1.PodDisruptionBudget{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("PDB: %v", err)
		}
		return nil
	})

	// Rotation on request keeps the old key for one token TTL.
	old := string(keys.Data["signing-key"])
	eventuallyUpdate(t, se, func(s *streamgatev1alpha1.StreamEndpoint) {
		s.Annotations = map[string]string{AnnotationRotateSigningKey: "2026-11-27"}
	})
	eventually(t, "rotated", func() error {
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(&keys), &keys); err != nil {
			return err
		}
		if string(keys.Data["previous-signing-key"]) != old || string(keys.Data["signing-key"]) == old || len(keys.Data["previous-valid-until"]) == 0 {
			return fmt.Errorf("keys %v", keys.Data)
		}
		return nil
	})

	// Nothing changed: reconciling again writes nothing.
	writes := 0
	raw, err := client.NewWithWatch(env.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	// The suite's manager may not have written what the last changes
	// (replicas, the rotation) lead to yet: settle first, then count.
	settle := &StreamEndpointReconciler{Client: raw, APIReader: raw, Recorder: nopRecorder{}, Config: ServeConfig{Image: testTranscodeConfig.Image}}
	if _, err := settle.Reconcile(ctx, reconcileRequest(se)); err != nil {
		t.Fatal(err)
	}
	counted := countWrites(raw, &writes)
	r := &StreamEndpointReconciler{Client: counted, APIReader: counted, Recorder: nopRecorder{}, Config: ServeConfig{Image: testTranscodeConfig.Image}}
	for range 2 {
		if _, err := r.Reconcile(ctx, reconcileRequest(se)); err != nil {
			t.Fatal(err)
		}
	}
	if writes != 0 {
		t.Errorf("%d writes reconciling an unchanged endpoint", writes)
	}
}

func TestStreamEndpointListsVideosWhoseGateIsNotReady(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	labels := map[string]string{"app": "x"}
	gate := evmGate(ns, "holders", "no-such-secret", 1, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: "0x000000000000000000000000000000000000dEaD"})
	if err := k8s.Create(ctx, gate); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, gate, metav1.ConditionFalse, reasonSecretNotFound)
	readyVideo(t, ns, "members", labels, "holders")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edge"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: labels}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	eventually(t, "catalog names the gate's problem", func() error {
		cat, err := readCatalog(se)
		if err != nil {
			return err
		}
		if len(cat.Videos) != 1 || cat.Videos[0].Gate == nil || cat.Videos[0].Gate.Ready || !strings.Contains(cat.Videos[0].Gate.Reason, "SecretNotFound") {
			return fmt.Errorf("catalog %+v", cat.Videos)
		}
		return nil
	})
	markRolledOut(t, ns, "edge-serve")
	eventually(t, "GateNotReady", func() error {
		ready := meta.FindStatusCondition(getEndpoint(t, se).Status.Conditions, "Ready")
		if ready == nil || ready.Reason != reasonGateNotReady || !strings.Contains(ready.Message, "holders") {
			return fmt.Errorf("Ready %+v", ready)
		}
		return nil
	})
}

func eventuallyUpdate(t *testing.T, se *streamgatev1alpha1.StreamEndpoint, mutate func(*streamgatev1alpha1.StreamEndpoint)) {
	t.Helper()
	eventually(t, "update "+se.Name, func() error {
		got := getEndpoint(t, se)
		mutate(got)
		return k8s.Update(context.Background(), got)
	})
}

// A new catalog reaches the streaming pods' annotations, so that their
// kubelet refreshes the mounted catalog at once rather than within a
// minute; an unchanged catalog writes nothing to the pods.
func TestCatalogChangesNudgeTheStreamingPods(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	labels := map[string]string{"shelf": "a"}
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: labels}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	// A streaming pod, as the Deployment's ReplicaSet would make it (no
	// kube-controller-manager runs here).
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main-serve-x", Labels: endpointLabels(se)},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "serve", Image: "streamgate"}}}}
	if err := k8s.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	other := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "unrelated", Labels: map[string]string{"app": "x"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "x", Image: "x"}}}}
	if err := k8s.Create(ctx, other); err != nil {
		t.Fatal(err)
	}
	revision := func(name string) string {
		var p corev1.Pod
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &p); err != nil {
			t.Fatal(err)
		}
		return p.Annotations[annotationCatalog]
	}
	readyVideo(t, ns, "v1", labels, "")
	var first string
	eventually(t, "the pod nudged to the catalog with v1", func() error {
		cat, err := readCatalog(se)
		if err != nil || len(cat.Videos) != 1 {
			return fmt.Errorf("catalog %v %v", cat, err)
		}
		if first = revision("main-serve-x"); first == "" {
			return fmt.Errorf("no revision on the pod")
		}
		return nil
	})
	readyVideo(t, ns, "v2", labels, "")
	eventually(t, "the pod nudged to the catalog with v2", func() error {
		if r := revision("main-serve-x"); r == "" || r == first {
			return fmt.Errorf("revision %q", r)
		}
		return nil
	})
	if r := revision("unrelated"); r != "" {
		t.Errorf("a pod of no endpoint was annotated: %q", r)
	}
	// A rotated signing key: tokens the new key signs must verify on every
	// replica at once.
	second := revision("main-serve-x")
	before := se.DeepCopy()
	se.Annotations = map[string]string{AnnotationRotateSigningKey: "r1"}
	if err := k8s.Patch(ctx, se, client.MergeFrom(before)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the pod nudged to the rotated key", func() error {
		if r := revision("main-serve-x"); r == second {
			return fmt.Errorf("revision %q", r)
		}
		return nil
	})
}

// endpointOfOneVideo is a StreamEndpoint "main" selecting one Ready Video.
func endpointOfOneVideo(t *testing.T, ns string) *streamgatev1alpha1.StreamEndpoint {
	t.Helper()
	selected := map[string]string{"app": "films"}
	readyVideo(t, ns, "film", selected, "")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: selected}}}
	if err := k8s.Create(context.Background(), se); err != nil {
		t.Fatal(err)
	}
	return se
}

// Pods Ready is not yet viewers served: the Service routes to them a
// moment later, when its EndpointSlices list them. Ready waits for that,
// and goes back to waiting if the Service loses every ready address.
func TestEndpointReadyWaitsForTheServiceToRouteToItsPods(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	se := endpointOfOneVideo(t, ns)
	// The Deployment controller's part only: every pod ready.
	eventually(t, "the Deployment rolled out", func() error {
		var d appsv1.Deployment
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main-serve"}, &d); err != nil {
			return err
		}
		d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}
		return k8s.Status().Update(ctx, &d)
	})
	got := waitEndpointReason(t, se, reasonNoServiceEndpoints)
	if c := meta.FindStatusCondition(got.Status.Conditions, "Ready"); c.Status != metav1.ConditionFalse || c.Message != "Service main has no ready endpoint yet" ||
		!meta.IsStatusConditionTrue(got.Status.Conditions, streamgatev1alpha1.ConditionReconciling) {
		t.Fatalf("conditions %+v", got.Status.Conditions)
	}
	setServiceEndpoints(t, ns, "main", 1)
	waitEndpointReason(t, se, reasonServing)
	setServiceEndpoints(t, ns, "main", 0)
	waitEndpointReason(t, se, reasonNoServiceEndpoints)
}

// A Video just added is refused by a pod that has not loaded the catalog
// naming it yet: the endpoint is Ready only once every pod that answers on
// its metrics port serves the catalog the controller wrote.
func TestEndpointReadyWaitsForItsPodsToServeTheCatalog(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	se := endpointOfOneVideo(t, ns)

	// The streaming pod: a loopback address of its own, whose metrics port
	// answers what a serve process would.
	var served atomic.Value
	served.Store("0123456789abcdef")
	podIP := fmt.Sprintf("127.0.%d.%d", 100+rand.IntN(100), 2+rand.IntN(250))
	listener, err := net.Listen("tcp", net.JoinHostPort(podIP, strconv.Itoa(serveMetricsPort)))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(catalog.StorageHealthPath, func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(catalog.StorageHealth{Stores: []catalog.StoreHealth{}, Catalog: served.Load().(string)})
	})
	metrics := &http.Server{Handler: mux, ReadHeaderTimeout: time.Second}
	go func() { _ = metrics.Serve(listener) }()
	t.Cleanup(func() { _ = metrics.Close() })
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main-serve-x", Labels: endpointLabels(se)},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "serve", Image: "streamgate"}}}}
	if err := k8s.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: podIP, PodIPs: []corev1.PodIP{{IP: podIP}}}
	if err := k8s.Status().Update(ctx, pod); err != nil {
		t.Fatal(err)
	}
	markRolledOut(t, ns, "main-serve")

	got := waitEndpointReason(t, se, reasonCatalogPropagating)
	if c := meta.FindStatusCondition(got.Status.Conditions, "Ready"); c.Status != metav1.ConditionFalse || c.Message != "1 streaming pods still serve an older catalog" {
		t.Fatalf("Ready %+v", c)
	}
	var cm corev1.ConfigMap
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main-catalog"}, &cm); err != nil {
		t.Fatal(err)
	}
	stored := []byte(cm.Data[catalog.FileName])
	if b, ok := cm.BinaryData[catalog.FileName]; ok {
		stored = b
	}
	// The pod loads it: Ready follows with nothing else changing (the
	// controller asks again by itself).
	served.Store(catalog.Revision(stored))
	waitEndpointReason(t, se, reasonServing)
}
