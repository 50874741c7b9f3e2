package stream

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/chain"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/lru"
	"github.com/streamgate-io/streamgate/internal/redact"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// Config of a streaming server.
type Config struct {
	CatalogFile string
	SecretDir   string
	ClaimsRoot  string
	// ReloadInterval is how often the mounted files are checked for changes.
	ReloadInterval time.Duration
	// StoreCacheBytes bounds the files kept in memory from object stores
	// and IPFS (default DefaultStoreCacheBytes).
	StoreCacheBytes int64
	// StoreCheckInterval is how often the stores are checked (default
	// DefaultStoreCheckInterval).
	StoreCheckInterval time.Duration
	Log                logr.Logger
	Registry           *prometheus.Registry
}

// Server serves one StreamEndpoint's catalog.
type Server struct {
	loader    *loader
	state     atomic.Pointer[state]
	metrics   *serverMetrics
	log       logr.Logger
	interval  time.Duration
	playlists *lru.Cache[string, *cachedPlaylist] // claim, folder and file -> parsed playlist
	// storeCache holds whole playlists and segments read from stores.
	storeCache *storage.Cache
	// storeChecks are the last checks of the stores, for the controller.
	storeChecks        storeChecks
	storeCheckInterval time.Duration
	now                func() time.Time
	draining           atomic.Bool
}

// New loads the catalog and keys once; Run keeps them current.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		loader:    &loader{catalogFile: cfg.CatalogFile, secretDir: cfg.SecretDir, claimsRoot: cfg.ClaimsRoot, log: cfg.Log},
		metrics:   newServerMetrics(cfg.Registry),
		log:       cfg.Log,
		interval:  cfg.ReloadInterval,
		now:       time.Now,
		playlists: lru.New[string, *cachedPlaylist](maxPlaylists),
	}
	if cfg.StoreCacheBytes <= 0 {
		cfg.StoreCacheBytes = DefaultStoreCacheBytes
	}
	s.storeCache = storage.NewCache(cfg.StoreCacheBytes, maxCachedObject)
	if s.storeCheckInterval = cfg.StoreCheckInterval; s.storeCheckInterval <= 0 {
		s.storeCheckInterval = DefaultStoreCheckInterval
	}
	registerStoreCacheMetrics(cfg.Registry, s.storeCache)
	if s.interval == 0 {
		s.interval = 2 * time.Second
	}
	st, err := s.loader.load(ctx)
	if err != nil {
		return nil, err
	}
	s.state.Store(st)
	s.metrics.registry = cfg.Registry
	return s, nil
}

// Run reloads the catalog and keys when the mounted files change (the
// kubelet updates ConfigMap and Secret volumes in place), until ctx ends.
// It checks the stores at start, after a reload, and every store check
// interval.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	checks := time.NewTicker(s.storeCheckInterval)
	defer checks.Stop()
	s.checkStores(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s.Reload(ctx) {
				s.checkStores(ctx)
			}
		case <-checks.C:
			s.checkStores(ctx)
		}
	}
}

// Reload re-reads the mounted files if they changed, and says whether it
// took a new catalog.
func (s *Server) Reload(ctx context.Context) bool {
	digest, err := s.loader.digest()
	if err != nil || digest == s.state.Load().digest {
		return false
	}
	st, err := s.loader.load(ctx)
	if err != nil {
		s.log.Error(err, "reload failed; keeping the previous catalog")
		return false
	}
	s.state.Store(st)
	s.log.Info("catalog reloaded", "videos", len(st.videos))
	return true
}

// MetricsHandler serves /metrics, on a port of its own that the viewers'
// Service does not expose.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc(catalog.StorageHealthPath, s.serveStorageHealth)
	return mux
}

// Drain makes /readyz answer 503, while everything else is still served:
// the pod is going, and load balancers should stop sending viewers here.
func (s *Server) Drain() { s.draining.Store(true) }

