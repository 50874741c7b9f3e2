package stream

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// writeRevision makes a small ladder folder whose segment says content.
func writeRevision(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "720p"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "master.m3u8"), []byte("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "720p", "index.m3u8"), []byte("#EXTM3U\n#EXTINF:4,\nseg_00000.m4s\n#EXT-X-ENDLIST\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "720p", "seg_00000.m4s"), []byte(content+strings.Repeat(".", 1000)), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "poster.jpg"), []byte(content+" poster"), 0o644))
	return dir
}

// Videos in a bucket and in IPFS are served like videos on a claim, by
// two replicas that share nothing but the stores: same URLs, revisions,
// cache headers and ranges; a file read once is answered from memory; a
// store that stops answering gives 503 StorageUnavailable for what is not
// in memory, and never the store's words.
func TestVideosFromObjectStoresAndIPFS(t *testing.T) {
	ctx := context.Background()
	srv := devstorage.StartS3(t, t.TempDir())
	must(t, srv.MakeBucket(ctx, "media"))
	s3, err := storage.NewS3(storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
		AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, Bucket: "media"})
	must(t, err)
	for rev, content := range map[string]string{"aaaaaaaaaa": "old", "bbbbbbbbbb": "new"} {
		_, _, err := storage.UploadFolder(ctx, s3, writeRevision(t, content), "t/s3/"+rev, "master.m3u8", 4)
		must(t, err)
	}
	_, _, err = storage.UploadFolder(ctx, s3, writeRevision(t, "public"), "t/cdn/aaaaaaaaaa", "master.m3u8", 4)
	must(t, err)
	node := devstorage.StartIPFS(t, t.TempDir())
	ipfs, err := storage.NewIPFS(node.API, "", 10*time.Second)
	must(t, err)
	cid, err := ipfs.AddFolder(ctx, writeRevision(t, "ipfs"), true)
	must(t, err)

	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	must(t, os.MkdirAll(secret, 0o755))
	must(t, os.WriteFile(filepath.Join(secret, SigningKeyFile), []byte(hex.EncodeToString([]byte("test-signing-key-0123456789abcdef"))), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "s3.creds.accessKeyID"), []byte(srv.AccessKey), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "s3.creds.secretAccessKey"), []byte(srv.SecretKey+"\n"), 0o600))
	bucket := &catalog.Store{Kind: catalog.StoreS3, Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true, Bucket: "media", CredentialsKey: "s3.creds"}
	cdn := *bucket
	cdn.PublicBaseURL = "https://cdn.example.com/media"
	cat := catalog.Catalog{Videos: []catalog.Video{
		{Namespace: "t", Name: "s3", Store: bucket, Playlist: "t/s3/bbbbbbbbbb/master.m3u8", Root: "t/s3", Revision: "bbbbbbbbbb"},
		{Namespace: "t", Name: "cdn", Store: &cdn, Playlist: "t/cdn/aaaaaaaaaa/master.m3u8", Root: "t/cdn", Revision: "aaaaaaaaaa"},
		{Namespace: "t", Name: "ipfs", Store: &catalog.Store{Kind: catalog.StoreIPFS, Gateway: node.Gateway}, Playlist: cid + "/master.m3u8"},
	}}
	data, _ := json.Marshal(cat)
	must(t, os.WriteFile(filepath.Join(dir, catalog.FileName), data, 0o644))
	replica := func() *Server {
		s, err := New(ctx, Config{CatalogFile: filepath.Join(dir, catalog.FileName), SecretDir: secret, ClaimsRoot: t.TempDir(), Log: logr.Discard()})
		must(t, err)
		return s
	}
	replicas := []*Server{replica(), replica()}
	get := func(s *Server, path, rangeHeader string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if rangeHeader != "" {
			req.Header.Set("Range", rangeHeader)
		}
		s.Handler().ServeHTTP(w, req)
		return w
	}
	for i, s := range replicas {
		master := get(s, "/v/t/s3/master.m3u8", "")
		if master.Code != 200 || !strings.Contains(master.Body.String(), "\nbbbbbbbbbb/720p/index.m3u8\n") {
			t.Fatalf("replica %d master: %d\n%s", i, master.Code, master.Body.String())
		}
		for path, want := range map[string]string{"/v/t/s3/bbbbbbbbbb/720p/seg_00000.m4s": "new", "/v/t/s3/aaaaaaaaaa/720p/seg_00000.m4s": "old", "/v/t/ipfs/720p/seg_00000.m4s": "ipfs"} {
			w := get(s, path, "")
			if w.Code != 200 || !strings.HasPrefix(w.Body.String(), want+".") || w.Body.Len() != len(want)+1000 ||
				!strings.Contains(w.Header().Get("Cache-Control"), "immutable") || w.Header().Get("Etag") == "" || w.Header().Get("Content-Type") != "video/iso.segment" {
				t.Errorf("replica %d %s: %d %q %v", i, path, w.Code, w.Body.String()[:min(10, w.Body.Len())], w.Header())
			}
		}
		if w := get(s, "/v/t/ipfs/master.m3u8", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "\n720p/index.m3u8\n") {
			t.Errorf("replica %d IPFS master: %d %s", i, w.Code, w.Body.String())
		}
		if w := get(s, "/v/t/s3/poster.jpg", ""); w.Code != 200 || w.Body.String() != "new poster" {
			t.Errorf("replica %d poster: %d %q", i, w.Code, w.Body.String())
		}
		if w := get(s, "/v/t/s3/bbbbbbbbbb/720p/seg_00000.m4s", "bytes=1-2"); w.Code != http.StatusPartialContent || w.Body.String() != "ew" {
			t.Errorf("replica %d range: %d %q", i, w.Code, w.Body.String())
		}
		for _, path := range []string{"/v/t/s3/bbbbbbbbbb/720p/absent.m4s", "/v/t/s3/../ipfs/720p/seg_00000.m4s", "/v/t/ipfs/../s3/master.m3u8", "/v/t/s3/cccccccccc/720p/seg_00000.m4s"} {
			if w := get(s, path, ""); w.Code != http.StatusNotFound {
				t.Errorf("replica %d %s: %d, want 404", i, path, w.Code)
			}
		}
	}
	// The public video with a CDN: segments are redirected there; its
	// playlists are still served (they name the revision).
	if w := get(replicas[0], "/v/t/cdn/master.m3u8", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "aaaaaaaaaa/720p/index.m3u8") {
		t.Errorf("CDN video master: %d %s", w.Code, w.Body.String())
	}
	if w := get(replicas[0], "/v/t/cdn/aaaaaaaaaa/720p/seg_00000.m4s", ""); w.Code != http.StatusFound || w.Header().Get("Location") != "https://cdn.example.com/media/t/cdn/aaaaaaaaaa/720p/seg_00000.m4s" {
		t.Errorf("CDN redirect: %d %q", w.Code, w.Header().Get("Location"))
	}

	stats := replicas[0].storeCache.Stats()
	if stats.Hits == 0 || stats.Misses == 0 || stats.Bytes == 0 {
		t.Fatalf("cache stats %+v", stats)
	}
	before := stats.Hits
	if w := get(replicas[0], "/v/t/s3/bbbbbbbbbb/720p/seg_00000.m4s", ""); w.Code != 200 {
		t.Fatal(w.Code)
	}
	if replicas[0].storeCache.Stats().Hits != before+1 {
		t.Fatal("a segment read before was not answered from memory")
	}

	health := func(s *Server) catalog.StorageHealth {
		t.Helper()
		s.checkStores(ctx)
		w := httptest.NewRecorder()
		s.MetricsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, catalog.StorageHealthPath, nil))
		var h catalog.StorageHealth
		must(t, json.Unmarshal(w.Body.Bytes(), &h))
		return h
	}
	h := health(replicas[0])
	// It names the catalog it serves, for the controller to compare.
	stored, err := os.ReadFile(replicas[0].loader.catalogFile)
	must(t, err)
	if h.Catalog != catalog.Revision(stored) || len(h.Catalog) != 16 {
		t.Errorf("/storagez names catalog %q, want %q", h.Catalog, catalog.Revision(stored))
	}
	kinds := map[string]int{}
	for _, st := range h.Stores {
		if !st.Reachable || st.Reason != "" {
			t.Errorf("store %+v unreachable while up", st)
		}
		kinds[st.Kind]++
	}
	if kinds[catalog.StoreS3] != 1 || kinds[catalog.StoreIPFS] != 1 {
		t.Errorf("checked stores %+v, want the bucket (once, though two videos use it) and the IPFS node", h.Stores)
	}

	// The store stops: what is in memory still plays; the rest is 503.
	srv.Stop()
	node.Stop()
	for _, st := range health(replicas[0]).Stores {
		if st.Reachable || st.Reason != string(storage.Unreachable) {
			t.Errorf("store %+v with its server stopped", st)
		}
	}
	if w := get(replicas[0], "/v/t/s3/bbbbbbbbbb/720p/seg_00000.m4s", ""); w.Code != 200 {
		t.Errorf("a cached segment with the store down: %d", w.Code)
	}
	fresh := replica()
	for _, path := range []string{"/v/t/s3/bbbbbbbbbb/720p/seg_00000.m4s", "/v/t/s3/master.m3u8", "/v/t/ipfs/720p/seg_00000.m4s"} {
		w := get(fresh, path, "")
		body := w.Body.String()
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "StorageUnavailable") ||
			strings.Contains(body, srv.Endpoint) || strings.Contains(body, node.Gateway) || strings.Contains(body, srv.AccessKey) {
			t.Errorf("%s with the store down: %d %s", path, w.Code, body)
		}
	}
}
