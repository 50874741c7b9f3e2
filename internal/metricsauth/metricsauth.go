// Package metricsauth guards the manager's metrics endpoint the way
// kube-rbac-proxy does: a scraper's bearer token must pass a TokenReview, and
// its user must be allowed to GET the path by a SubjectAccessReview (the
// metrics-reader ClusterRole grants that). controller-runtime's
// filters.WithAuthenticationAndAuthorization does the same through
// k8s.io/apiserver, which links cel-go, gRPC and OpenTelemetry exporters into
// the binary: about a sixth of the runtime image for two API calls.
package metricsauth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-logr/logr"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/streamgate-io/streamgate/internal/lru"
)

// The cache lifetimes of controller-runtime's filter: a revoked token or
// RoleBinding stops scrapes within these.
const (
	tokenTTL       = time.Minute
	refusedTTL     = 10 * time.Second
	allowTTL       = 5 * time.Minute
	denyTTL        = 30 * time.Second
	reviewTimeout  = 10 * time.Second
	maxCachedItems = 4096
)

// Reviewer authenticates and authorises scrapes. Its caches are bounded, so
// a flood of made-up tokens costs API calls but never memory.
type Reviewer struct {
	client  client.Client
	now     func() time.Time
	tokens  *lru.Cache[[sha256.Size]byte, tokenResult]
	access  *lru.Cache[string, bool]
	timeout time.Duration
}

type tokenResult struct {
	authenticated bool
	user          authenticationv1.UserInfo
}

// New makes a Reviewer that asks the API server through c (which must know
// the authentication.k8s.io and authorization.k8s.io v1 types).
func New(c client.Client, now func() time.Time) *Reviewer {
	return &Reviewer{
		client:  c,
		now:     now,
		tokens:  lru.New[[sha256.Size]byte, tokenResult](maxCachedItems),
		access:  lru.New[string, bool](maxCachedItems),
		timeout: reviewTimeout,
	}
}

// FilterProvider is a metricsserver.Options.FilterProvider.
func FilterProvider(cfg *rest.Config, httpClient *http.Client) (metricsserver.Filter, error) {
	scheme := runtime.NewScheme()
	if err := authenticationv1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := authorizationv1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme, HTTPClient: httpClient})
	if err != nil {
		return nil, fmt.Errorf("metrics auth client: %w", err)
	}
	return New(c, time.Now).Filter, nil
}

// Filter wraps handler: 401 without a valid token, 403 when its user may not
// GET the path, 503 when the API server cannot answer. Reasons never carry
// the API server's error, which is logged.
func (r *Reviewer) Filter(log logr.Logger, handler http.Handler) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		token, ok := bearerToken(req)
		if !ok {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		user, ok, err := r.authenticate(req.Context(), token)
		if err != nil {
			log.Error(err, "metrics scrape: token review failed")
			http.Error(w, "ReviewUnavailable", http.StatusServiceUnavailable)
			return
		}
		if !ok {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		allowed, err := r.authorize(req.Context(), user, strings.ToLower(req.Method), req.URL.Path)
		if err != nil {
			log.Error(err, "metrics scrape: access review failed", "user", user.Username)
			http.Error(w, "ReviewUnavailable", http.StatusServiceUnavailable)
			return
		}
		if !allowed {
			log.V(4).Info("metrics scrape refused", "user", user.Username, "path", req.URL.Path)
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
		handler.ServeHTTP(w, req)
	}), nil
}

func bearerToken(req *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(req.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate keys its cache by the token's hash: the token itself is never
// held, and the lookup's timing says nothing about other tokens.
func (r *Reviewer) authenticate(ctx context.Context, token string) (authenticationv1.UserInfo, bool, error) {
	key := sha256.Sum256([]byte(token))
	if res, ok := r.tokens.Get(key, r.now()); ok {
		return res.user, res.authenticated, nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	review := &authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: token}}
	if err := r.client.Create(ctx, review); err != nil {
		return authenticationv1.UserInfo{}, false, fmt.Errorf("create TokenReview: %w", err)
	}
	res := tokenResult{authenticated: review.Status.Authenticated, user: review.Status.User}
	ttl := tokenTTL
	if !res.authenticated {
		ttl = refusedTTL
	}
	now := r.now()
	r.tokens.Add(key, res, now.Add(ttl), now)
	return res.user, res.authenticated, nil
}

func (r *Reviewer) authorize(ctx context.Context, user authenticationv1.UserInfo, verb, path string) (bool, error) {
	key := accessKey(user, verb, path)
	if allowed, ok := r.access.Get(key, r.now()); ok {
		return allowed, nil
	}
	extra := make(map[string]authorizationv1.ExtraValue, len(user.Extra))
	for k, v := range user.Extra {
		extra[k] = authorizationv1.ExtraValue(v)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: user.Username, UID: user.UID, Groups: user.Groups, Extra: extra,
		NonResourceAttributes: &authorizationv1.NonResourceAttributes{Verb: verb, Path: path},
	}}
	if err := r.client.Create(ctx, review); err != nil {
		return false, fmt.Errorf("create SubjectAccessReview: %w", err)
	}
	allowed := review.Status.Allowed && !review.Status.Denied
	ttl := denyTTL
	if allowed {
		ttl = allowTTL
	}
	now := r.now()
	r.access.Add(key, allowed, now.Add(ttl), now)
	return allowed, nil
}

// accessKey is every attribute the review saw, unambiguously joined (%q
// quotes separators away), so two users never share an answer.
func accessKey(user authenticationv1.UserInfo, verb, path string) string {
	groups := slices.Clone(user.Groups)
	slices.Sort(groups)
	extraKeys := make([]string, 0, len(user.Extra))
	for k := range user.Extra {
		extraKeys = append(extraKeys, k)
	}
	slices.Sort(extraKeys)
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %q %q %q", user.Username, user.UID, verb, path, groups)
	for _, k := range extraKeys {
		fmt.Fprintf(&b, " %q=%q", k, []string(user.Extra[k]))
	}
	return b.String()
}