// Handler routes viewers' requests. It does its own routing: net/http's
// mux would clean "..", and a traversal attempt must get a plain 404.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/v/"):
			s.serveVideo(w, r)
		case p == "/auth/nonce":
			s.instrument("nonce", s.handleNonce)(w, r)
		case p == "/auth/checksum":
			if s.allowClient(w, r, s.state.Load()) {
				handleChecksum(w, r)
			}
		case p == "/auth/verify":
			s.instrument("verify", s.handleVerify)(w, r)
		case strings.HasPrefix(p, "/watch/"):
			s.instrument("watch", s.handleWatch)(w, r)
		case strings.HasPrefix(p, "/assets/"):
			s.instrument("assets", serveAsset)(w, r)
		case p == "/favicon.ico":
			// Browsers ask for it on every page; there is none.
			w.WriteHeader(http.StatusNoContent)
		case p == "/healthz":
			_, _ = w.Write([]byte("ok"))
		case p == "/readyz":
			if s.state.Load() == nil {
				http.Error(w, "no catalog", http.StatusServiceUnavailable)
				return
			}
			if s.draining.Load() {
				http.Error(w, "shutting down", http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte("ok"))
		default:
			http.NotFound(w, r)
		}
	})
}

// splitVideoPath reads /v/{namespace}/{name}/{file...} without allocating:
// key and file are substrings of the path. Any empty, "." or ".." segment,
// a backslash or a NUL is refused, and so is an encoded slash.
func splitVideoPath(r *http.Request) (key, file string, ok bool) {
	if r.URL.RawPath != "" {
		// Only set when the path had escapes that matter (%2F and kin).
		lower := strings.ToLower(r.URL.RawPath)
		if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") {
			return "", "", false
		}
	}
	p := r.URL.Path[len("/v/"):]
	slashes, start := 0, 0
	keyEnd := -1
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			if p[i] == '\\' || p[i] == 0 {
				return "", "", false
			}
			continue
		}
		segment := p[start:i]
		if segment == "" || segment == "." || segment == ".." {
			return "", "", false
		}
		slashes++
		if slashes == 2 {
			keyEnd = i
		}
		start = i + 1
	}
	if slashes < 3 {
		return "", "", false
	}
	return p[:keyEnd], p[keyEnd+1:], true
}

// queryToken reads t=... from the raw query without parsing all of it.
func queryToken(raw string) string {
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if strings.HasPrefix(part, "t=") {
			if v, err := url.QueryUnescape(part[2:]); err == nil {
				return v
			}
		}
	}
	return ""
}

const (
	tokenCookie    = "sg_token"
	masterPlaylist = "master.m3u8"
)

func (s *Server) serveVideo(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := statusRecorder{ResponseWriter: w, status: http.StatusOK}
	route := routeSegment
	defer func() { s.metrics.observe(route, rec.status, rec.bytes, start) }()
	w = &rec

	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		refuseMethodGet.write(w)
		return
	}
	st := s.state.Load()
	key, file, ok := splitVideoPath(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(file, ".m3u8") {
		route = routePlaylist
	}
	video := st.videos[key]
	if video == nil || (video.root == nil && video.store == nil) {
		http.NotFound(w, r)
		return
	}
	if len(st.catalog.AllowedOrigins) > 0 {
		s.cors(w, r, st)
	}
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	token := ""
	if video.Gate != nil {
		if !video.Gate.Ready {
			refuseGate.write(w)
			return
		}
		token = queryToken(r.URL.RawQuery)
		if token == "" {
			if c, err := r.Cookie(tokenCookie); err == nil {
				token = c.Value
			}
		}
		if token == "" {
			s.metrics.denied("missing")
			refuseNoToken.write(w)
			return
		}
		if _, err := st.keys.Verify(token, key, s.now()); err != nil {
			s.metrics.denied(denialReason(err))
			tokenRefusal(err).write(w)
			return
		}
	}
	if route == routePlaylist {
		if video.Revision != "" && file == masterPlaylist {
			// The current revision's master, its URIs into the revision
			// folder: every segment URL names the ladder it belongs to.
			s.servePlaylist(w, r, video, video.Revision+"/"+masterPlaylist, video.Revision+"/", token)
			return
		}
		s.servePlaylist(w, r, video, file, "", token)
		return
	}
	// Top-level files other than the master (the poster) are the current
	// revision's: the player names them without a revision.
	current := video.Revision != "" && !strings.Contains(file, "/")
	if current {
		file = video.Revision + "/" + file
	}
	// Segments never change once published: a new ladder has new files. A
	// top-level file of a revisioned video (the poster) is the current
	// revision's, so it changes with it.
	var cacheControl []string
	switch {
	case current && video.Gate != nil:
		cacheControl = cachePrivateShort
	case current:
		cacheControl = cachePublicShort
	case video.Gate != nil:
		cacheControl = cachePrivateImmutable
	default:
		cacheControl = cachePublicImmutable
	}
	if video.store != nil {
		s.serveStored(w, r, video, file, cacheControl)
		return
	}
	f, err := video.open(file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{contentType(file)}
	h["Etag"] = []string{etag(info)}
	h["Cache-Control"] = cacheControl
	http.ServeContent(w, r, "", info.ModTime(), f)
}

var (
	cachePrivateImmutable = []string{"private, max-age=31536000, immutable"}
	cachePublicImmutable  = []string{"public, max-age=31536000, immutable"}
)

func etag(info fs.FileInfo) string {
	b := make([]byte, 0, 40)
	b = append(b, '"')
	b = strconv.AppendInt(b, info.Size(), 16)
	b = append(b, '-')
	b = strconv.AppendInt(b, info.ModTime().UnixNano(), 16)
	return string(append(b, '"'))
}

func denialReason(err error) string {
	switch {
	case errors.Is(err, gate.ErrTokenExpired):
		return "expired"
	case errors.Is(err, gate.ErrTokenScope):
		return "scope"
	case errors.Is(err, gate.ErrTokenSignature):
		return "signature"
	default:
		return "malformed"
	}
}

func contentType(file string) string {
	switch path.Ext(file) {
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".m4s":
		return "video/iso.segment"
	case ".mp4":
		return "video/mp4"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".ts":
		return "video/mp2t"
	default:
		return "application/octet-stream"
	}
}

func (s *Server) cors(w http.ResponseWriter, r *http.Request, st *state) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	for _, allowed := range st.catalog.AllowedOrigins {
		if origin == allowed {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Range")
			h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag")
			h.Add("Vary", "Origin")
			return
		}
	}
}

