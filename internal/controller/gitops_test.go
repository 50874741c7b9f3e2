package controller

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/testhealth"
)

// health is what kstatus, Argo CD (health.lua) and Flux (healthCheckExprs)
// must say of an object at one step of its life.
type health struct{ kstatus, argo, flux string }

var (
	inProgress = health{"InProgress", "Progressing", "InProgress"}
	current    = health{"Current", "Healthy", "Current"}
	failed     = health{"Failed", "Degraded", "Failed"}
)

type capture struct {
	kind, step string
	obj        map[string]any
	want       health
}

// TestGitOpsHealthThroughEachKindsLife drives every kind through its life
// on a real API server and checks kstatus, the Argo CD Lua scripts and the
// Flux expressions at every step. With UPDATE_TESTDATA=1 it writes the
// captured objects into config/argocd (Argo CD's upstream layout).
func TestGitOpsHealthThroughEachKindsLife(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	var captures []capture
	snap := func(kind, step string, obj client.Object, want health) {
		t.Helper()
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			t.Fatal(err)
		}
		u["apiVersion"], u["kind"] = streamgatev1alpha1.GroupVersion.String(), kind
		captures = append(captures, capture{kind: kind, step: step, obj: u, want: want})
	}
	get := func(obj client.Object) client.Object {
		t.Helper()
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			t.Fatal(err)
		}
		return obj
	}
	waitVideo := func(v *streamgatev1alpha1.Video, phase streamgatev1alpha1.VideoPhase) {
		t.Helper()
		eventually(t, "Video "+string(phase), func() error {
			got := getVideo(t, v)
			if got.Status.Phase != phase || got.Status.ObservedGeneration != got.Generation {
				return fmt.Errorf("phase %s", got.Status.Phase)
			}
			return nil
		})
	}

	// Video and TranscodeJob: created, pending, transcoding, ready; a failure.
	video := newVideo(ns, "intro")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	if video.Status.ObservedGeneration != -1 {
		t.Errorf("a new Video's status.observedGeneration = %d, want the schema default -1", video.Status.ObservedGeneration)
	}
	snap("Video", "created", video.DeepCopy(), inProgress)
	tj, job := waitForJob(t, video)
	waitVideo(video, streamgatev1alpha1.VideoPhasePending)
	snap("Video", "pending", get(video.DeepCopy()), inProgress)
	snap("TranscodeJob", "pending", get(tj), inProgress)
	pod := startJobPod(t, job)
	waitVideo(video, streamgatev1alpha1.VideoPhaseTranscoding)
	snap("Video", "transcoding", get(video.DeepCopy()), inProgress)
	snap("TranscodeJob", "running", get(tj.DeepCopy()), inProgress)
	completeJob(t, job, pod, successSummary)
	waitVideo(video, streamgatev1alpha1.VideoPhaseReady)
	snap("Video", "ready", get(video.DeepCopy()), current)
	snap("TranscodeJob", "succeeded", get(tj.DeepCopy()), current)

	broken := newVideo(ns, "broken")
	if err := k8s.Create(ctx, broken); err != nil {
		t.Fatal(err)
	}
	btj, bjob := waitForJob(t, broken)
	summary := string(media.SummaryOf(nil, &media.Error{Reason: media.ReasonCorruptSource, Message: "moov atom not found"}).Marshal())
	failJob(t, bjob, startJobPod(t, bjob), 13, summary, batchv1.JobReasonPodFailurePolicy)
	waitVideo(broken, streamgatev1alpha1.VideoPhaseFailed)
	snap("Video", "failed", get(broken.DeepCopy()), failed)
	snap("TranscodeJob", "failed", get(btj), failed)

	// NFTGate: validated, unreachable, wrong chain.
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	nft.Transact(t, devchain.Key(0), "mint", devchain.Address(devchain.Key(1)), big.NewInt(1))
	rpcSecret(t, ns, "rpc", anvil.URL)
	rpcSecret(t, ns, "dead", "http://127.0.0.1:1")
	cond := streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: nft.Address.Hex()}
	for _, g := range []struct {
		name, secret string
		chain        int64
		status       metav1.ConditionStatus
		reason       string
		want         health
	}{
		{"validated", "rpc", 31337, metav1.ConditionTrue, reasonValidated, current},
		{"rpc-unreachable", "dead", 31337, metav1.ConditionFalse, reasonRPCUnreachable, inProgress},
		{"chain-mismatch", "rpc", 1, metav1.ConditionFalse, reasonChainIDMismatch, failed},
	} {
		gate := evmGate(ns, g.name, g.secret, g.chain, cond)
		if err := k8s.Create(ctx, gate); err != nil {
			t.Fatal(err)
		}
		snap("NFTGate", g.name, waitForGate(t, gate, g.status, g.reason), g.want)
	}

	// StreamEndpoint: rolling out, no videos, gate not ready, serving.
	endpoint := func(name string, labels map[string]string, gate string) *streamgatev1alpha1.StreamEndpoint {
		se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: labels}}}
		if gate != "" {
			se.Spec.GateRef = &streamgatev1alpha1.LocalObjectReference{Name: gate}
		}
		if err := k8s.Create(ctx, se); err != nil {
			t.Fatal(err)
		}
		return se
	}
	waitEndpoint := func(se *streamgatev1alpha1.StreamEndpoint, reason string) *streamgatev1alpha1.StreamEndpoint {
		var got *streamgatev1alpha1.StreamEndpoint
		eventually(t, "StreamEndpoint "+reason, func() error {
			got = getEndpoint(t, se)
			if c := meta.FindStatusCondition(got.Status.Conditions, "Ready"); c == nil || c.Reason != reason || got.Status.ObservedGeneration != got.Generation {
				return fmt.Errorf("Ready %+v", c)
			}
			return nil
		})
		return got
	}
	empty := endpoint("empty", map[string]string{"none": "x"}, "")
	snap("StreamEndpoint", "rolling-out", waitEndpoint(empty, reasonDeploymentUnavailable), inProgress)
	markRolledOut(t, ns, "empty-serve")
	snap("StreamEndpoint", "no-videos", waitEndpoint(empty, reasonNoVideosSelected), health{"InProgress", "Suspended", "Current"})
	labels := map[string]string{"app": "x"}
	if err := k8s.Patch(ctx, video, client.RawPatch(types.MergePatchType, []byte(`{"metadata":{"labels":{"app":"x"}}}`))); err != nil {
		t.Fatal(err)
	}
	gated := endpoint("gated", labels, "chain-mismatch")
	markRolledOut(t, ns, "gated-serve")
	snap("StreamEndpoint", "gate-not-ready", waitEndpoint(gated, reasonGateNotReady), health{"InProgress", "Degraded", "Failed"})
	serving := endpoint("main", labels, "")
	markRolledOut(t, ns, "main-serve")
	got := waitEndpoint(serving, reasonServing)
	markRolledOut(t, ns, "main-serve") // the claim mount rolled it
	got = waitEndpoint(serving, reasonServing)
	snap("StreamEndpoint", "serving", got, current)

	// ChainIndexer: backfilling, following, wrong chain.
	ci := &streamgatev1alpha1.ChainIndexer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "nfts"},
		Spec: streamgatev1alpha1.ChainIndexerSpec{
			Chain:     streamgatev1alpha1.ChainSpec{Family: "evm", ChainID: ptr.To[int64](1), RPC: streamgatev1alpha1.RPCEndpoint{SecretRef: streamgatev1alpha1.SecretKeyReference{Name: "rpc"}}},
			Contracts: []streamgatev1alpha1.IndexedContract{{Address: nft.Address.Hex(), Standard: "ERC721"}}}}
	if err := k8s.Create(ctx, ci); err != nil {
		t.Fatal(err)
	}
	markRolledOut(t, ns, "nfts-indexer")
	report := func(patch, reason string, want health, step string) {
		if err := k8s.Status().Patch(ctx, ci, client.RawPatch(types.MergePatchType, []byte(patch))); err != nil {
			t.Fatal(err)
		}
		var got streamgatev1alpha1.ChainIndexer
		eventually(t, "ChainIndexer "+reason, func() error {
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(ci), &got); err != nil {
				return err
			}
			if c := meta.FindStatusCondition(got.Status.Conditions, "Synced"); c == nil || c.Reason != reason {
				return fmt.Errorf("Synced %+v", c)
			}
			return nil
		})
		snap("ChainIndexer", step, &got, want)
	}
	report(`{"status":{"headBlock":1000,"indexedBlock":400,"lagBlocks":600,"caughtUp":false}}`, reasonBackfilling, inProgress, "backfilling")
	report(`{"status":{"headBlock":1000,"indexedBlock":988,"lagBlocks":12,"caughtUp":true}}`, reasonFollowing, current, "following")
	report(`{"status":{"lastError":{"reason":"ChainIDMismatch","message":"the node serves chain 137, the indexer is for 1"}}}`, reasonChainIDMismatch, failed, "chain-mismatch")

	checks, err := testhealth.FluxChecks()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]string{}
	for _, c := range captures {
		k, err := testhealth.KStatus(c.obj)
		if err != nil {
			t.Fatal(err)
		}
		argo, message, err := testhealth.ArgoHealth(c.kind, c.obj)
		if err != nil {
			t.Fatal(err)
		}
		flux, err := testhealth.FluxHealth(checks[c.kind], c.obj)
		if err != nil {
			t.Fatal(err)
		}
		if (health{k, argo, flux}) != c.want {
			t.Errorf("%s %s: kstatus %s, Argo CD %s (%s), Flux %s; want %+v", c.kind, c.step, k, argo, message, flux, c.want)
		}
		if os.Getenv("UPDATE_TESTDATA") != "" {
			writeTestdata(t, c, ns, argo, message)
			tests[c.kind] = append(tests[c.kind], c.step+"\x00"+argo+"\x00"+strings.ReplaceAll(message, ns, "tenant-a"))
		}
	}
	for kind, entries := range tests {
		sort.Strings(entries)
		var b strings.Builder
		b.WriteString("tests:\n")
		for _, e := range entries {
			parts := strings.Split(e, "\x00")
			msg, _ := yaml.Marshal(parts[2])
			fmt.Fprintf(&b, "- healthStatus:\n    status: %s\n    message: %s  inputPath: testdata/%s.yaml\n", parts[1], string(msg), parts[0])
		}
		if err := os.WriteFile(filepath.Join(testhealth.ArgoDir(kind), "health_test.yaml"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeTestdata stores a captured object without its server-made fields,
// in a stable namespace.
func writeTestdata(t *testing.T, c capture, ns, _, _ string) {
	t.Helper()
	md := c.obj["metadata"].(map[string]any)
	for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "managedFields", "ownerReferences"} {
		delete(md, k)
	}
	data, err := yaml.Marshal(c.obj)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.ReplaceAll(string(data), ns, "tenant-a"))
	if err := os.WriteFile(filepath.Join(testhealth.ArgoDir(c.kind), "testdata", c.step+".yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
