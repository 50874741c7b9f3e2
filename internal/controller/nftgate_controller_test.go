package controller

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"k8s.io/utils/ptr"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

func rpcSecret(t *testing.T, ns, name, url string) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, StringData: map[string]string{"url": url}}
	if err := k8s.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func evmGate(ns, name, secret string, chainID int64, conditions ...streamgatev1alpha1.HoldingCondition) *streamgatev1alpha1.NFTGate {
	return &streamgatev1alpha1.NFTGate{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: streamgatev1alpha1.NFTGateSpec{
			Chain: streamgatev1alpha1.ChainSpec{Family: streamgatev1alpha1.ChainFamilyEVM, ChainID: ptr.To(chainID),
				RPC: streamgatev1alpha1.RPCEndpoint{SecretRef: streamgatev1alpha1.SecretKeyReference{Name: secret}}},
			AnyOf: conditions,
		},
	}
}

func waitForGate(t *testing.T, gate *streamgatev1alpha1.NFTGate, status metav1.ConditionStatus, reason string) *streamgatev1alpha1.NFTGate {
	t.Helper()
	var got streamgatev1alpha1.NFTGate
	eventually(t, fmt.Sprintf("NFTGate %s Ready=%s %s", gate.Name, status, reason), func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(gate), &got); err != nil {
			return err
		}
		ready := meta.FindStatusCondition(got.Status.Conditions, "Ready")
		if ready == nil || ready.Status != status || ready.Reason != reason || got.Status.ObservedGeneration != got.Generation {
			return fmt.Errorf("Ready = %+v", ready)
		}
		return nil
	})
	return &got
}