// allowClient charges the client's bucket; false means it answered 429.
func (s *Server) allowClient(w http.ResponseWriter, r *http.Request, st *state) bool {
	ok, retry := st.clients.allow(clientKey(clientAddress(r, st.proxies)), s.now())
	if !ok {
		s.metrics.rateLimited("client")
		writeRetryAfter(w, retry)
	}
	return ok
}

// requestOrigin is the configured origin the browser says the request comes
// from; present is false when it sent no Origin header. An Origin that is
// not configured is refused by the callers.
func requestOrigin(r *http.Request, origins []siwe.Origin) (o siwe.Origin, present, known bool) {
	header := r.Header.Get("Origin")
	if header == "" {
		return siwe.Origin{}, false, false
	}
	parsed, err := siwe.ParseOrigin(header)
	if err != nil {
		return siwe.Origin{}, true, false
	}
	for _, c := range origins {
		if c == parsed {
			return c, true, true
		}
	}
	return siwe.Origin{}, true, false
}

// handleNonce starts a sign-in: a fresh nonce, bound to a cookie, and what
// the message must say. The domain and URI come from the endpoint's
// configured origins, never from the request's Host.
func (s *Server) handleNonce(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuseMethodPost.write(w)
		return
	}
	st := s.state.Load()
	if !s.allowClient(w, r, st) {
		return
	}
	if len(st.origins) == 0 {
		refuseNoSignIn.write(w)
		return
	}
	origin, present, known := requestOrigin(r, st.origins)
	switch {
	case present && !known:
		refuseOrigin.write(w)
		return
	case !present:
		origin = st.origins[0]
	}
	var req struct {
		Video string `json:"video"`
	}
	_ = json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req)
	answer := map[string]any{}
	if v := st.videos[req.Video]; v != nil && v.Gate != nil {
		answer["family"], answer["chainId"] = v.Gate.Family, v.Gate.ChainID
	}
	now := s.now()
	nonce, cookie := st.nonces.Issue(now)
	http.SetCookie(w, &http.Cookie{Name: "sg_nonce", Value: cookie, Path: "/auth/", HttpOnly: true,
		Secure: origin.Scheme == "https", SameSite: http.SameSiteStrictMode, Expires: now.Add(st.nonces.TTL)})
	answer["nonce"], answer["domain"], answer["uri"], answer["origins"] = nonce, origin.Authority(), origin.String(), st.originNames
	answer["expiresAt"] = now.Add(st.nonces.TTL).UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(answer)
}

