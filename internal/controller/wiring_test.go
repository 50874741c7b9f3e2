package controller

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/repo"
)

// The suite's manager is built as cmd/streamgate builds it (CacheOptions,
// SetupAll): its cache holds only the Secrets StreamGate made. A tenant's
// RPC Secret — unlabelled, made after the gate, then rotated — must still
// wake the gate and the endpoint within seconds, not at the gate's
// recheck (a minute here, ten in production).
func TestTenantRPCSecretIsFollowedUnderProductionWiring(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
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
	// Validated for this spec, with its node down for now: the gate keeps
	// its contracts and the endpoint keeps serving it, so tokens already
	// issued play on while new sign-ins meet the dead node (503
	// ChainUnavailable) in the pods.
	eventually(t, "the gate usable through the outage", func() error {
		var got streamgatev1alpha1.NFTGate
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(g), &got); err != nil {
			return err
		}
		if len(got.Status.Contracts) == 0 {
			return fmt.Errorf("the validated contracts were dropped during a transient outage")
		}
		cat, err := readCatalog(se)
		if err != nil {
			return err
		}
		if len(cat.Videos) != 1 || cat.Videos[0].Gate == nil || !cat.Videos[0].Gate.Ready {
			return fmt.Errorf("catalog %+v: the gate must stay usable", cat.Videos)
		}
		return copied("http://127.0.0.1:1/v3/rotated")
	})
	// Rotation to a working URL (another spelling of the node's): the gate
	// is Ready again and the endpoint copies the new URL.
	rotated := anvil.URL + "/"
	rotate(rotated)
	waitForGate(t, g, metav1.ConditionTrue, reasonValidated)
	eventually(t, "the endpoint copies the rotated RPC URL", func() error { return copied(rotated) })
}

// In OLM's SingleNamespace mode the manager runs with WATCH_NAMESPACE set
// and its role granted by a RoleBinding in that namespace only. Built so,
// impersonating such a ServiceAccount, it reconciles the watched namespace
// (a cluster-wide list or watch would be forbidden and stall its caches)
// and leaves every other namespace alone.
func TestWatchNamespaceWithNamespacedRBACOnly(t *testing.T) {
	ctx := context.Background()
	watched, unwatched := newNamespace(t), newNamespace(t)
	var role rbacv1.ClusterRole
	data, err := os.ReadFile(filepath.Join(repo.Root(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &role); err != nil {
		t.Fatal(err)
	}
	role.ObjectMeta = metav1.ObjectMeta{GenerateName: "streamgate-manager-"}
	if err := k8s.Create(ctx, &role); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k8s.Delete(context.Background(), &role) })
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: watched, Name: "streamgate"}}
	binding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: watched, Name: "streamgate"},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: watched, Name: sa.Name}}}
	for _, obj := range []client.Object{sa, binding} {
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}

	stopTheManager() // the suite's manager watches every namespace
	t.Cleanup(func() {
		if err := startManager(); err != nil {
			t.Fatal(err)
		}
	})
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: "system:serviceaccount:" + watched + ":" + sa.Name}
	opts := testOptions
	opts.WatchNamespaces = []string{watched}
	mgr, err := newManagerAs(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(runCtx) }()
	t.Cleanup(func() { stop(); <-done })

	outside := newVideo(unwatched, "outside")
	if err := k8s.Create(ctx, outside); err != nil {
		t.Fatal(err)
	}
	inside := newVideo(watched, "inside")
	if err := k8s.Create(ctx, inside); err != nil {
		t.Fatal(err)
	}
	waitForJob(t, inside)
	// The gate controller runs too: its tenant Secret cache is scoped
	// alike (a cluster-wide Secret watch would be forbidden).
	g := evmGate(watched, "holders", "missing", 1, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: "0x000000000000000000000000000000000000dEaD"})
	if err := k8s.Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, g, metav1.ConditionFalse, reasonSecretNotFound)
	// The Video outside was created first: had the manager seen it, it
	// would have a status by now.
	if got := getVideo(t, outside); got.Status.ObservedGeneration > 0 || got.Status.TranscodeJobRef != nil {
		t.Errorf("the unwatched namespace was reconciled: %+v", got.Status)
	}
	var tjs streamgatev1alpha1.TranscodeJobList
	if err := k8s.List(ctx, &tjs, client.InNamespace(unwatched)); err != nil || len(tjs.Items) != 0 {
		t.Errorf("%d TranscodeJobs in the unwatched namespace (%v)", len(tjs.Items), err)
	}
}
