// Package serve_test runs `streamgate serve` as a real process over a ladder
// transcoded by real ffmpeg, gated by a real ERC-721 on anvil, and talks to
// it over HTTP as a viewer, an attacker and a browser would.
package serve_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"github.com/streamgate-io/streamgate/internal/testnet"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/testchain"
	"github.com/streamgate-io/streamgate/internal/testenv"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

var signingKey = []byte("0123456789abcdef0123456789abcdef")

type fixture struct {
	base   string
	claims string
	anvil  *testchain.Anvil
}

func setup(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	claims := filepath.Join(dir, "claims")
	src := filepath.Join(dir, "clip.mp4")
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=8",
		"-f", "lavfi", "-i", "sine=frequency=440:duration=8",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", src).CombinedOutput(); err != nil {
		t.Fatalf("make clip: %v\n%s", err, out)
	}
	for _, name := range []string{"gated", "open"} {
		if _, err := media.Transcode(context.Background(), media.Job{SourcePath: src, AudioKbps: 64, SegmentSeconds: 2, Preset: "ultrafast",
			Ladder:    []media.Rendition{{Name: "360p", Height: 360, VideoKbps: 600}, {Name: "240p", Height: 240, VideoKbps: 300}},
			OutputDir: filepath.Join(claims, "media", "tenant", name)}); err != nil {
			t.Fatal(err)
		}
	}
	// A symlink planted in a video folder must not lead out of it.
	if err := os.Symlink("/etc/passwd", filepath.Join(claims, "media", "tenant", "gated", "leak.m4s")); err != nil {
		t.Fatal(err)
	}

	anvil := testchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	nft.Transact(t, testchain.Key(0), "mint", testchain.Address(testchain.Key(1)), big.NewInt(1))

	secret := filepath.Join(dir, "secret")
	must(t, os.MkdirAll(secret, 0o755))
	must(t, os.WriteFile(filepath.Join(secret, "signing-key"), []byte(hex.EncodeToString(signingKey)), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "rpc.holders"), []byte(anvil.URL), 0o600))
	cat := catalog.Catalog{TokenTTL: catalog.Duration{Duration: 10 * time.Minute}, Videos: []catalog.Video{
		{Namespace: "tenant", Name: "gated", Claim: "media", Playlist: "tenant/gated/master.m3u8", Gate: &catalog.Gate{
			Policy: gate.Policy{Name: "tenant/holders", Conditions: []gate.Condition{{Standard: gate.ERC721, Contract: nft.Address.Hex()}}},
			Ready:  true, Family: "evm", ChainID: "31337", RPCKey: "rpc.holders"}},
		{Namespace: "tenant", Name: "open", Claim: "media", Playlist: "tenant/open/master.m3u8"},
	}}
	data, _ := json.Marshal(cat)
	catalogFile := filepath.Join(dir, "catalog.json")
	must(t, os.WriteFile(catalogFile, data, 0o644))

	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = testenv.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := testnet.FreeAddr(t)
	cmd := exec.Command(binary, "serve", "--catalog", catalogFile, "--secret-dir", secret, "--claims-root", claims, "--listen", addr)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	must(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if i > 200 {
			t.Fatal("serve did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &fixture{base: base, claims: claims, anvil: anvil}
}

func newViewer(f *fixture, key *ecdsa.PrivateKey) *viewer.Viewer { return viewer.New(f.base, key) }

// signIn signs in as v's wallet; replay sends the same signed message again.
func signIn(t *testing.T, v *viewer.Viewer, video string) (int, map[string]string, func() (int, map[string]string)) {
	t.Helper()
	status, answer, send, err := v.SignIn(video)
	must(t, err)
	return status, answer, func() (int, map[string]string) {
		status, answer, err := send()
		must(t, err)
		return status, answer
	}
}

func get(t *testing.T, v *viewer.Viewer, rawPath string) (*http.Response, []byte) {
	t.Helper()
	resp, body, err := v.Get(rawPath)
	must(t, err)
	return resp, body
}

func TestHolderWatchesEveryoneElseIsRefused(t *testing.T) {
	f := setup(t)
	holder := newViewer(f, testchain.Key(1))
	status, grant, replay := signIn(t, holder, "tenant/gated")
	if status != 200 || grant["token"] == "" {
		t.Fatalf("holder sign-in: %d %v", status, grant)
	}
	if status, answer := replay(); status != 401 || !strings.Contains(answer["reason"], "nonce") {
		t.Errorf("replayed sign-in: %d %v, want 401 about the nonce", status, answer)
	}
	token := grant["token"]

	// master -> variants -> init -> every segment, with the token the
	// playlists carry (no cookies: a fresh client).
	plain := &viewer.Viewer{Client: &http.Client{}, Base: f.base}
	resp, body := get(t, plain, "/v/tenant/gated/master.m3u8?t="+token)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" {
		t.Fatalf("master: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	master, err := media.ParseMaster(body)
	must(t, err)
	uris := []string{}
	for _, v := range master.Variants {
		uris = append(uris, v.URI)
	}
	for _, a := range master.Alternates {
		uris = append(uris, a.URI)
	}
	segments := 0
	for _, uri := range uris {
		if !strings.Contains(uri, "?t="+token) {
			t.Fatalf("master URI %q does not carry the token", uri)
		}
		resp, body := get(t, plain, "/v/tenant/gated/"+uri)
		if resp.StatusCode != 200 {
			t.Fatalf("variant %s: %d", uri, resp.StatusCode)
		}
		playlist, err := media.ParseMedia(body)
		must(t, err)
		dir := uri[:strings.LastIndex(uri, "/")+1]
		files := append([]string{playlist.InitURI}, segmentURIs(playlist)...)
		for _, file := range files {
			if !strings.Contains(file, "t="+token) {
				t.Fatalf("URI %q in %s does not carry the token", file, uri)
			}
			resp, body := get(t, plain, "/v/tenant/gated/"+dir+file)
			if resp.StatusCode != 200 || len(body) == 0 {
				t.Fatalf("%s: %d", file, resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "video/iso.segment" && ct != "video/mp4" {
				t.Errorf("%s: content type %s", file, ct)
			}
			if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("ETag") == "" {
				t.Errorf("%s: cache headers %v", file, resp.Header)
			}
			segments++
		}
	}
	if segments < 8 {
		t.Errorf("fetched %d files, want the init and segments of every rendition", segments)
	}

	// A Range request and a conditional one, with the cookie the sign-in set.
	req, _ := http.NewRequest(http.MethodGet, f.base+"/v/tenant/gated/360p/seg_00000.m4s", nil)
	req.Header.Set("Range", "bytes=0-99")
	resp, err = holder.Do(req)
	must(t, err)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || resp.ContentLength != 100 {
		t.Errorf("range request: %d, %d bytes", resp.StatusCode, resp.ContentLength)
	}
	req, _ = http.NewRequest(http.MethodGet, f.base+"/v/tenant/gated/360p/seg_00000.m4s", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp, err = holder.Do(req)
	must(t, err)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: %d, want 304", resp.StatusCode)
	}

	// Someone without the NFT signs in fine but is refused, with a reason.
	status, answer, _ := signIn(t, newViewer(f, testchain.Key(2)), "tenant/gated")
	if status != http.StatusForbidden || !strings.Contains(answer["reason"], "holds none") {
		t.Errorf("non-holder: %d %v, want 403 with a reason", status, answer)
	}

	key, _ := gate.NewKey(signingKey)
	ring := &gate.Keyring{Current: key}
	expired := ring.Issue(gate.Claims{Video: "tenant/gated", Address: "0xabc", Expires: time.Now().Add(-time.Minute)})
	otherVideo := ring.Issue(gate.Claims{Video: "tenant/other", Address: "0xabc", Expires: time.Now().Add(time.Hour)})
	forged := token[:len(token)-3] + "AAA"
	for name, tc := range map[string]struct {
		path   string
		status int
		reason string
	}{
		"no token":          {"/v/tenant/gated/master.m3u8", 401, "no playback token"},
		"forged token":      {"/v/tenant/gated/360p/seg_00000.m4s?t=" + forged, 401, "signature"},
		"expired token":     {"/v/tenant/gated/master.m3u8?t=" + expired, 401, "expired"},
		"other video token": {"/v/tenant/gated/master.m3u8?t=" + otherVideo, 401, "another video"},
		"dot-dot":           {"/v/tenant/gated/../open/master.m3u8?t=" + token, 404, ""},
		"encoded dot-dot":   {"/v/tenant/gated/%2e%2e/%2e%2e/%2e%2e/etc/passwd?t=" + token, 404, ""},
		"encoded slash":     {"/v/tenant/gated/..%2f..%2fsecret?t=" + token, 404, ""},
		"symlink out":       {"/v/tenant/gated/leak.m4s?t=" + token, 404, ""},
		"unknown video":     {"/v/tenant/nope/master.m3u8", 404, ""},
		"public video":      {"/v/tenant/open/master.m3u8", 200, ""},
	} {
		resp, body := get(t, plain, tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.reason) {
			t.Errorf("%s: %d %s, want %d %q", name, resp.StatusCode, body, tc.status, tc.reason)
		}
		if strings.Contains(string(body), "root:") {
			t.Errorf("%s: leaked a file from outside the video", name)
		}
	}

	resp, body = get(t, plain, "/metrics")
	for _, metric := range []string{`streamgate_serve_token_denials_total{reason="expired"} 1`, `streamgate_serve_signins_total{result="allowed"} 1`,
		`streamgate_serve_signins_total{result="denied"} 1`, "streamgate_serve_request_duration_seconds_bucket"} {
		if !strings.Contains(string(body), metric) {
			t.Errorf("/metrics lacks %s", metric)
		}
	}

	t.Run("browser", func(t *testing.T) { watchInBrowser(t, f) })
}

func watchInBrowser(t *testing.T, f *fixture) {
	artifacts := filepath.Join(testenv.RepoRoot(), "artifacts")
	must(t, os.MkdirAll(artifacts, 0o755))
	screenshot := filepath.Join(artifacts, "watch-playing.png")
	state, err := viewer.Browser(testenv.RepoRoot(), testchain.ToolsDir(), f.base+"/watch/tenant/gated", testchain.Key(1), screenshot)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("player: %s (screenshot %s)", state, screenshot)
}

func segmentURIs(p *media.MediaPlaylist) []string {
	var out []string
	for _, s := range p.Segments {
		out = append(out, s.URI)
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
