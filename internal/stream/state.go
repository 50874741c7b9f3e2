// Package stream is the HTTP server of `streamgate serve`: it serves HLS
// ladders from the mounted volumes, signs viewers in with their wallets,
// issues playback tokens and checks one HMAC per segment request.
package stream

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/chain"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/chain/solana"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// Files of the endpoint's Secret, mounted as a folder.
const (
	SigningKeyFile         = "signing-key"
	PreviousSigningKeyFile = "previous-signing-key"
	PreviousValidUntilFile = "previous-valid-until"
)

// state is one consistent view of catalog and keys; a reload swaps it whole.
type state struct {
	catalog *catalog.Catalog
	videos  map[string]*videoEntry
	keys    *gate.Keyring
	nonces  *gate.Nonces
	digest  string
	// revision is the catalog's catalog.Revision, which /storagez reports.
	revision string
	// origins are where viewers may sign in (none: gated sign-in refused);
	// originNames are the same, as /auth/nonce advertises them.
	origins     []siwe.Origin
	originNames []string
	proxies     []netip.Prefix
	clients     *limiter // /auth/* requests by client address
	wallets     *limiter // sign-ins by wallet address
}

type videoEntry struct {
	catalog.Video
	// root is the video's claim, opened once. Each request opens the
	// video's own folder beneath it and resolves the file in there, so
	// nothing outside that folder can be read, symlinks included. A handle
	// on the folder itself cannot be kept: a new ladder is published by
	// swapping the folder, which a handle would not follow.
	root *os.Root
	// claim is the same mount for the kernel's confined lookups (Linux).
	claim     *claimDir
	dir       string // the video's folder on the claim
	evaluator *gate.Evaluator
	verifier  chain.Verifier
	// store reads a video held in an object store or IPFS (nil: a claim).
	store *storeReader
}

// openWithRoot opens file inside the video's own folder with os.Root: the
// portable way, a component at a time.
func (v *videoEntry) openWithRoot(file string) (*os.File, error) {
	folder, err := v.root.OpenRoot(v.dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = folder.Close() }()
	return folder.Open(file)
}

// loader builds states from the mounted files.
type loader struct {
	catalogFile string
	secretDir   string
	claimsRoot  string
	log         logr.Logger

	mu          sync.Mutex
	clients     map[string]*rpcClients // by RPC URL, kept across reloads
	roots       map[string]*os.Root
	claimDirs   map[string]*claimDir
	evaluators  map[string]*gate.Evaluator
	indexers    map[string]*indexerReader
	stores      map[string]*storeReader // by store and credentials
	nonces      map[string]*gate.Nonces
	clientLimit *limiter
	walletLimit *limiter
}

// indexerReader is a ChainIndexer's holdings and the change stream it
// follows, stopped when no gate names it any more.
type indexerReader struct {
	holdings *gate.IndexerHoldings
	stop     context.CancelFunc
}

type rpcClients struct {
	evm    *evm.Client
	solana *solana.Client
}

