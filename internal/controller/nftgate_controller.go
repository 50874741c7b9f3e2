package controller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/streamgate-io/streamgate/internal/indexerapi"

	"github.com/ethereum/go-ethereum/common"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/solana"
)

// Reasons of an NFTGate's Ready condition.
const (
	reasonValidated        = "Validated"
	reasonSecretNotFound   = "SecretNotFound"
	reasonRPCUnreachable   = indexerapi.ReasonRPCUnreachable
	reasonChainIDMismatch  = indexerapi.ReasonChainIDMismatch
	reasonNoContractCode   = "NoContractCode"
	reasonStandardMismatch = "StandardMismatch"
	// The gate's indexerRef: missing while conditions need it, on another
	// chain, or not following a pass only it can answer for.
	reasonIndexerNotFound          = "IndexerNotFound"
	reasonIndexerChainMismatch     = "IndexerChainMismatch"
	reasonIndexerDoesNotFollowPass = "IndexerDoesNotFollowPass"
)

// NFTGateReconciler checks that each gate can work: its RPC Secret exists,
// the node answers on the right chain, and every contract is deployed and
// speaks its standard.
type NFTGateReconciler struct {
	client.Client
	// APIReader reads Secrets without caching their data in the operator.
	APIReader client.Reader
	// TenantSecrets sees every Secret's metadata (SetupAll makes it).
	TenantSecrets cache.Cache
	Recorder      events.EventRecorder
	// Now is the clock (default time.Now).
	Now func() time.Time
	// RecheckInterval is how often a gate is validated again (default 10m).
	RecheckInterval time.Duration
}

// gateProblem is a validation failure with its condition reason.
type gateProblem struct {
	reason    string
	message   string
	transient bool // retried soon; not Stalled
}

func (p *gateProblem) Error() string { return p.reason + ": " + p.message }

// RBAC of the NFTGate controller, and why:
// read the gates it validates.
// +kubebuilder:rbac:groups=streamgate.io,resources=nftgates,verbs=get;list;watch
// report whether they can work (merge patches only).
// +kubebuilder:rbac:groups=streamgate.io,resources=nftgates/status,verbs=get;patch
// read a gate's RPC URL from its tenant's Secret (one get, never cached), and watch Secrets'
// metadata so a created or rotated Secret re-validates its gates at once.
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch
// check a gate's indexerRef: its chain and the contracts it follows.
// +kubebuilder:rbac:groups=streamgate.io,resources=chainindexers,verbs=get;list;watch

func (r *NFTGateReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var gate streamgatev1alpha1.NFTGate
	if err := r.Get(ctx, req.NamespacedName, &gate); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	status := *gate.Status.DeepCopy()
	status.ObservedGeneration = gate.Generation
	cond := conditionSetter{conditions: &status.Conditions, generation: gate.Generation}

	contracts, err := r.validate(ctx, &gate)
	var problem *gateProblem
	switch {
	case errors.As(err, &problem) && problem.transient:
		cond.progressing(problem.reason, problem.message)
	case errors.As(err, &problem):
		cond.stalled(problem.reason, problem.message)
	case err != nil:
		return ctrl.Result{}, err
	default:
		status.Contracts = contracts
		cond.ready(reasonValidated, validatedMessage(&gate, contracts))
	}
	// A gate validated for this spec keeps its contracts through a
	// transient problem (its RPC node is down for now): streaming pods keep
	// serving tokens already issued, and refuse new sign-ins on their own.
	if problem != nil && (!problem.transient || gate.Status.ObservedGeneration != gate.Generation) {
		status.Contracts = nil
	}

	if !equality.Semantic.DeepEqual(gate.Status, status) {
		// lastValidated says since when the gate has been in this state;
		// rechecks that find nothing new write nothing.
		status.LastValidated = &metav1.Time{Time: r.now().Truncate(time.Second)}
		r.recordTransition(&gate, status)
		before := gate.DeepCopy()
		gate.Status = status
		if err := writeStatus(ctx, r.Client, &gate, before); err != nil {
			return ctrl.Result{}, err
		}
	}
	interval := r.RecheckInterval
	if interval == 0 {
		interval = 10 * time.Minute
	}
	if problem != nil && problem.transient {
		interval = min(interval, 30*time.Second)
	}
	return ctrl.Result{RequeueAfter: interval}, nil
}

