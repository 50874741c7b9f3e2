package controller

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/chain/solana"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// The catalog concern of the StreamEndpoint controller: which Videos an
// endpoint serves, behind which resolved gates, and what keeps some out.

// endpointCatalog is what an endpoint serves: the catalog its pods read,
// the RPC Secrets its gates need, and what keeps videos out or not ready.
type endpointCatalog struct {
	*catalog.Catalog
	rpcSecrets map[string]streamgatev1alpha1.SecretKeyReference
	problems   catalogProblems
}

// catalogProblems are why a built catalog is not all the endpoint should
// serve.
type catalogProblems struct {
	gatesNotReady []string
	// overlapping are videos left out because their output folder is,
	// holds or lies in another selected video's on the same claim.
	overlapping []string
}

// buildCatalog lists the endpoint's Ready videos with their resolved gates.
// It also returns the RPC Secrets the gates need and what is wrong.
func (r *StreamEndpointReconciler) buildCatalog(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint) (*endpointCatalog, error) {
	selector, err := metav1.LabelSelectorAsSelector(&se.Spec.VideoSelector)
	if err != nil {
		return nil, fmt.Errorf("videoSelector: %w", err)
	}
	var videos streamgatev1alpha1.VideoList
	if err := r.List(ctx, &videos, client.InNamespace(se.Namespace), client.MatchingLabelsSelector{Selector: selector}); err != nil {
		return nil, fmt.Errorf("list Videos: %w", err)
	}
	ttl := 10 * time.Minute
	if se.Spec.TokenTTL != nil {
		ttl = se.Spec.TokenTTL.Duration
	}
	cat := &catalog.Catalog{TokenTTL: catalog.Duration{Duration: ttl}, AllowedOrigins: se.Spec.AllowedOrigins, Videos: []catalog.Video{}}
	if in := se.Spec.SignIn; in != nil {
		cat.SignIn = catalog.SignIn{Origins: in.Origins, TrustedProxies: in.TrustedProxies,
			PerClientPerMinute: int(in.RateLimit.PerClientPerMinute), PerWalletPerMinute: int(in.RateLimit.PerWalletPerMinute)}
	}
	rpc := map[string]streamgatev1alpha1.SecretKeyReference{}
	notReady := map[string]bool{}
	gates := map[string]*catalog.Gate{}
	for _, v := range videos.Items {
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.Playback == nil {
			continue
		}
		entry := catalog.Video{Namespace: v.Namespace, Name: v.Name,
			Playlist: v.Status.Playback.MasterPlaylist, Title: v.Annotations["streamgate.io/title"]}
		switch out := v.Spec.Output; {
		case out.Volume != nil:
			entry.Claim = out.Volume.ClaimName
		case out.ObjectStore != nil:
			entry.Store = objectStoreOf(out.ObjectStore, rpc)
		case out.IPFS != nil:
			if v.Status.Playback.CID == "" {
				continue // published before its CID was known: nothing to serve
			}
			entry.Store = &catalog.Store{Kind: catalog.StoreIPFS, API: out.IPFS.API, Gateway: out.IPFS.Gateway}
		}
		// A ladder published in a revision folder: the Video's URLs reach
		// its whole output folder (older revisions too, for players that
		// loaded an older master), and the master is the current one.
		if rev := v.Status.Playback.Revision; rev != "" && path.Base(path.Dir(entry.Playlist)) == rev {
			entry.Root, entry.Revision = path.Dir(path.Dir(entry.Playlist)), rev
		}
		gateRef := v.Spec.GateRef
		if gateRef == nil {
			gateRef = se.Spec.GateRef
		}
		if gateRef != nil {
			g, ok := gates[gateRef.Name]
			if !ok {
				if g, err = r.resolveGate(ctx, se.Namespace, gateRef.Name, rpc); err != nil {
					return nil, err
				}
				gates[gateRef.Name] = g
			}
			if !g.Ready {
				notReady[gateRef.Name] = true
			}
			entry.Gate = g
		}
		cat.Videos = append(cat.Videos, entry)
	}
	sort.Slice(cat.Videos, func(i, j int) bool { return cat.Videos[i].Key() < cat.Videos[j].Key() })
	var problems catalogProblems
	cat.Videos, problems.overlapping = withoutOverlaps(cat.Videos)
	for name := range notReady {
		problems.gatesNotReady = append(problems.gatesNotReady, name)
	}
	sort.Strings(problems.gatesNotReady)
	return &endpointCatalog{Catalog: cat, rpcSecrets: rpc, problems: problems}, nil
}

