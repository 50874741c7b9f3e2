package metricsauth

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	authenticationv1 "k8s.io/api/authentication/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/streamgate-io/streamgate/internal/testenv"
)

var k8s client.Client

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, func(_ *testenv.Env, c client.Client) { k8s = c }))
}

// countingClient counts the reviews sent to the API server, to show what the
// caches answer.
type countingClient struct {
	client.Client
	creates atomic.Int32
}

func (c *countingClient) Create(ctx context.Context, obj client.Object, opts ...client.CreateOption) error {
	c.creates.Add(1)
	return c.Client.Create(ctx, obj, opts...)
}

func serviceAccountToken(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	token, err := testenv.ServiceAccountToken(ctx, k8s, "default", name)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func grantMetricsReader(t *testing.T, ctx context.Context, serviceAccount string) *rbacv1.ClusterRoleBinding {
	t.Helper()
	role := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "metrics-reader-" + serviceAccount},
		Rules:      []rbacv1.PolicyRule{{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}},
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "metrics-reader-" + serviceAccount},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: serviceAccount, Namespace: "default"}},
	}
	for _, obj := range []client.Object{role, binding} {
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	return binding
}

func scrape(t *testing.T, h http.Handler, path, authorization string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestScrapesNeedAValidTokenAllowedToGetThePath(t *testing.T) {
	ctx := context.Background()
	scraper := serviceAccountToken(t, ctx, "prometheus")
	stranger := serviceAccountToken(t, ctx, "stranger")
	binding := grantMetricsReader(t, ctx, "prometheus")

	now := time.Unix(1_800_000_000, 0)
	counting := &countingClient{Client: k8s}
	reviewer := New(counting, func() time.Time { return now })
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "streamgate_up 1\n") })
	h, err := reviewer.Filter(logr.Discard(), metrics)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, path, authorization string
		want                      int
		wantBody                  string
	}{
		{"no token", "/metrics", "", http.StatusUnauthorized, "Unauthorized\n"},
		{"not a bearer token", "/metrics", "Basic " + scraper, http.StatusUnauthorized, "Unauthorized\n"},
		{"empty bearer token", "/metrics", "Bearer   ", http.StatusUnauthorized, "Unauthorized\n"},
		{"made-up token", "/metrics", "Bearer not-a-token", http.StatusUnauthorized, "Unauthorized\n"},
		{"valid token, no role", "/metrics", "Bearer " + stranger, http.StatusForbidden, "Forbidden\n"},
		{"valid token, another path", "/debug/pprof/heap", "Bearer " + scraper, http.StatusForbidden, "Forbidden\n"},
		{"metrics reader", "/metrics", "Bearer " + scraper, http.StatusOK, "streamgate_up 1\n"},
		{"scheme in any case", "/metrics", "bearer " + scraper, http.StatusOK, "streamgate_up 1\n"},
	} {
		if code, body := scrape(t, h, tc.path, tc.authorization); code != tc.want || body != tc.wantBody {
			t.Errorf("%s: got %d %q, want %d %q", tc.name, code, body, tc.want, tc.wantBody)
		}
	}

	// Answers are cached: a scrape every few seconds costs the API server
	// nothing until they expire.
	before := counting.creates.Load()
	for range 10 {
		if code, _ := scrape(t, h, "/metrics", "Bearer "+scraper); code != http.StatusOK {
			t.Fatalf("cached scrape: %d", code)
		}
		if code, _ := scrape(t, h, "/metrics", "Bearer not-a-token"); code != http.StatusUnauthorized {
			t.Fatalf("cached refusal: %d", code)
		}
	}
	if got := counting.creates.Load() - before; got != 0 {
		t.Errorf("repeated scrapes sent %d reviews, want 0 (cached)", got)
	}

	// A revoked binding ends scrapes once the allowed answer expires.
	if err := k8s.Delete(ctx, binding); err != nil {
		t.Fatal(err)
	}
	if code, _ := scrape(t, h, "/metrics", "Bearer "+scraper); code != http.StatusOK {
		t.Errorf("within the cache lifetime: %d, want 200", code)
	}
	now = now.Add(allowTTL + time.Second)
	if code, body := scrape(t, h, "/metrics", "Bearer "+scraper); code != http.StatusForbidden {
		t.Errorf("after the binding was deleted and the cache expired: %d %q, want 403", code, body)
	}
}

// An API server that cannot answer is 503, and its error stays in the log.
func TestReviewFailureIsUnavailableWithoutDetail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	token := serviceAccountToken(t, ctx, "scraper-while-down")
	cancel()
	reviewer := New(k8s, time.Now)
	h, err := reviewer.Filter(logr.Discard(), http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if body := rec.Body.String(); rec.Code != http.StatusServiceUnavailable || body != "ReviewUnavailable\n" {
		t.Errorf("got %d %q, want 503 \"ReviewUnavailable\\n\"", rec.Code, body)
	}
}

func TestAccessKeysNeverCollide(t *testing.T) {
	a := accessKey(authenticationv1.UserInfo{Username: `a" "b`}, "get", "/metrics")
	b := accessKey(authenticationv1.UserInfo{Username: "a", UID: "b"}, "get", "/metrics")
	c := accessKey(authenticationv1.UserInfo{Username: "a", Groups: []string{"x", "y"}}, "get", "/metrics")
	d := accessKey(authenticationv1.UserInfo{Username: "a", Groups: []string{"x y"}}, "get", "/metrics")
	e := accessKey(authenticationv1.UserInfo{Username: "a", Groups: []string{"y", "x"}}, "get", "/metrics")
	if a == b || c == d {
		t.Errorf("distinct users share a key: %q / %q, %q / %q", a, b, c, d)
	}
	if c != e {
		t.Errorf("group order changed the key: %q / %q", c, e)
	}
}
