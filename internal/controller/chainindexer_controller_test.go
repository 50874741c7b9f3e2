package controller

import (
	"context"
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

func TestChainIndexerChildrenAndConditions(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	ci := &streamgatev1alpha1.ChainIndexer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "nfts"},
		Spec: streamgatev1alpha1.ChainIndexerSpec{
			Chain: streamgatev1alpha1.ChainSpec{Family: "evm", ChainID: ptr.To[int64](1),
				RPC: streamgatev1alpha1.RPCEndpoint{SecretRef: streamgatev1alpha1.SecretKeyReference{Name: "rpc", Key: "endpoint"}}},
			Contracts:     []streamgatev1alpha1.IndexedContract{{Address: "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D", Standard: "ERC721", FromBlock: 12287507}},
			Confirmations: ptr.To[int32](12),
		},
	}
	if err := k8s.Create(ctx, ci); err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	eventually(t, "Deployment", func() error { return k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nfts-indexer"}, &d) })
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		t.Errorf("Deployment replicas %d strategy %s, want 1 and Recreate", *d.Spec.Replicas, d.Spec.Strategy.Type)
	}
	args := strings.Join(d.Spec.Template.Spec.Containers[0].Args, " ")
	for _, want := range []string{"index", "--chain-id=1", "--confirmations=12", "--chainindexer=nfts", `"fromBlock":12287507`, "0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d"} {
		if !strings.Contains(args, want) {
			t.Errorf("args %q lack %q", args, want)
		}
	}
	if v := d.Spec.Template.Spec.Volumes[1].Secret; v == nil || v.SecretName != "rpc" || v.Items[0].Key != "endpoint" {
		t.Errorf("RPC Secret volume %+v", d.Spec.Template.Spec.Volumes)
	}
	// One reconcile makes the children one after the other: the Deployment
	// may be seen before the rest.
	var pvc corev1.PersistentVolumeClaim
	var svc corev1.Service
	var role rbacv1.Role
	eventually(t, "PVC, Service and Role", func() error {
		for name, obj := range map[string]client.Object{"nfts-data": &pvc, "nfts": &svc, "nfts-indexer": &role} {
			if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, obj); err != nil {
				return err
			}
		}
		return nil
	})
	if pvc.Spec.Resources.Requests.Storage().String() != "1Gi" {
		t.Errorf("PVC: %v", pvc.Spec.Resources)
	}
	if len(role.Rules) != 1 || role.Rules[0].ResourceNames[0] != "nfts" || role.Rules[0].Verbs[0] != "patch" {
		t.Errorf("indexer Role: %+v", role.Rules)
	}

	wait := func(ready metav1.ConditionStatus, reason string) *streamgatev1alpha1.ChainIndexer {
		t.Helper()
		var got streamgatev1alpha1.ChainIndexer
		eventually(t, "ChainIndexer "+reason, func() error {
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(ci), &got); err != nil {
				return err
			}
			synced := meta.FindStatusCondition(got.Status.Conditions, "Synced")
			r := meta.FindStatusCondition(got.Status.Conditions, "Ready")
			if r == nil || r.Status != ready || synced == nil || synced.Reason != reason {
				return fmt.Errorf("Ready %+v Synced %+v", r, synced)
			}
			return nil
		})
		return &got
	}
	got := wait(metav1.ConditionFalse, reasonDeploymentUnavailable)
	if got.Status.URL != "http://nfts."+ns+".svc:8080" {
		t.Errorf("url %s", got.Status.URL)
	}
	markRolledOut(t, ns, "nfts-indexer")
	// The test plays the indexer pod, which reports through the status subresource.
	report := func(patch string) {
		t.Helper()
		if err := k8s.Status().Patch(ctx, ci, client.RawPatch(types.MergePatchType, []byte(patch))); err != nil {
			t.Fatal(err)
		}
	}
	report(`{"status":{"headBlock":1000,"indexedBlock":400,"lagBlocks":600,"caughtUp":false}}`)
	got = wait(metav1.ConditionFalse, reasonBackfilling)
	if c := meta.FindStatusCondition(got.Status.Conditions, "Reconciling"); c == nil || c.Status != "True" {
		t.Errorf("Reconciling %+v while backfilling", c)
	}
	report(`{"status":{"headBlock":1000,"indexedBlock":988,"lagBlocks":12,"caughtUp":true}}`)
	wait(metav1.ConditionTrue, reasonFollowing)
	report(`{"status":{"lastError":{"reason":"RPCUnreachable","message":"eth_blockNumber: connection refused"}}}`)
	wait(metav1.ConditionFalse, reasonRPCUnreachable)
	report(`{"status":{"lastError":{"reason":"ChainIDMismatch","message":"the node serves chain 137, the indexer is for 1"}}}`)
	got = wait(metav1.ConditionFalse, reasonChainIDMismatch)
	if !meta.IsStatusConditionTrue(got.Status.Conditions, "Stalled") {
		t.Error("a chain id mismatch is not Stalled")
	}
}

// The endpoint comes first and the indexer later, as `kubectl apply` of a
// folder may order them: the indexer's status.url, set after its creation,
// must still reach the catalog.
func TestGateWithIndexerRefGivesTheCatalogTheIndexerURL(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	ci := mainnetIndexer(ns, "ix")
	gate := evmGate(ns, "g", "rpc", 1, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: "0x000000000000000000000000000000000000dEaD"})
	gate.Spec.IndexerRef = &streamgatev1alpha1.LocalObjectReference{Name: "ix"}
	if err := k8s.Create(ctx, gate); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"x": "y"}
	readyVideo(t, ns, "v", labels, "g")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "e"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: labels}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	eventually(t, "catalog without an indexer", func() error {
		cat, err := readCatalog(se)
		if err != nil || len(cat.Videos) != 1 {
			return fmt.Errorf("catalog %v %v", cat, err)
		}
		return nil
	})
	if err := k8s.Create(ctx, ci); err != nil {
		t.Fatal(err)
	}
	eventually(t, "catalog names the indexer", func() error {
		cat, err := readCatalog(se)
		if err != nil {
			return err
		}
		if len(cat.Videos) != 1 || cat.Videos[0].Gate == nil || cat.Videos[0].Gate.IndexerURL != "http://ix."+ns+".svc:8080" {
			return fmt.Errorf("catalog %+v", cat.Videos)
		}
		return nil
	})
}

// mainnetIndexer is a ChainIndexer of one contract on chain 1, its RPC URL
// in the Secret "rpc".
func mainnetIndexer(ns, name string) *streamgatev1alpha1.ChainIndexer {
	return &streamgatev1alpha1.ChainIndexer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: streamgatev1alpha1.ChainIndexerSpec{
			Chain:     streamgatev1alpha1.ChainSpec{Family: "evm", ChainID: ptr.To[int64](1), RPC: streamgatev1alpha1.RPCEndpoint{SecretRef: streamgatev1alpha1.SecretKeyReference{Name: "rpc"}}},
			Contracts: []streamgatev1alpha1.IndexedContract{{Address: "0x000000000000000000000000000000000000dEaD", Standard: "ERC721"}}}}
}