// objectStoreOf is the catalog's view of a bucket. Its credentials are
// copied into the endpoint's Secret as s3.<Secret name>.accessKeyID and
// .secretAccessKey: the streaming pods mount that Secret alone.
func objectStoreOf(o *streamgatev1alpha1.ObjectStoreOutput, copied map[string]streamgatev1alpha1.SecretKeyReference) *catalog.Store {
	key := s3CredentialsPrefix + o.CredentialsSecretRef.Name
	for _, k := range []string{streamgatev1alpha1.S3AccessKeyIDKey, streamgatev1alpha1.S3SecretAccessKeyKey} {
		copied[key+"."+k] = streamgatev1alpha1.SecretKeyReference{Name: o.CredentialsSecretRef.Name, Key: k}
	}
	return &catalog.Store{Kind: catalog.StoreS3, Endpoint: o.Endpoint, Region: o.Region, PathStyle: o.PathStyleOrDefault(),
		Bucket: o.Bucket, CredentialsKey: key, PublicBaseURL: o.PublicBaseURL}
}

// s3CredentialsPrefix starts the keys of copied S3 credentials in the
// endpoint's Secret, as "rpc." starts the RPC URLs'.
const s3CredentialsPrefix = "s3."

// withoutOverlaps leaves out every video whose folder is, holds or lies in
// another's on the same claim: serving either would let a request for one
// read the other's files (a public trailer at films/x would open the gated
// film at films/x/full). The Video controller refuses to transcode into
// such a folder, so this only bites on what was published before.
func withoutOverlaps(videos []catalog.Video) (kept []catalog.Video, left []string) {
	overlapping := catalog.OverlappingVideos(videos)
	kept = make([]catalog.Video, 0, len(videos))
	for _, v := range videos {
		if _, ok := overlapping[v.Key()]; ok {
			left = append(left, v.Name)
			continue
		}
		kept = append(kept, v)
	}
	return kept, left
}

func (r *StreamEndpointReconciler) resolveGate(ctx context.Context, namespace, name string, rpc map[string]streamgatev1alpha1.SecretKeyReference) (*catalog.Gate, error) {
	var g streamgatev1alpha1.NFTGate
	if err := r.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, &g); err != nil {
		if apierrors.IsNotFound(err) {
			return &catalog.Gate{Policy: gate.Policy{Name: namespace + "/" + name}, Reason: fmt.Sprintf("NFTGate %s not found", name)}, nil
		}
		return nil, fmt.Errorf("get NFTGate %s: %w", name, err)
	}
	conditions := g.Spec.AnyOf
	if len(conditions) == 0 {
		conditions = g.Spec.AllOf
	}
	out := &catalog.Gate{
		Policy: gate.Policy{Name: fmt.Sprintf("%s/%s@%d", namespace, name, g.Generation), RequireAll: len(g.Spec.AllOf) > 0},
		Family: string(g.Spec.Chain.Family), RPCKey: "rpc." + name,
	}
	if g.Spec.CacheTTL != nil {
		out.CacheTTL = g.Spec.CacheTTL.Duration
	}
	if g.Spec.Chain.Family == streamgatev1alpha1.ChainFamilySolana {
		out.ChainID = solana.SignInChainID(g.Spec.Chain.Network)
	} else {
		out.ChainID = strconv.FormatInt(ptr.Deref(g.Spec.Chain.ChainID, 0), 10)
	}
	for _, c := range conditions {
		out.Conditions = append(out.Conditions, gate.Condition{Standard: gate.Standard(c.Standard), Contract: c.Contract,
			TokenIDs: c.TokenIDs, MinBalance: c.MinBalance, Collection: c.Collection, OwnersDuringRental: ptr.Deref(c.OwnersDuringRental, false)})
	}
	if g.Spec.IndexerRef != nil {
		var ci streamgatev1alpha1.ChainIndexer
		if err := r.Get(ctx, types.NamespacedName{Namespace: namespace, Name: g.Spec.IndexerRef.Name}, &ci); err == nil {
			// Streaming pods ask it while it is caught up, the RPC node otherwise.
			out.IndexerURL = ci.Status.URL
		}
	}
	ready := findCondition(g.Status.Conditions, streamgatev1alpha1.ConditionReady)
	switch {
	case ready == nil || ready.ObservedGeneration != g.Generation:
		out.Reason = fmt.Sprintf("NFTGate %s is not validated yet", name)
	case ready.Status != metav1.ConditionTrue && !(ready.Reason == reasonRPCUnreachable && len(g.Status.Contracts) > 0):
		out.Reason = fmt.Sprintf("NFTGate %s: %s: %s", name, ready.Reason, ready.Message)
	default:
		// Validated, or validated for this spec with its RPC node down for
		// now: tokens already issued keep playing until they expire, and
		// new sign-ins are refused by the pods themselves (503
		// ChainUnavailable) until the node is back.
		out.Ready = true
		rpc[out.RPCKey] = g.Spec.Chain.RPC.SecretRef
	}
	return out, nil
}

func claimsOf(cat *catalog.Catalog) []string {
	seen := map[string]bool{}
	var claims []string
	for _, v := range cat.Videos {
		if v.Claim != "" && !seen[v.Claim] {
			seen[v.Claim] = true
			claims = append(claims, v.Claim)
		}
	}
	sort.Strings(claims)
	return claims
}

func gated(cat *catalog.Catalog) bool {
	for _, v := range cat.Videos {
		if v.Gate != nil {
			return true
		}
	}
	return false
}