func validatedMessage(gate *streamgatev1alpha1.NFTGate, contracts []streamgatev1alpha1.ContractStatus) string {
	where := fmt.Sprintf("chain %d", ptr.Deref(gate.Spec.Chain.ChainID, 0))
	if gate.Spec.Chain.Family == streamgatev1alpha1.ChainFamilySolana {
		where = "solana " + gate.Spec.Chain.Network
	}
	return fmt.Sprintf("%d contract(s) verified on %s", len(contracts), where)
}

// rpcURL reads the RPC URL from the gate's Secret.
func (r *NFTGateReconciler) rpcURL(ctx context.Context, namespace string, ref streamgatev1alpha1.SecretKeyReference) (string, error) {
	var secret corev1.Secret
	if err := r.APIReader.Get(ctx, types.NamespacedName{Namespace: namespace, Name: ref.Name}, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return "", &gateProblem{reason: reasonSecretNotFound, message: fmt.Sprintf("Secret %s not found", ref.Name)}
		}
		return "", fmt.Errorf("get Secret %s/%s: %w", namespace, ref.Name, err)
	}
	key := ref.Key
	if key == "" {
		key = "url"
	}
	url := strings.TrimSpace(string(secret.Data[key]))
	if url == "" {
		return "", &gateProblem{reason: reasonSecretNotFound, message: fmt.Sprintf("Secret %s has no key %q", ref.Name, key)}
	}
	return url, nil
}

func (r *NFTGateReconciler) validate(ctx context.Context, gate *streamgatev1alpha1.NFTGate) ([]streamgatev1alpha1.ContractStatus, error) {
	url, err := r.rpcURL(ctx, gate.Namespace, gate.Spec.Chain.RPC.SecretRef)
	if err != nil {
		return nil, err
	}
	conditions := gate.Spec.AnyOf
	if len(conditions) == 0 {
		conditions = gate.Spec.AllOf
	}
	if gate.Spec.Chain.Family == streamgatev1alpha1.ChainFamilySolana {
		return validateSolana(ctx, url, gate.Spec.Chain.Network, conditions)
	}
	contracts, err := validateEVM(ctx, url, uint64(ptr.Deref(gate.Spec.Chain.ChainID, 0)), conditions)
	if err != nil {
		return nil, err
	}
	return contracts, r.checkIndexer(ctx, gate, conditions)
}

// checkIndexer: an indexerRef must be of the gate's chain (streaming pods
// ignore one that is not), and must follow, as ERC721, every pass whose
// condition names no token ids: only an index can find them.
func (r *NFTGateReconciler) checkIndexer(ctx context.Context, gate *streamgatev1alpha1.NFTGate, conditions []streamgatev1alpha1.HoldingCondition) error {
	if gate.Spec.IndexerRef == nil {
		return nil
	}
	var needed []string
	for _, c := range conditions {
		if (c.Standard == streamgatev1alpha1.StandardERC5643 || c.Standard == streamgatev1alpha1.StandardERC4907) && len(c.TokenIDs) == 0 {
			needed = append(needed, c.Contract)
		}
	}
	name := gate.Spec.IndexerRef.Name
	var ci streamgatev1alpha1.ChainIndexer
	if err := r.Get(ctx, types.NamespacedName{Namespace: gate.Namespace, Name: name}, &ci); err != nil {
		if !apierrors.IsNotFound(err) {
			return fmt.Errorf("get ChainIndexer %s: %w", name, err)
		}
		if len(needed) == 0 {
			return nil // the RPC node answers meanwhile
		}
		return &gateProblem{reason: reasonIndexerNotFound, message: fmt.Sprintf("ChainIndexer %s not found: %s conditions without tokenIds are answered only by an indexer", name, strings.Join(needed, ", "))}
	}
	if got, want := ptr.Deref(ci.Spec.Chain.ChainID, 0), ptr.Deref(gate.Spec.Chain.ChainID, 0); got != want {
		return &gateProblem{reason: reasonIndexerChainMismatch, message: fmt.Sprintf("ChainIndexer %s follows chain %d, the gate is on chain %d", name, got, want)}
	}
	for _, contract := range needed {
		follows := false
		for _, c := range ci.Spec.Contracts {
			follows = follows || (strings.EqualFold(c.Address, contract) && c.Standard == streamgatev1alpha1.StandardERC721)
		}
		if !follows {
			return &gateProblem{reason: reasonIndexerDoesNotFollowPass, message: fmt.Sprintf("ChainIndexer %s does not follow %s as ERC721: add it to its contracts, or give the condition tokenIds", name, contract)}
		}
	}
	return nil
}

