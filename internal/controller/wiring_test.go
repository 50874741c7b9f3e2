package controller

import (
	"context"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/testchain"
)

// The suite's manager is built as cmd/streamgate builds it (CacheOptions,
// SetupAll): its cache holds only the Secrets StreamGate made. A tenant's
// RPC Secret — unlabelled, made after the gate, then rotated — must still
// wake the gate and the endpoint within seconds, not at the gate's
// recheck (a minute here, ten in production).
func TestTenantRPCSecretIsFollowedUnderProductionWiring(t *testing.T) {
	ctx := context.Background()
	anvil := testchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	ns := newNamespace(t)
	g := evmGate(ns, "holders", "tenant-rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: nft.Address.Hex()})
	if err := k8s.Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, g, metav1.ConditionFalse, reasonSecretNotFound)

	secret := rpcSecret(t, ns, "tenant-rpc", anvil.URL) // no StreamGate label, as tenants make them
	waitForGate(t, g, metav1.ConditionTrue, reasonValidated)

	selected := map[string]string{"app": "films"}
	readyVideo(t, ns, "film", selected, "holders")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: selected},
			SignIn: &streamgatev1alpha1.EndpointSignIn{Origins: []string{"https://watch.example.com"}}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	copied := func(want string) error {
		var keys corev1.Secret
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main-keys"}, &keys); err != nil {
			return err
		}
		if got := string(keys.Data["rpc.holders"]); got != want {
			return fmt.Errorf("the endpoint's copy of the RPC URL is %q", got)
		}
		return nil
	}
	eventually(t, "the endpoint copies the RPC URL", func() error { return copied(anvil.URL) })

	// Rotation to a node that is down: the gate notices at once.
	rotate := func(url string) {
		t.Helper()
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(secret), secret); err != nil {
			t.Fatal(err)
		}
		secret.Data = map[string][]byte{"url": []byte(url)}
		if err := k8s.Update(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	rotate("http://127.0.0.1:1/v3/rotated")
	waitForGate(t, g, metav1.ConditionFalse, reasonRPCUnreachable)
	// Rotation to a working URL (another spelling of the node's): the gate
	// is Ready again and the endpoint copies the new URL.
	rotated := anvil.URL + "/"
	rotate(rotated)
	waitForGate(t, g, metav1.ConditionTrue, reasonValidated)
	eventually(t, "the endpoint copies the rotated RPC URL", func() error { return copied(rotated) })
}
