package v1alpha1_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/kustomize"
	"github.com/streamgate-io/streamgate/internal/repo"
)

// readManifests splits a multi-document YAML file into objects.
func readManifests(t *testing.T, path string) []*unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := kustomize.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return objs
}

// TestSamplesAreAccepted applies every file of config/samples to the API
// server, in a namespace of its own, and expects each object to be stored.
func TestSamplesAreAccepted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repo.Root(), "config", "samples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			ns := newNamespace(t)
			for _, obj := range readManifests(t, file) {
				obj.SetNamespace(ns)
				if err := k8s.Create(context.Background(), obj); err != nil {
					t.Errorf("%s %s refused: %v", obj.GetKind(), obj.GetName(), err)
				}
				kinds[obj.GetKind()] = true
			}
		})
	}
	for _, kind := range []string{"Video", "TranscodeJob", "StreamEndpoint", "NFTGate", "ChainIndexer"} {
		if !kinds[kind] {
			t.Errorf("config/samples has no %s", kind)
		}
	}
}

// TestSchemaDefaults checks that the API server fills in the documented
// defaults when a manifest leaves them out.
func TestSchemaDefaults(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	for _, obj := range readManifests(t, filepath.Join(repo.Root(), "config", "samples", "tenant.yaml")) {
		obj.SetNamespace(ns)
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatalf("%s %s: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	key := func(name string) client.ObjectKey { return client.ObjectKey{Namespace: ns, Name: name} }

	var video streamgatev1alpha1.Video
	if err := k8s.Get(ctx, key("trailer"), &video); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "video audioKbps", video.Spec.AudioKbps, int32(128))
	expectEqual(t, "video segmentSeconds", video.Spec.SegmentSeconds, int32(4))
	expectEqual(t, "video transcode.backoffLimit", deref(video.Spec.Transcode.BackoffLimit), int32(3))
	expectEqual(t, "video transcode.activeDeadlineSeconds", deref(video.Spec.Transcode.ActiveDeadlineSeconds), int64(3600))

	var endpoint streamgatev1alpha1.StreamEndpoint
	if err := k8s.Get(ctx, key("main"), &endpoint); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "endpoint service.type", endpoint.Spec.Service.Type, "ClusterIP")
	expectEqual(t, "endpoint service.port", endpoint.Spec.Service.Port, int32(8080))

	var gate streamgatev1alpha1.NFTGate
	if err := k8s.Get(ctx, key("holders"), &gate); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "gate cacheTTL", gate.Spec.CacheTTL.Duration, 60*time.Second)

	var indexer streamgatev1alpha1.ChainIndexer
	if err := k8s.Get(ctx, key("mainnet-nfts"), &indexer); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "indexer batchBlocks", indexer.Spec.BatchBlocks, int32(2000))
	expectEqual(t, "indexer pollInterval", indexer.Spec.PollInterval.Duration, 2*time.Second)
	expectEqual(t, "indexer storage.size", indexer.Spec.Storage.Size.String(), "1Gi")
	expectEqual(t, "indexer contracts[0].fromBlock", indexer.Spec.Contracts[0].FromBlock, int64(12287507))
	if indexer.Spec.Confirmations != nil {
		t.Errorf("indexer confirmations = %d, want unset (chosen per chain id at run time)", *indexer.Spec.Confirmations)
	}

	// A StreamEndpoint that says nothing but its selector.
	bare := &streamgatev1alpha1.StreamEndpoint{}
	bare.Name, bare.Namespace = "bare", ns
	if err := k8s.Create(ctx, bare); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "bare endpoint replicas", deref(bare.Spec.Replicas), int32(1))
	expectEqual(t, "bare endpoint tokenTTL", bare.Spec.TokenTTL.Duration, 10*time.Minute)

	// The Solana sample names only the Secret: the key defaults to "url".
	solana := readManifests(t, filepath.Join(repo.Root(), "config", "samples", "streamgate_v1alpha1_nftgate_solana.yaml"))[0]
	solana.SetNamespace(ns)
	if err := k8s.Create(ctx, solana); err != nil {
		t.Fatal(err)
	}
	key2, _, _ := unstructured.NestedString(solana.Object, "spec", "chain", "rpc", "secretRef", "key")
	expectEqual(t, "solana gate rpc key", key2, "url")
}

func TestTranscodeJobSpecIsImmutable(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	obj := readManifests(t, filepath.Join(repo.Root(), "config", "samples", "streamgate_v1alpha1_transcodejob.yaml"))[0]
	obj.SetNamespace(ns)
	if err := k8s.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	var job streamgatev1alpha1.TranscodeJob
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), &job); err != nil {
		t.Fatal(err)
	}

	changed := job.DeepCopy()
	changed.Spec.SegmentSeconds = 2
	err := k8s.Update(ctx, changed)
	if err == nil || !strings.Contains(err.Error(), "spec is immutable") {
		t.Fatalf("changing spec.segmentSeconds: err = %v, want 'spec is immutable'", err)
	}
	changed = job.DeepCopy()
	changed.Spec.Ladder = changed.Spec.Ladder[:1]
	if err := k8s.Update(ctx, changed); err == nil || !strings.Contains(err.Error(), "spec is immutable") {
		t.Fatalf("changing spec.ladder: err = %v, want 'spec is immutable'", err)
	}

	// Labels and status may still change.
	relabelled := job.DeepCopy()
	relabelled.Labels = map[string]string{"team": "a"}
	if err := k8s.Update(ctx, relabelled); err != nil {
		t.Fatalf("changing labels: %v", err)
	}
	relabelled.Status.Phase = streamgatev1alpha1.TranscodeJobPhaseRunning
	relabelled.Status.Progress = 42
	if err := k8s.Status().Update(ctx, relabelled); err != nil {
		t.Fatalf("updating status: %v", err)
	}
	var stored streamgatev1alpha1.TranscodeJob
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), &stored); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "status.progress", stored.Status.Progress, int32(42))
	expectEqual(t, "spec.segmentSeconds", stored.Spec.SegmentSeconds, int32(6))
}

func expectEqual[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
