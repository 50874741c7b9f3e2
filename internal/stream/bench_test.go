package stream

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// benchHandler is the handler of a server with one gated video "t/v" whose
// 720p folder holds files, and a token for it.
func benchHandler(b *testing.B, files map[string][]byte) (http.Handler, string) {
	dir := b.TempDir()
	v := filepath.Join(dir, "claims", "media", "t", "v", "720p")
	if err := os.MkdirAll(v, 0o755); err != nil {
		b.Fatal(err)
	}
	for name, data := range files {
		_ = os.WriteFile(filepath.Join(v, name), data, 0o644)
	}
	key := []byte("bench-signing-key-0123456789abcdef")
	secret := filepath.Join(dir, "secret")
	_ = os.MkdirAll(secret, 0o755)
	_ = os.WriteFile(filepath.Join(secret, "signing-key"), []byte(hex.EncodeToString(key)), 0o600)
	_ = os.WriteFile(filepath.Join(secret, "rpc.g"), []byte("http://127.0.0.1:1"), 0o600)
	cat := catalog.Catalog{Videos: []catalog.Video{{Namespace: "t", Name: "v", Claim: "media", Playlist: "t/v/master.m3u8",
		Gate: &catalog.Gate{Ready: true, Family: "evm", ChainID: "1", RPCKey: "rpc.g", Policy: gate.Policy{Name: "g"}}}}}
	data, _ := json.Marshal(cat)
	_ = os.WriteFile(filepath.Join(dir, "catalog.json"), data, 0o644)
	s, err := New(context.Background(), Config{CatalogFile: filepath.Join(dir, "catalog.json"), SecretDir: secret,
		ClaimsRoot: filepath.Join(dir, "claims"), Log: logr.Discard()})
	if err != nil {
		b.Fatal(err)
	}
	k, _ := gate.NewKey(key)
	return s.Handler(), (&gate.Keyring{Current: k}).Issue(gate.Claims{Video: "t/v", Address: "0xabc", Expires: time.Now().Add(time.Hour)})
}

// BenchmarkPlaylistHandler measures the handler alone (no network): token
// check, cached playlist, rewrite.
func BenchmarkPlaylistHandler(b *testing.B) {
	playlist := "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init_0.mp4\"\n"
	for i := 0; i < 10; i++ {
		playlist += "#EXTINF:4.000000,\nseg_0000" + string(rune('0'+i)) + ".m4s\n"
	}
	playlist += "#EXT-X-ENDLIST\n"
	h, token := benchHandler(b, map[string][]byte{"index.m3u8": []byte(playlist)})
	req := httptest.NewRequest(http.MethodGet, "/v/t/v/720p/index.m3u8?t="+token, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

// BenchmarkSegmentHandler measures a gated segment request through the
// handler (no network): token check, open inside the video's folder, send.
func BenchmarkSegmentHandler(b *testing.B) {
	h, token := benchHandler(b, map[string][]byte{"seg_00000.m4s": make([]byte, 64<<10)})
	req := httptest.NewRequest(http.MethodGet, "/v/t/v/720p/seg_00000.m4s?t="+token, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discardWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		if w.code != 200 {
			b.Fatal(w.code)
		}
	}
}

// discardWriter is a ResponseWriter that sends nothing anywhere, so that a
// benchmark measures the handler rather than a buffer of the body (net/http
// itself hands files to sendfile).
type discardWriter struct {
	header http.Header
	code   int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { w.WriteHeader(200); return len(b), nil }
func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *discardWriter) ReadFrom(r io.Reader) (int64, error) {
	w.WriteHeader(200)
	return io.Copy(io.Discard, r)
}
