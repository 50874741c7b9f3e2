package controller

import (
	"context"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// exhaustedQuota makes a ResourceQuota that allows none of resource, with
// the status the quota controller would write (envtest runs none).
func exhaustedQuota(t *testing.T, ns string, resource corev1.ResourceName) {
	t.Helper()
	zero := corev1.ResourceList{resource: *resourceQuantity("0")}
	q := &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "none"}, Spec: corev1.ResourceQuotaSpec{Hard: zero}}
	if err := k8s.Create(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	q.Status = corev1.ResourceQuotaStatus{Hard: zero, Used: zero}
	if err := k8s.Status().Update(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

func resourceQuantity(s string) *resource.Quantity { q := resource.MustParse(s); return &q }

// A child the API server refuses (here: a ResourceQuota) is not only a
// retry in the logs: Ready says why, with an Event, and the reconciler
// keeps retrying with back-off.
func TestRefusedChildrenAreReportedInConditions(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	exhaustedQuota(t, ns, "count/deployments.apps")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	got := waitEndpointReason(t, se, reasonQuotaExceeded)
	if ready := meta.FindStatusCondition(got.Status.Conditions, "Ready"); !strings.Contains(ready.Message, "exceeded quota") ||
		!meta.IsStatusConditionTrue(got.Status.Conditions, "Reconciling") {
		t.Errorf("conditions %+v: want the quota named, and Reconciling (it is retried)", got.Status.Conditions)
	}
	waitForEvent(t, ns, "main", reasonQuotaExceeded)

	// The TranscodeJob of a Video whose Job the quota refuses says so too.
	exhaustedQuota2 := &corev1.ResourceQuota{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "none"}, exhaustedQuota2); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Delete(ctx, exhaustedQuota2); err != nil {
		t.Fatal(err)
	}
	ns2 := newNamespace(t)
	exhaustedQuota(t, ns2, "count/jobs.batch")
	video := newVideo(ns2, "clip")
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	eventually(t, "TranscodeJob says QuotaExceeded", func() error {
		var tjs streamgatev1alpha1.TranscodeJobList
		if err := k8s.List(ctx, &tjs, client.InNamespace(ns2)); err != nil || len(tjs.Items) != 1 {
			return fmt.Errorf("%d TranscodeJobs (%v)", len(tjs.Items), err)
		}
		ready := meta.FindStatusCondition(tjs.Items[0].Status.Conditions, "Ready")
		if ready == nil || ready.Reason != reasonQuotaExceeded {
			return fmt.Errorf("Ready %+v", ready)
		}
		return nil
	})
	// Once the quota is gone, the back-off brings the endpoint round.
	markRolledOut(t, ns, "main-serve")
	waitEndpointReason(t, se, reasonNoVideosSelected)
}

// spec.storage.size edits after the store exists are applied when the
// storage allows it and reported when not; a store never shrinks.
func TestChainIndexerStorageEditsAreAppliedOrExplained(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	ci := mainnetIndexer(ns, "ix")
	ci.Spec.Storage.Size = resourceQuantity("1Gi")
	if err := k8s.Create(ctx, ci); err != nil {
		t.Fatal(err)
	}
	storageCondition := func(reason string) {
		t.Helper()
		eventually(t, "StorageResized "+reason, func() error {
			var got streamgatev1alpha1.ChainIndexer
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(ci), &got); err != nil {
				return err
			}
			c := meta.FindStatusCondition(got.Status.Conditions, conditionStorageResized)
			if c == nil || c.Reason != reason || c.Status != metav1.ConditionFalse || c.ObservedGeneration != got.Generation {
				return fmt.Errorf("StorageResized %+v", c)
			}
			return nil
		})
	}
	var pvc corev1.PersistentVolumeClaim
	eventually(t, "the store", func() error { return k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "ix-data"}, &pvc) })

	// The claim is not bound to an expandable volume (envtest has no
	// storage): the API server refuses to grow it, and the condition says so.
	update := func(size string) {
		t.Helper()
		eventually(t, "edit storage", func() error {
			var cur streamgatev1alpha1.ChainIndexer
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(ci), &cur); err != nil {
				return err
			}
			cur.Spec.Storage.Size = resourceQuantity(size)
			return k8s.Update(ctx, &cur)
		})
	}
	update("5Gi")
	storageCondition(reasonExpansionRefused)
	update("512Mi")
	storageCondition(reasonShrinkRefused)
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(&pvc), &pvc); err != nil {
		t.Fatal(err)
	}
	if got := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; got.String() != "1Gi" {
		t.Errorf("the store's request is %s, want it kept at 1Gi", got.String())
	}
	update("1Gi")
	eventually(t, "StorageResized gone once the sizes agree", func() error {
		var got streamgatev1alpha1.ChainIndexer
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(ci), &got); err != nil {
			return err
		}
		if c := meta.FindStatusCondition(got.Status.Conditions, conditionStorageResized); c != nil {
			return fmt.Errorf("StorageResized %+v", c)
		}
		return nil
	})
}