func TestNFTGateValidationAgainstAnvil(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	multi := anvil.Deploy(t, "TestERC1155")
	token := anvil.Deploy(t, "TestERC20")
	nft.Transact(t, devchain.Key(0), "mint", devchain.Address(devchain.Key(1)), big.NewInt(1))
	ns := newNamespace(t)
	rpcSecret(t, ns, "rpc", anvil.URL)
	rpcSecret(t, ns, "dead", "http://127.0.0.1:1/v2/SECRET-API-KEY")

	erc721 := streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: nft.Address.Hex()}
	erc1155 := streamgatev1alpha1.HoldingCondition{Standard: "ERC1155", Contract: multi.Address.Hex(), TokenIDs: []string{"1"}}
	erc20 := streamgatev1alpha1.HoldingCondition{Standard: "ERC20", Contract: token.Address.Hex(), MinBalance: "5"}

	good := evmGate(ns, "good", "rpc", 31337, erc721, erc1155, erc20)
	if err := k8s.Create(ctx, good); err != nil {
		t.Fatal(err)
	}
	got := waitForGate(t, good, metav1.ConditionTrue, reasonValidated)
	if len(got.Status.Contracts) != 3 || got.Status.Contracts[0].Name != "StreamGate Test Pass" || got.Status.Contracts[0].Symbol != "SGPASS" ||
		!got.Status.Contracts[2].StandardVerified || got.Status.LastValidated == nil {
		t.Errorf("status = %+v", got.Status)
	}
	if err := expectConditions(got.Status.Conditions, map[string]metav1.ConditionStatus{"Ready": "True"}, "Stalled", "Reconciling"); err != nil {
		t.Error(err)
	}

	cases := []struct {
		gate     *streamgatev1alpha1.NFTGate
		reason   string
		stalled  bool
		mentions string
	}{
		{evmGate(ns, "no-secret", "missing", 31337, erc721), reasonSecretNotFound, true, "Secret missing not found"},
		{evmGate(ns, "unreachable", "dead", 31337, erc721), reasonRPCUnreachable, false, "eth_chainId"},
		{evmGate(ns, "wrong-chain", "rpc", 1, erc721), reasonChainIDMismatch, true, "serves chain 31337, the gate says 1"},
		{evmGate(ns, "no-code", "rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: "0x000000000000000000000000000000000000dEaD"}), reasonNoContractCode, true, "0x000000000000000000000000000000000000dEaD"},
		{evmGate(ns, "not-721", "rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: token.Address.Hex()}), reasonStandardMismatch, true, "does not answer as ERC721"},
		{evmGate(ns, "not-20", "rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC20", Contract: nft.Address.Hex()}), reasonStandardMismatch, true, "does not answer as ERC20"},
	}
	for _, tc := range cases {
		if err := k8s.Create(ctx, tc.gate); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range cases {
		got := waitForGate(t, tc.gate, metav1.ConditionFalse, tc.reason)
		ready := meta.FindStatusCondition(got.Status.Conditions, "Ready")
		if !strings.Contains(ready.Message, tc.mentions) {
			t.Errorf("%s: message %q does not mention %q", tc.gate.Name, ready.Message, tc.mentions)
		}
		stalled := meta.IsStatusConditionTrue(got.Status.Conditions, "Stalled")
		reconciling := meta.IsStatusConditionTrue(got.Status.Conditions, "Reconciling")
		if stalled != tc.stalled || reconciling == tc.stalled {
			t.Errorf("%s: stalled=%v reconciling=%v, want stalled=%v", tc.gate.Name, stalled, reconciling, tc.stalled)
		}
		if strings.Contains(ready.Message, "SECRET-API-KEY") {
			t.Errorf("%s: the RPC URL leaked into the condition: %q", tc.gate.Name, ready.Message)
		}
	}

	// Creating the missing Secret re-validates the gate that names it.
	rpcSecret(t, ns, "missing", anvil.URL)
	waitForGate(t, cases[0].gate, metav1.ConditionTrue, reasonValidated)
}

// Passes that expire: a StreamGatePass answers as ERC-5643 and ERC-4907, a
// PublicLock-like contract as an Unlock lock; an ERC-721 as neither.
func TestNFTGateValidatesTimedPasses(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	creator := devchain.Key(0)
	opts, err := bind.NewKeyedTransactorWithChainID(creator, big.NewInt(anvil.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	passAddr, tx, _, err := passes.DeployStreamGatePass(opts, anvil.Client, "Creator Pass", "CPASS", devchain.Address(creator),
		30*24*3600, big.NewInt(1), devchain.Address(creator), big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bind.WaitMined(ctx, anvil.Client, tx); err != nil {
		t.Fatal(err)
	}
	lock := anvil.Deploy(t, "TestPublicLock")
	nft := anvil.Deploy(t, "TestERC721")
	ns := newNamespace(t)
	rpcSecret(t, ns, "rpc", anvil.URL)

	good := evmGate(ns, "passes", "rpc", 31337,
		streamgatev1alpha1.HoldingCondition{Standard: "ERC5643", Contract: passAddr.Hex(), TokenIDs: []string{"1"}},
		streamgatev1alpha1.HoldingCondition{Standard: "ERC4907", Contract: passAddr.Hex(), TokenIDs: []string{"1"}, OwnersDuringRental: ptr.To(true)},
		streamgatev1alpha1.HoldingCondition{Standard: "UnlockKey", Contract: lock.Address.Hex()})
	if err := k8s.Create(ctx, good); err != nil {
		t.Fatal(err)
	}
	got := waitForGate(t, good, metav1.ConditionTrue, reasonValidated)
	if len(got.Status.Contracts) != 3 || got.Status.Contracts[0].Symbol != "CPASS" {
		t.Errorf("contracts = %+v", got.Status.Contracts)
	}
	for _, tc := range []struct{ name, standard string }{{"not-5643", "ERC5643"}, {"not-4907", "ERC4907"}, {"not-a-lock", "UnlockKey"}} {
		cond := streamgatev1alpha1.HoldingCondition{Standard: streamgatev1alpha1.TokenStandard(tc.standard), Contract: nft.Address.Hex()}
		if tc.standard != "UnlockKey" {
			cond.TokenIDs = []string{"1"}
		}
		g := evmGate(ns, tc.name, "rpc", 31337, cond)
		if err := k8s.Create(ctx, g); err != nil {
			t.Fatal(err)
		}
		got := waitForGate(t, g, metav1.ConditionFalse, reasonStandardMismatch)
		if ready := meta.FindStatusCondition(got.Status.Conditions, "Ready"); !strings.Contains(ready.Message, "does not answer as "+tc.standard) {
			t.Errorf("%s: %q", tc.name, ready.Message)
		}
	}
}

func TestNFTGateOnSolana(t *testing.T) {
	ctx := context.Background()
	svm := devchain.StartSVM(t)
	collection := svm.CallString(t, "test_createMint")
	wallet := svm.CallString(t, "test_newWallet")
	ns := newNamespace(t)
	rpcSecret(t, ns, "sol", svm.URL)
	gate := func(name, network, collection string) *streamgatev1alpha1.NFTGate {
		return &streamgatev1alpha1.NFTGate{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: streamgatev1alpha1.NFTGateSpec{
				Chain: streamgatev1alpha1.ChainSpec{Family: "solana", Network: network,
					RPC: streamgatev1alpha1.RPCEndpoint{SecretRef: streamgatev1alpha1.SecretKeyReference{Name: "sol"}}},
				AnyOf: []streamgatev1alpha1.HoldingCondition{{Standard: "Metaplex", Collection: collection}},
			},
		}
	}
	for _, tc := range []struct {
		gate   *streamgatev1alpha1.NFTGate
		status metav1.ConditionStatus
		reason string
	}{
		{gate("local", "localnet", collection), metav1.ConditionTrue, reasonValidated},
		{gate("claims-mainnet", "mainnet-beta", collection), metav1.ConditionFalse, reasonChainIDMismatch},
		{gate("no-mint", "localnet", "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"), metav1.ConditionFalse, reasonNoContractCode},
		{gate("a-wallet", "localnet", wallet), metav1.ConditionFalse, reasonStandardMismatch},
	} {
		if err := k8s.Create(ctx, tc.gate); err != nil {
			t.Fatal(err)
		}
		waitForGate(t, tc.gate, tc.status, tc.reason)
	}
}

// validatedGate makes an ERC-721 gate on a fresh anvil and waits until it
// is Ready; the contract is returned for minting.
func validatedGate(t *testing.T, ns, name string) (*streamgatev1alpha1.NFTGate, *devchain.Contract) {
	t.Helper()
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	rpcSecret(t, ns, "rpc", anvil.URL)
	gate := evmGate(ns, name, "rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC721", Contract: nft.Address.Hex()})
	if err := k8s.Create(context.Background(), gate); err != nil {
		t.Fatal(err)
	}
	return waitForGate(t, gate, metav1.ConditionTrue, reasonValidated), nft
}

func TestNFTGateRecheckWritesNothingWhenNothingChanged(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	gate, _ := validatedGate(t, ns, "steady")
	writes := 0
	raw, err := client.NewWithWatch(env.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	counted := countWrites(raw, &writes)
	r := &NFTGateReconciler{Client: counted, APIReader: counted, Recorder: nopRecorder{}}
	for range 3 {
		res, err := r.Reconcile(ctx, reconcileRequest(gate))
		if err != nil {
			t.Fatal(err)
		}
		if res.RequeueAfter <= 0 {
			t.Error("no periodic recheck scheduled")
		}
	}
	if writes != 0 {
		t.Errorf("%d writes on rechecks that found nothing new", writes)
	}
}

// A pass condition without token ids is answered only by an index: the
// gate is Ready only once its indexerRef exists, is on the gate's chain,
// and follows the pass; a change of the indexer's spec re-validates it.
func TestGateWithoutTokenIDsNeedsItsIndexerToFollowThePass(t *testing.T) {
	ctx := context.Background()
	anvil := devchain.StartAnvil(t)
	opts, err := bind.NewKeyedTransactorWithChainID(devchain.Key(0), big.NewInt(anvil.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	passAddr, tx, _, err := passes.DeployStreamGatePass(opts, anvil.Client, "P", "P", devchain.Address(devchain.Key(0)), 3600, big.NewInt(1), devchain.Address(devchain.Key(0)), big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bind.WaitMined(ctx, anvil.Client, tx); err != nil {
		t.Fatal(err)
	}
	ns := newNamespace(t)
	rpcSecret(t, ns, "rpc", anvil.URL)
	gate := evmGate(ns, "members", "rpc", 31337, streamgatev1alpha1.HoldingCondition{Standard: "ERC5643", Contract: passAddr.Hex()})
	gate.Spec.IndexerRef = &streamgatev1alpha1.LocalObjectReference{Name: "ix"}
	if err := k8s.Create(ctx, gate); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, gate, metav1.ConditionFalse, reasonIndexerNotFound)

	ci := mainnetIndexer(ns, "ix") // chain 1, another contract
	if err := k8s.Create(ctx, ci); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, gate, metav1.ConditionFalse, reasonIndexerChainMismatch)
	before := ci.DeepCopy()
	ci.Spec.Chain.ChainID = ptr.To[int64](31337)
	if err := k8s.Patch(ctx, ci, client.MergeFrom(before)); err != nil {
		t.Fatal(err)
	}
	got := waitForGate(t, gate, metav1.ConditionFalse, reasonIndexerDoesNotFollowPass)
	if ready := meta.FindStatusCondition(got.Status.Conditions, "Ready"); !strings.Contains(ready.Message, passAddr.Hex()) || !meta.IsStatusConditionTrue(got.Status.Conditions, "Stalled") {
		t.Errorf("Ready %+v: want the pass named, and Stalled", ready)
	}
	before = ci.DeepCopy()
	ci.Spec.Contracts = append(ci.Spec.Contracts, streamgatev1alpha1.IndexedContract{Address: passAddr.Hex(), Standard: "ERC721"})
	if err := k8s.Patch(ctx, ci, client.MergeFrom(before)); err != nil {
		t.Fatal(err)
	}
	waitForGate(t, gate, metav1.ConditionTrue, reasonValidated)
	if note := waitForEvent(t, ns, "members", reasonIndexerDoesNotFollowPass); !strings.Contains(note, "add it to its contracts") {
		t.Errorf("the Event says %q, want what to do", note)
	}
}
