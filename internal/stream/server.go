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
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/streamgate-io/streamgate/internal/chain"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// Config of a streaming server.
type Config struct {
	CatalogFile string
	SecretDir   string
	ClaimsRoot  string
	// ReloadInterval is how often the mounted files are checked for changes.
	ReloadInterval time.Duration
	Log            logr.Logger
	Registry       *prometheus.Registry
}

// Server serves one StreamEndpoint's catalog.
type Server struct {
	loader    *loader
	state     atomic.Pointer[state]
	metrics   *serverMetrics
	log       logr.Logger
	interval  time.Duration
	playlists sync.Map // file key -> *playlist
	now       func() time.Time
}

// New loads the catalog and keys once; Run keeps them current.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		loader:   &loader{catalogFile: cfg.CatalogFile, secretDir: cfg.SecretDir, claimsRoot: cfg.ClaimsRoot, log: cfg.Log},
		metrics:  newServerMetrics(cfg.Registry),
		log:      cfg.Log,
		interval: cfg.ReloadInterval,
		now:      time.Now,
	}
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
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Reload(ctx)
		}
	}
}

// Reload re-reads the mounted files if they changed.
func (s *Server) Reload(ctx context.Context) {
	digest, err := s.loader.digest()
	if err != nil || digest == s.state.Load().digest {
		return
	}
	st, err := s.loader.load(ctx)
	if err != nil {
		s.log.Error(err, "reload failed; keeping the previous catalog")
		return
	}
	s.state.Store(st)
	s.log.Info("catalog reloaded", "videos", len(st.videos))
}

// Handler routes requests. It does its own routing: net/http's mux would
// clean "..", and a traversal attempt must get a plain 404.
func (s *Server) Handler() http.Handler {
	metricsHandler := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/v/"):
			s.serveVideo(w, r)
		case p == "/auth/nonce":
			s.instrument("nonce", s.handleNonce)(w, r)
		case p == "/auth/checksum":
			handleChecksum(w, r)
		case p == "/auth/verify":
			s.instrument("verify", s.handleVerify)(w, r)
		case strings.HasPrefix(p, "/watch/"):
			s.instrument("watch", s.handleWatch)(w, r)
		case strings.HasPrefix(p, "/assets/"):
			s.instrument("assets", serveAsset)(w, r)
		case p == "/healthz":
			_, _ = w.Write([]byte("ok"))
		case p == "/readyz":
			if s.state.Load() == nil {
				http.Error(w, "no catalog", http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte("ok"))
		case p == "/metrics":
			metricsHandler.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// errorJSON answers with a status and a reason a person can read.
func errorJSON(w http.ResponseWriter, status int, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": http.StatusText(status), "reason": reason})
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

const tokenCookie = "sg_token"

func (s *Server) serveVideo(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := statusRecorder{ResponseWriter: w, status: http.StatusOK}
	route := routeSegment
	defer func() { s.metrics.observe(route, rec.status, rec.bytes, start) }()
	w = &rec

	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		errorJSON(w, http.StatusMethodNotAllowed, "GET or HEAD only")
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
	if video == nil || video.root == nil {
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
			errorJSON(w, http.StatusServiceUnavailable, "the video's gate is not ready: "+video.Gate.Reason)
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
			errorJSON(w, http.StatusUnauthorized, "sign in first: no playback token")
			return
		}
		if _, err := st.keys.Verify(token, key, s.now()); err != nil {
			s.metrics.denied(denialReason(err))
			errorJSON(w, http.StatusUnauthorized, err.Error())
			return
		}
	}
	if route == routePlaylist {
		s.servePlaylist(w, r, video, file, token)
		return
	}
	f, err := video.root.Open(video.dirPrefix + file)
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
	// Segments never change once published: a new ladder has new files.
	if video.Gate != nil {
		h["Cache-Control"] = cachePrivateImmutable
	} else {
		h["Cache-Control"] = cachePublicImmutable
	}
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

// handleNonce starts a sign-in: a fresh nonce, bound to a cookie, and what
// the message must say.
func (s *Server) handleNonce(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		errorJSON(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	st := s.state.Load()
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
		Secure: isHTTPS(r), SameSite: http.SameSiteStrictMode, Expires: now.Add(st.nonces.TTL)})
	answer["nonce"], answer["domain"], answer["uri"] = nonce, r.Host, origin(r)
	answer["expiresAt"] = now.Add(st.nonces.TTL).UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(answer)
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func origin(r *http.Request) string {
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handleVerify checks a signed sign-in message and the video's gate, then
// issues a playback token.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		errorJSON(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	st := s.state.Load()
	var req struct {
		Video string `json:"video"`
		chain.Proof
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		s.metrics.signIn("bad_request")
		errorJSON(w, http.StatusBadRequest, "the body must be JSON {video, message, signature, scheme}")
		return
	}
	video := st.videos[req.Video]
	switch {
	case video == nil:
		s.metrics.signIn("unknown_video")
		errorJSON(w, http.StatusNotFound, "no such video")
		return
	case video.Gate == nil:
		s.metrics.signIn("public")
		errorJSON(w, http.StatusBadRequest, "the video is public: no sign-in needed")
		return
	case !video.Gate.Ready || video.verifier == nil:
		s.metrics.signIn("gate_unavailable")
		errorJSON(w, http.StatusServiceUnavailable, "the video's gate is not ready: "+video.Gate.Reason)
		return
	}
	msg, err := siwe.Parse(req.Message)
	if err != nil {
		s.metrics.signIn("bad_message")
		errorJSON(w, http.StatusUnauthorized, err.Error())
		return
	}
	cookie, err := r.Cookie("sg_nonce")
	if err != nil {
		s.metrics.signIn("no_nonce")
		errorJSON(w, http.StatusUnauthorized, gate.ErrNonceCookie.Error())
		return
	}
	now := s.now()
	want := siwe.Expectations{Domain: r.Host, URI: origin(r) + "/", URIPrefix: true, ChainID: video.Gate.ChainID, Nonce: msg.Nonce, Now: now}
	if _, err := video.verifier.Verify(r.Context(), req.Proof, want); err != nil {
		status := http.StatusUnauthorized
		if errors.Is(err, chain.ErrUnavailable) {
			status = http.StatusServiceUnavailable
		}
		s.metrics.signIn("bad_signature")
		errorJSON(w, status, err.Error())
		return
	}
	// The nonce is spent only by a message that checked out.
	if err := st.nonces.Consume(cookie.Value, msg.Nonce, now); err != nil {
		s.metrics.signIn("bad_nonce")
		errorJSON(w, http.StatusUnauthorized, err.Error())
		return
	}
	decision := video.evaluator.Evaluate(r.Context(), video.Gate.Policy, msg.Address)
	if !decision.Allowed {
		s.metrics.signIn("denied")
		errorJSON(w, http.StatusForbidden, decision.Reason)
		return
	}
	expires := now.Add(st.catalog.TokenTTL.Duration)
	token := st.keys.Issue(gate.Claims{Video: video.Key(), Address: msg.Address, Expires: expires})
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/v/" + video.Key() + "/", HttpOnly: true,
		Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode, Expires: expires})
	s.metrics.signIn("allowed")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"token": token, "address": msg.Address,
		"expiresAt": expires.UTC().Format(time.RFC3339), "reason": decision.Reason})
}