// digest fingerprints the inputs, so an unchanged reload is skipped.
func (l *loader) digest() (string, error) {
	h := sha256.New()
	data, err := os.ReadFile(l.catalogFile)
	if err != nil {
		return "", err
	}
	h.Write(data)
	entries, _ := os.ReadDir(l.secretDir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue // the kubelet's ..data links
		}
		b, _ := os.ReadFile(filepath.Join(l.secretDir, e.Name()))
		h.Write([]byte(e.Name()))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (l *loader) load(ctx context.Context) (*state, error) {
	digest, err := l.digest()
	if err != nil {
		return nil, err
	}
	cat, revision, err := catalog.Load(l.catalogFile)
	if err != nil {
		return nil, err
	}
	keys, nonceKey, err := l.keys()
	if err != nil {
		return nil, err
	}
	s := &state{catalog: cat, videos: map[string]*videoEntry{}, keys: keys, digest: digest, revision: revision}
	// Parse checked both already.
	s.origins, _ = cat.SignIn.ParsedOrigins()
	for _, o := range s.origins {
		s.originNames = append(s.originNames, o.String())
	}
	s.proxies, _ = cat.SignIn.ParsedProxies()
	l.mu.Lock()
	defer l.mu.Unlock()
	// Buckets survive reloads that keep the rate.
	if l.clientLimit == nil || l.clientLimit.perMinute != float64(cat.SignIn.PerClientPerMinute) {
		l.clientLimit = newLimiter(cat.SignIn.PerClientPerMinute)
	}
	if l.walletLimit == nil || l.walletLimit.perMinute != float64(cat.SignIn.PerWalletPerMinute) {
		l.walletLimit = newLimiter(cat.SignIn.PerWalletPerMinute)
	}
	s.clients, s.wallets = l.clientLimit, l.walletLimit
	if l.nonces == nil {
		l.nonces = map[string]*gate.Nonces{}
	}
	// Keep the used-nonce memory across reloads that keep the key.
	if s.nonces = l.nonces[string(nonceKey)]; s.nonces == nil {
		s.nonces = gate.NewNonces(nonceKey, 5*time.Minute)
		l.nonces = map[string]*gate.Nonces{string(nonceKey): s.nonces}
	}
	overlapping := catalog.OverlappingVideos(cat.Videos)
	usedURLs, usedEvaluators, usedIndexers := map[string]bool{}, map[string]bool{}, map[string]bool{}
	usedStores := map[*storeReader]bool{}
	for _, v := range cat.Videos {
		e := &videoEntry{Video: v, dir: v.Dir()}
		if other, ok := overlapping[v.Key()]; ok {
			// The operator never publishes this; if it happens anyway, a
			// request for one video must not read the other's files.
			l.log.Error(nil, "the video's folder is, holds or lies in another video's; it answers 404", "video", v.Key(), "other", other)
			s.videos[v.Key()] = e
			continue
		}
		if v.Store != nil {
			if e.store, err = l.storeFor(v.Store); err != nil {
				l.log.Error(err, "store unusable; the video answers 404", "video", v.Key())
			} else {
				usedStores[e.store] = true
			}
		} else if e.root, e.claim, err = l.claimRoot(v.Claim); err != nil {
			l.log.Error(err, "claim not mounted; the video answers 404", "video", v.Key())
		}
		if v.Gate != nil && v.Gate.Ready {
			clients, url, err := l.clientsFor(ctx, v.Gate.RPCKey, v.Gate.Family)
			if err != nil {
				l.log.Error(err, "RPC for the gate unusable; sign-ins answer 503", "video", v.Key())
			} else {
				usedURLs[url] = true
				e.verifier = clients.verifier(v.Gate.Family)
				holdings := clients.holdings(v.Gate.Family)
				if v.Gate.IndexerURL != "" {
					key := v.Gate.IndexerURL + "\x00" + v.Gate.ChainID + "\x00" + url
					holdings = l.indexerFor(ctx, key, v.Gate, holdings)
					usedIndexers[key] = true
				}
				key := v.Gate.RPCKey + "\x00" + v.Gate.Name + "\x00" + v.Gate.IndexerURL
				e.evaluator = l.evaluatorFor(key, holdings)
				usedEvaluators[key] = true
			}
		}
		s.videos[v.Key()] = e
	}
	// Caches of gates no video names any more (a new generation) go.
	for key := range l.evaluators {
		if !usedEvaluators[key] {
			delete(l.evaluators, key)
		}
	}
	// Readers of stores (or credentials) no video names any more go.
	for key, r := range l.stores {
		if !usedStores[r] {
			delete(l.stores, key)
		}
	}
	// Readers of indexers no gate names any more stop following them.
	for key, r := range l.indexers {
		if !usedIndexers[key] {
			r.stop()
			delete(l.indexers, key)
		}
	}
	// Clients of RPC URLs no gate names any more (a rotated key) are
	// forgotten, not closed: a request of the previous state may still use
	// one.
	for url := range l.clients {
		if !usedURLs[url] {
			delete(l.clients, url)
		}
	}
	return s, nil
}

func (l *loader) keys() (*gate.Keyring, []byte, error) {
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(l.secretDir, name))
		return bytes.TrimSpace(b), err
	}
	current, err := read(SigningKeyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("read the signing key: %w", err)
	}
	secret, err := hex.DecodeString(string(current))
	if err != nil {
		return nil, nil, fmt.Errorf("the signing key is not hex: %w", err)
	}
	key, err := gate.NewKey(secret)
	if err != nil {
		return nil, nil, err
	}
	ring := &gate.Keyring{Current: key}
	if prev, err := read(PreviousSigningKeyFile); err == nil && len(prev) > 0 {
		until, _ := read(PreviousValidUntilFile)
		if t, err := time.Parse(time.RFC3339, string(until)); err == nil {
			if ps, err := hex.DecodeString(string(prev)); err == nil {
				if pk, err := gate.NewKey(ps); err == nil {
					ring.Previous, ring.PreviousUntil = pk, t
				}
			}
		}
	}
	// Replicas share the nonce key through the Secret; it is derived so the
	// signing key itself never signs cookies.
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("streamgate sign-in nonce"))
	return ring, mac.Sum(nil), nil
}