// handleVerify checks a signed sign-in message and the video's gate, then
// issues a playback token. Cheap checks come first, and nothing that can
// be refused locally costs a chain call: the client's rate, the body, the
// configured origins, the message's shape, the nonce cookie (one HMAC),
// the message's fields, the signature (ecrecover / ed25519), the wallet's
// rate; only then the nonce is spent and the chain asked (EIP-1271 when the
// signer is a contract, then the holdings).
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuseMethodPost.write(w)
		return
	}
	st := s.state.Load()
	if !s.allowClient(w, r, st) {
		return
	}
	var req struct {
		Video string `json:"video"`
		chain.Proof
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		s.refuseSignIn(w, refuseBadRequest, nil)
		return
	}
	video := st.videos[req.Video]
	switch {
	case video == nil:
		s.refuseSignIn(w, refuseUnknown, nil)
		return
	case video.Gate == nil:
		s.refuseSignIn(w, refusePublic, nil)
		return
	case !video.Gate.Ready || video.verifier == nil:
		s.refuseSignIn(w, refuseGate, nil)
		return
	case len(st.origins) == 0:
		s.refuseSignIn(w, refuseNoSignIn, nil)
		return
	}
	browserOrigin, present, known := requestOrigin(r, st.origins)
	if present && !known {
		s.refuseSignIn(w, refuseOrigin, nil)
		return
	}
	msg, err := siwe.Parse(req.Message)
	if err != nil {
		s.refuseSignIn(w, refuseMessage, nil)
		return
	}
	cookie, err := r.Cookie("sg_nonce")
	if err != nil {
		s.refuseSignIn(w, refuseNonceCookie, nil)
		return
	}
	now := s.now()
	nonceExpires, err := st.nonces.Check(cookie.Value, msg.Nonce, now)
	if err != nil {
		s.refuseSignIn(w, signInRefusal(err), nil)
		return
	}
	want := siwe.Expectations{Origins: st.origins, ChainID: video.Gate.ChainID, Nonce: msg.Nonce, Now: now}
	checked, err := video.verifier.Check(msg, req.Proof, want)
	if err != nil {
		s.refuseSignIn(w, signInRefusal(err), nil)
		return
	}
	if present && checked.Origin != browserOrigin {
		// Signed for one of our origins, sent from another of ours.
		s.refuseSignIn(w, refuseOrigin, nil)
		return
	}
	if ok, retry := st.wallets.allow(strings.ToLower(checked.Message.Address), now); !ok {
		s.metrics.rateLimited("wallet")
		s.metrics.signIn(refuseLimited.code)
		writeRetryAfter(w, retry)
		return
	}
	// The nonce is spent before the chain is asked: one nonce, at most one
	// round of chain calls.
	if err := st.nonces.Spend(msg.Nonce, nonceExpires, now); err != nil {
		s.refuseSignIn(w, signInRefusal(err), nil)
		return
	}
	if err := video.verifier.VerifyOnChain(r.Context(), checked); err != nil {
		s.refuseSignIn(w, signInRefusal(err), err)
		return
	}
	decision := video.evaluator.Evaluate(r.Context(), video.Gate.Policy, msg.Address)
	if !decision.Allowed {
		s.refuseSignIn(w, decisionRefusal(decision), decision.Err)
		return
	}
	expires := now.Add(st.catalog.TokenTTL.Duration)
	if !decision.Until.IsZero() && decision.Until.Before(expires) {
		// A token never outlives the subscription or rental that earned it.
		expires = decision.Until
	}
	token := st.keys.Issue(gate.Claims{Video: video.Key(), Address: msg.Address, Expires: expires})
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/v/" + video.Key() + "/", HttpOnly: true,
		Secure: checked.Origin.Scheme == "https", SameSite: http.SameSiteLaxMode, Expires: expires})
	s.metrics.signIn("allowed")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	answer := map[string]string{"token": token, "address": msg.Address,
		"expiresAt": expires.UTC().Format(time.RFC3339), "reason": decision.Reason}
	if !decision.Until.IsZero() {
		// For the player: "your pass is valid until ...".
		answer["accessUntil"] = decision.Until.UTC().Format(time.RFC3339)
	}
	_ = json.NewEncoder(w).Encode(answer)
}

// refuseSignIn answers a refused sign-in, counts it by code and logs the
// cause of a failure on our side (redacted: it may name the RPC URL).
func (s *Server) refuseSignIn(w http.ResponseWriter, f refusal, cause error) {
	s.metrics.signIn(f.code)
	if cause != nil && f.status >= 500 {
		s.log.Error(redact.Error(cause), "sign-in failed on our side", "code", f.code)
	}
	f.write(w)
}