func validateEVM(ctx context.Context, url string, chainID uint64, conditions []streamgatev1alpha1.HoldingCondition) ([]streamgatev1alpha1.ContractStatus, error) {
	c, err := evm.Dial(ctx, url)
	if err != nil {
		return nil, &gateProblem{reason: reasonRPCUnreachable, message: "the RPC URL is not usable: " + err.Error(), transient: true}
	}
	defer c.Close()
	got, err := c.ChainID(ctx)
	if err != nil {
		return nil, &gateProblem{reason: reasonRPCUnreachable, message: redactURL(err.Error(), url), transient: true}
	}
	if got != chainID {
		return nil, &gateProblem{reason: reasonChainIDMismatch, message: fmt.Sprintf("the RPC node serves chain %d, the gate says %d", got, chainID)}
	}
	var out []streamgatev1alpha1.ContractStatus
	seen := map[string]bool{}
	for _, cond := range conditions {
		addr := common.HexToAddress(cond.Contract)
		if seen[addr.Hex()+string(cond.Standard)] {
			continue
		}
		seen[addr.Hex()+string(cond.Standard)] = true
		has, err := c.HasCode(ctx, addr)
		if err != nil {
			return nil, &gateProblem{reason: reasonRPCUnreachable, message: redactURL(err.Error(), url), transient: true}
		}
		if !has {
			return nil, &gateProblem{reason: reasonNoContractCode, message: fmt.Sprintf("no contract is deployed at %s on chain %d", addr.Hex(), chainID)}
		}
		var ok bool
		switch cond.Standard {
		case streamgatev1alpha1.StandardERC721:
			ok, err = c.SupportsInterface(ctx, addr, evm.InterfaceERC721)
		case streamgatev1alpha1.StandardERC1155:
			ok, err = c.SupportsInterface(ctx, addr, evm.InterfaceERC1155)
		case streamgatev1alpha1.StandardERC20:
			ok, err = c.LooksLikeERC20(ctx, addr)
		case streamgatev1alpha1.StandardERC5643:
			ok, err = c.SupportsInterface(ctx, addr, evm.InterfaceERC5643)
		case streamgatev1alpha1.StandardERC4907:
			ok, err = c.SupportsInterface(ctx, addr, evm.InterfaceERC4907)
		case streamgatev1alpha1.StandardUnlockKey:
			ok, err = c.AnswersGetHasValidKey(ctx, addr)
		}
		if err != nil {
			return nil, &gateProblem{reason: reasonRPCUnreachable, message: redactURL(err.Error(), url), transient: true}
		}
		if !ok {
			return nil, &gateProblem{reason: reasonStandardMismatch, message: fmt.Sprintf("%s does not answer as %s", addr.Hex(), cond.Standard)}
		}
		name, symbol := c.TokenInfo(ctx, addr)
		out = append(out, streamgatev1alpha1.ContractStatus{Address: addr.Hex(), Name: name, Symbol: symbol, StandardVerified: true})
	}
	return out, nil
}