func (l *loader) clientsFor(ctx context.Context, rpcKey, family string) (*rpcClients, string, error) {
	raw, err := os.ReadFile(filepath.Join(l.secretDir, rpcKey))
	if err != nil {
		return nil, "", fmt.Errorf("read RPC URL %s: %w", rpcKey, err)
	}
	url := strings.TrimSpace(string(raw))
	if l.clients == nil {
		l.clients = map[string]*rpcClients{}
	}
	if c, ok := l.clients[url]; ok {
		return c, url, nil
	}
	c := &rpcClients{}
	if family == "solana" {
		c.solana = solana.NewClient(url)
	} else if c.evm, err = evm.Dial(ctx, url); err != nil {
		return nil, "", err
	}
	l.clients[url] = c
	return c, url, nil
}

func (c *rpcClients) holdings(family string) gate.Holdings {
	if family == "solana" {
		return &gate.SolanaHoldings{Client: c.solana}
	}
	return &gate.EVMHoldings{Client: c.evm}
}

func (c *rpcClients) verifier(family string) chain.Verifier {
	if family == "solana" {
		return &chain.SignInVerifier{}
	}
	// EIP-1271 wallets are asked on the gate's own chain.
	return &chain.SignInVerifier{Wallets: func(uint64) chain.WalletChecker { return c.evm }}
}

// evaluatorFor keeps a gate's decision cache across reloads.
func (l *loader) evaluatorFor(key string, holdings gate.Holdings) *gate.Evaluator {
	if l.evaluators == nil {
		l.evaluators = map[string]*gate.Evaluator{}
	}
	e, ok := l.evaluators[key]
	if !ok {
		e = &gate.Evaluator{}
		l.evaluators[key] = e
	}
	e.Holdings = holdings
	return e
}

// claimRoot opens a claim's mount once and keeps it across reloads.
func (l *loader) claimRoot(claim string) (*os.Root, *claimDir, error) {
	if r, ok := l.roots[claim]; ok {
		return r, l.claimDirs[claim], nil
	}
	path := filepath.Join(l.claimsRoot, claim)
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, nil, err
	}
	dir, err := openClaimDir(path)
	if err != nil {
		_ = r.Close()
		return nil, nil, err
	}
	if l.roots == nil {
		l.roots, l.claimDirs = map[string]*os.Root{}, map[string]*claimDir{}
	}
	l.roots[claim], l.claimDirs[claim] = r, dir
	return r, dir, nil
}

// indexerFor reads holdings from a gate's ChainIndexer, falling back to the
// gate's RPC, and follows its change stream so that a sale on chain drops
// cached decisions within a block or two. One per indexer, chain and RPC
// URL (key): gates that share all three share it.
func (l *loader) indexerFor(ctx context.Context, key string, g *catalog.Gate, fallback gate.Holdings) gate.Holdings {
	if l.indexers == nil {
		l.indexers = map[string]*indexerReader{}
	}
	if r, ok := l.indexers[key]; ok {
		return r.holdings
	}
	chainID, _ := strconv.ParseUint(g.ChainID, 10, 64) // not a number: believed for no chain
	h := &gate.IndexerHoldings{URL: g.IndexerURL, ChainID: chainID, Fallback: fallback}
	watchCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.indexers[key] = &indexerReader{holdings: h, stop: stop}
	go h.Watch(watchCtx, func(address string) {
		l.mu.Lock()
		evaluators := make([]*gate.Evaluator, 0, len(l.evaluators))
		for _, e := range l.evaluators {
			evaluators = append(evaluators, e)
		}
		l.mu.Unlock()
		for _, e := range evaluators {
			e.Forget(address)
		}
	})
	return h
}