func validateSolana(ctx context.Context, url, network string, conditions []streamgatev1alpha1.HoldingCondition) ([]streamgatev1alpha1.ContractStatus, error) {
	c := solana.NewClient(url)
	genesis, err := c.GenesisHash(ctx)
	if err != nil {
		return nil, &gateProblem{reason: reasonRPCUnreachable, message: redactURL(err.Error(), url), transient: true}
	}
	if want, known := solana.GenesisHashes[network]; known && genesis != want {
		return nil, &gateProblem{reason: reasonChainIDMismatch, message: fmt.Sprintf("the RPC node's genesis hash %s is not %s's", genesis, network)}
	}
	var out []streamgatev1alpha1.ContractStatus
	for _, cond := range conditions {
		owner, exists, err := c.AccountOwner(ctx, cond.Collection)
		if err != nil {
			return nil, &gateProblem{reason: reasonRPCUnreachable, message: redactURL(err.Error(), url), transient: true}
		}
		if !exists {
			return nil, &gateProblem{reason: reasonNoContractCode, message: fmt.Sprintf("collection mint %s does not exist on %s", cond.Collection, network)}
		}
		if owner != solana.TokenProgram.String() && owner != solana.Token2022.String() {
			return nil, &gateProblem{reason: reasonStandardMismatch, message: fmt.Sprintf("%s is not a token mint (owned by %s)", cond.Collection, owner)}
		}
		out = append(out, streamgatev1alpha1.ContractStatus{Address: cond.Collection, StandardVerified: true})
	}
	return out, nil
}

// redactURL keeps an RPC URL (which often embeds an API key) out of
// conditions and Events.
func redactURL(message, url string) string {
	return strings.ReplaceAll(message, url, "<rpc url>")
}

func (r *NFTGateReconciler) recordTransition(gate *streamgatev1alpha1.NFTGate, next streamgatev1alpha1.NFTGateStatus) {
	was := findCondition(gate.Status.Conditions, streamgatev1alpha1.ConditionReady)
	now := findCondition(next.Conditions, streamgatev1alpha1.ConditionReady)
	if now == nil || (was != nil && was.Status == now.Status && was.Reason == now.Reason) {
		return
	}
	kind := corev1.EventTypeNormal
	if now.Status != metav1.ConditionTrue {
		kind = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(gate, nil, kind, now.Reason, "Validate", "%s", now.Message)
}

func (r *NFTGateReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// SetupWithManager watches NFTGates, the metadata of Secrets (never their
// data, through the tenant Secret cache) so that a created or changed RPC
// Secret re-validates its gates, and the specs of ChainIndexers their
// indexerRefs name.
func (r *NFTGateReconciler) SetupWithManager(mgr ctrl.Manager) error {
	gates.setReader(mgr.GetClient())
	return ctrl.NewControllerManagedBy(mgr).
		For(&streamgatev1alpha1.NFTGate{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WatchesRawSource(tenantSecretWatch(r.TenantSecrets, r.gatesOfSecret)).
		Watches(&streamgatev1alpha1.ChainIndexer{}, handler.EnqueueRequestsFromMapFunc(r.gatesOfIndexer),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("nftgate").
		Complete(r)
}

func (r *NFTGateReconciler) gatesOfIndexer(ctx context.Context, indexer client.Object) []reconcile.Request {
	return r.gatesWhere(ctx, indexer.GetNamespace(), func(g *streamgatev1alpha1.NFTGate) bool {
		return g.Spec.IndexerRef != nil && g.Spec.IndexerRef.Name == indexer.GetName()
	})
}

func (r *NFTGateReconciler) gatesOfSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	return r.gatesWhere(ctx, secret.GetNamespace(), func(g *streamgatev1alpha1.NFTGate) bool {
		return g.Spec.Chain.RPC.SecretRef.Name == secret.GetName()
	})
}

// gatesWhere are the requests of the namespace's gates that match.
func (r *NFTGateReconciler) gatesWhere(ctx context.Context, namespace string, match func(*streamgatev1alpha1.NFTGate) bool) []reconcile.Request {
	var gates streamgatev1alpha1.NFTGateList
	if err := r.List(ctx, &gates, client.InNamespace(namespace)); err != nil {
		return nil
	}
	var requests []reconcile.Request
	for i := range gates.Items {
		if g := &gates.Items[i]; match(g) {
			requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: g.Namespace, Name: g.Name}})
		}
	}
	return requests
}
