// Package serve_test runs `streamgate serve` as a real process over a ladder
// transcoded by real ffmpeg, gated by a real ERC-721 on anvil, and talks to
// it over HTTP as a viewer, an attacker and a browser would.
package serve_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/streamgate-io/streamgate/internal/chain/passes"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/loopback"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/repo"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

var signingKey = []byte("0123456789abcdef0123456789abcdef")

// The dead gate's RPC URL carries credentials the way providers put them:
// userinfo and a key in the path. Neither may reach a viewer or a log.
const (
	deadPassword = "s3cr3tP4ssw0rd"
	deadKey      = "0123456789abcdef0123456789abcdef"
)

type fixture struct {
	base    string
	metrics string // the /metrics address, apart from viewers
	claims  string
	binary  string
	log     string // serve's log
	anvil   *devchain.Anvil
	wallet  *devchain.Contract // an EIP-1271 wallet owned by Key(1)
	// passExpires is when Key(2)'s subscription to the members' video ends.
	passExpires time.Time
	rpc         *countingProxy
}

// countingProxy forwards JSON-RPC to anvil and counts the calls, so a test
// can tell which requests cost the chain anything.
type countingProxy struct {
	calls atomic.Int64
	url   string
}

func newCountingProxy(t *testing.T, target string) *countingProxy {
	p := &countingProxy{}
	upstream, err := url.Parse(target)
	must(t, err)
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	srv := loopback.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.calls.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	p.url = srv.URL
	return p
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
	// Copies of a ladder: a public trailer with the gated film nested in
	// its folder, and the dead gate's video.
	for _, folder := range []string{"films/x", "films/x/full", "dead", "members"} {
		must(t, os.CopyFS(filepath.Join(claims, "media", "tenant", folder), os.DirFS(filepath.Join(claims, "media", "tenant", "open"))))
	}
	// Symlinks planted in a video folder must not lead out of it: not out
	// of the claim, and not into another video's folder on the same claim.
	must(t, os.Symlink("/etc/passwd", filepath.Join(claims, "media", "tenant", "open", "leak.m4s")))
	must(t, os.Symlink("../gated/360p/seg_00000.m4s", filepath.Join(claims, "media", "tenant", "open", "peek.m4s")))

	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	nft.Transact(t, devchain.Key(0), "mint", devchain.Address(devchain.Key(1)), big.NewInt(1))
	wallet := anvil.Deploy(t, "TestWallet1271", devchain.Address(devchain.Key(1)))
	rpc := newCountingProxy(t, anvil.URL)
	// A StreamGatePass of 5-minute periods: Key(2)'s subscription ends before
	// a 10-minute playback token would.
	passOpts, err := bind.NewKeyedTransactorWithChainID(devchain.Key(0), big.NewInt(anvil.ChainID))
	must(t, err)
	passAddr, tx, pass, err := passes.DeployStreamGatePass(passOpts, anvil.Client, "Pass", "PASS", devchain.Address(devchain.Key(0)),
		300, big.NewInt(1), devchain.Address(devchain.Key(0)), big.NewInt(0))
	must(t, err)
	_, err = bind.WaitMined(context.Background(), anvil.Client, tx)
	must(t, err)
	tx, err = pass.Mint(passOpts, devchain.Address(devchain.Key(2)), big.NewInt(1), 300)
	must(t, err)
	_, err = bind.WaitMined(context.Background(), anvil.Client, tx)
	must(t, err)
	passExpires, err := pass.ExpiresAt(&bind.CallOpts{}, big.NewInt(1))
	must(t, err)

	addr, metricsAddr := loopback.FreeAddr(t), loopback.FreeAddr(t)
	base := "http://" + addr
	secret := filepath.Join(dir, "secret")
	must(t, os.MkdirAll(secret, 0o755))
	must(t, os.WriteFile(filepath.Join(secret, "signing-key"), []byte(hex.EncodeToString(signingKey)), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "rpc.holders"), []byte(rpc.url), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "rpc.dead"), []byte("http://user:"+deadPassword+"@"+loopback.FreeAddr(t)+"/v3/"+deadKey), 0o600))
	holders := func(rpcKey string) *catalog.Gate {
		return &catalog.Gate{Policy: gate.Policy{Name: "tenant/" + rpcKey, Conditions: []gate.Condition{{Standard: gate.ERC721, Contract: nft.Address.Hex()}}},
			Ready: true, Family: "evm", ChainID: "31337", RPCKey: "rpc." + rpcKey}
	}
	cat := catalog.Catalog{TokenTTL: catalog.Duration{Duration: 10 * time.Minute},
		// 127.0.0.1 is a trusted proxy here, so that a test can speak for
		// clients of its choosing through X-Forwarded-For.
		SignIn: catalog.SignIn{Origins: []string{base}, TrustedProxies: []string{"127.0.0.1"}, PerClientPerMinute: 200, PerWalletPerMinute: 5},
		Videos: []catalog.Video{
			{Namespace: "tenant", Name: "gated", Claim: "media", Playlist: "tenant/gated/master.m3u8", Gate: holders("holders")},
			{Namespace: "tenant", Name: "open", Claim: "media", Playlist: "tenant/open/master.m3u8"},
			{Namespace: "tenant", Name: "trailer", Claim: "media", Playlist: "tenant/films/x/master.m3u8"},
			{Namespace: "tenant", Name: "film", Claim: "media", Playlist: "tenant/films/x/full/master.m3u8", Gate: holders("holders")},
			{Namespace: "tenant", Name: "dead", Claim: "media", Playlist: "tenant/dead/master.m3u8", Gate: holders("dead")},
			{Namespace: "tenant", Name: "members", Claim: "media", Playlist: "tenant/members/master.m3u8", Gate: &catalog.Gate{
				Policy: gate.Policy{Name: "tenant/members", Conditions: []gate.Condition{{Standard: gate.ERC5643, Contract: passAddr.Hex(), TokenIDs: []string{"1"}}}},
				Ready:  true, Family: "evm", ChainID: "31337", RPCKey: "rpc.holders"}},
		}}
	data, _ := json.Marshal(cat)
	catalogFile := filepath.Join(dir, "catalog.json")
	must(t, os.WriteFile(catalogFile, data, 0o644))

	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = repo.Root()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	logFile := filepath.Join(dir, "serve.log")
	logOut, err := os.Create(logFile)
	must(t, err)
	cmd := exec.Command(binary, "serve", "--catalog", catalogFile, "--secret-dir", secret, "--claims-root", claims,
		"--listen", addr, "--metrics-listen", metricsAddr)
	cmd.Stdout, cmd.Stderr = logOut, logOut
	must(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); _ = logOut.Close() })
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
	return &fixture{base: base, metrics: "http://" + metricsAddr, claims: claims, binary: binary, log: logFile,
		anvil: anvil, wallet: wallet, rpc: rpc, passExpires: time.Unix(int64(passExpires), 0)}
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

// A subscriber's playback token ends with the subscription, and sign-in
// says until when the pass is valid; a holder of another token is refused.
func TestSubscriberTokenEndsWithThePass(t *testing.T) {
	f := setup(t)
	status, answer, _ := signIn(t, newViewer(f, devchain.Key(2)), "tenant/members")
	want := f.passExpires.UTC().Format(time.RFC3339)
	if status != http.StatusOK || answer["accessUntil"] != want || answer["expiresAt"] != want {
		t.Fatalf("subscriber: %d %v; want 200 with accessUntil and expiresAt %s (the pass ends before the 10-minute token would)", status, answer, want)
	}
	plain := &viewer.Viewer{Client: &http.Client{}, Base: f.base}
	if resp, _ := get(t, plain, "/v/tenant/members/master.m3u8?t="+answer["token"]); resp.StatusCode != http.StatusOK {
		t.Errorf("the subscriber's playlist: %d", resp.StatusCode)
	}
	if status, answer, _ := signIn(t, newViewer(f, devchain.Key(1)), "tenant/members"); status != http.StatusForbidden || answer["code"] != "NotHolder" {
		t.Errorf("no subscription: %d %v, want 403 NotHolder", status, answer)
	}
}

func TestHolderWatchesEveryoneElseIsRefused(t *testing.T) {
	f := setup(t)
	holder := newViewer(f, devchain.Key(1))
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
	status, answer, _ := signIn(t, newViewer(f, devchain.Key(2)), "tenant/gated")
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
		"no token":                        {"/v/tenant/gated/master.m3u8", 401, "no playback token"},
		"forged token":                    {"/v/tenant/gated/360p/seg_00000.m4s?t=" + forged, 401, "playback token invalid"},
		"expired token":                   {"/v/tenant/gated/master.m3u8?t=" + expired, 401, "expired"},
		"other video token":               {"/v/tenant/gated/master.m3u8?t=" + otherVideo, 401, "another video"},
		"dot-dot":                         {"/v/tenant/gated/../open/master.m3u8?t=" + token, 404, ""},
		"encoded dot-dot":                 {"/v/tenant/gated/%2e%2e/%2e%2e/%2e%2e/etc/passwd?t=" + token, 404, ""},
		"encoded slash":                   {"/v/tenant/gated/..%2f..%2fsecret?t=" + token, 404, ""},
		"symlink out":                     {"/v/tenant/open/leak.m4s", 404, ""},
		"symlink to sibling":              {"/v/tenant/open/peek.m4s", 404, ""},
		"nested film through its trailer": {"/v/tenant/trailer/full/master.m3u8", 404, ""},
		"nested film":                     {"/v/tenant/film/master.m3u8?t=" + token, 404, ""},
		"metrics, viewer port":            {"/metrics", 404, ""},
		"unknown video":                   {"/v/tenant/nope/master.m3u8", 404, ""},
		"public video":                    {"/v/tenant/open/master.m3u8", 200, ""},
	} {
		resp, body := get(t, plain, tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.reason) {
			t.Errorf("%s: %d %s, want %d %q", name, resp.StatusCode, body, tc.status, tc.reason)
		}
		if strings.Contains(string(body), "root:") {
			t.Errorf("%s: leaked a file from outside the video", name)
		}
	}

	metrics := &viewer.Viewer{Client: &http.Client{}, Base: f.metrics}
	resp, body = get(t, metrics, "/metrics")
	for _, metric := range []string{`streamgate_serve_token_denials_total{reason="expired"} 1`, `streamgate_serve_signins_total{result="allowed"} 1`,
		`streamgate_serve_signins_total{result="NotHolder"} 1`, "streamgate_serve_request_duration_seconds_bucket"} {
		if !strings.Contains(string(body), metric) {
			t.Errorf("/metrics lacks %s", metric)
		}
	}

	t.Run("browser", func(t *testing.T) { watchInBrowser(t, f) })
}

// TestHostileViewers attacks sign-in the way a phishing site, a forger and a
// drainer would; each subtest failed on the code before these fixes.
func TestHostileViewers(t *testing.T) {
	f := setup(t)
	holderKey := devchain.Key(1)

	t.Run("phishing domain with a spoofed Host is refused", func(t *testing.T) {
		// The phishing site fetches a nonce from us for its victim, has
		// them sign a message for its own domain, and posts it with its
		// own Host header.
		v := newViewer(f, holderKey)
		v.Header = http.Header{"Host": {"phishing.example"}}
		_, nonce, err := v.Nonce("tenant/gated")
		must(t, err)
		if nonce["domain"] == "phishing.example" {
			t.Fatalf("the nonce advertises the request's Host: %v", nonce)
		}
		nonce["domain"], nonce["uri"] = "phishing.example", "http://phishing.example"
		msg := v.Message(nonce, "tenant/gated")
		status, answer, err := v.Verify("tenant/gated", msg, v.Sign(msg))
		must(t, err)
		if status != http.StatusUnauthorized || answer["code"] != "DomainNotAllowed" {
			t.Fatalf("phished sign-in: %d %v, want 401 DomainNotAllowed", status, answer)
		}
	})

	t.Run("the reference JavaScript SIWE library signs in with the advertised uri verbatim", func(t *testing.T) {
		key := hex.EncodeToString(crypto.FromECDSA(holderKey))
		if got := dapp(t, f, key, ""); got.Status != http.StatusOK || got.Body["token"] == "" {
			t.Fatalf("dapp sign-in: %+v", got)
		}
		if got := dapp(t, f, key, f.base); got.Status != http.StatusOK {
			t.Fatalf("dapp sign-in with a matching Origin: %+v", got)
		}
		if got := dapp(t, f, key, "https://evil.example"); got.Status != http.StatusForbidden || got.Body["code"] != "OriginNotAllowed" {
			t.Fatalf("dapp on another origin: %+v, want 403 OriginNotAllowed", got)
		}
	})

	t.Run("an Origin that is not configured is refused at nonce and verify", func(t *testing.T) {
		v := newViewer(f, holderKey)
		_, nonce, err := v.Nonce("tenant/gated")
		must(t, err)
		msg := v.Message(nonce, "tenant/gated")
		v.Header = http.Header{"Origin": {"https://evil.example"}}
		if status, answer, _ := v.Nonce("tenant/gated"); status != http.StatusForbidden || answer["code"] != "OriginNotAllowed" {
			t.Errorf("nonce from another origin: %d %v", status, answer)
		}
		if status, answer, _ := v.Verify("tenant/gated", msg, v.Sign(msg)); status != http.StatusForbidden || answer["code"] != "OriginNotAllowed" {
			t.Errorf("verify from another origin: %d %v", status, answer)
		}
	})

	t.Run("what can be refused locally costs no chain call", func(t *testing.T) {
		contract := f.wallet.Address.Hex() // has code: a junk signature would make us ask it
		stranger := freshKey(t)
		v := newViewer(f, stranger)
		_, nonce, err := v.Nonce("tenant/gated")
		must(t, err)
		msg := strings.Replace(v.Message(nonce, "tenant/gated"), devchain.Address(stranger).Hex(), contract, 1)
		junk := "0x" + strings.Repeat("11", 65)
		before := f.rpc.calls.Load()
		forged := &viewer.Viewer{Client: &http.Client{}, Base: f.base, Header: http.Header{"Cookie": {"sg_nonce=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}}
		for name, tc := range map[string]struct {
			v    *viewer.Viewer
			msg  string
			code string
		}{
			"forged cookie": {forged, msg, "NonceCookie"},
			"no cookie":     {&viewer.Viewer{Client: &http.Client{}, Base: f.base}, msg, "NonceCookie"},
			"other domain":  {v, strings.Replace(msg, nonce["domain"]+" wants", "evil.example wants", 1), "DomainNotAllowed"},
			"other nonce":   {v, strings.Replace(msg, nonce["nonce"], "abcdefgh12345678", 1), "NonceMismatch"},
			"wrong chain":   {v, strings.Replace(msg, "Chain ID: 31337", "Chain ID: 1", 1), "WrongChain"},
			"malformed":     {v, msg + "\n", "BadMessage"},
		} {
			status, answer, err := tc.v.Verify("tenant/gated", tc.msg, junk)
			must(t, err)
			if status != http.StatusUnauthorized || answer["code"] != tc.code {
				t.Errorf("%s: %d %v, want 401 %s", name, status, answer, tc.code)
			}
		}
		if calls := f.rpc.calls.Load() - before; calls != 0 {
			t.Fatalf("locally refusable sign-ins made %d RPC calls", calls)
		}
		// A well-formed message with a junk signature for a contract
		// wallet must ask the wallet (EIP-1271), once: the nonce is spent
		// first, so sending it again costs nothing.
		status, answer, err := v.Verify("tenant/gated", msg, junk)
		must(t, err)
		if status != http.StatusUnauthorized || answer["code"] != "BadSignature" || f.rpc.calls.Load() == before {
			t.Fatalf("junk signature for a contract wallet: %d %v after %d calls", status, answer, f.rpc.calls.Load()-before)
		}
		spent := f.rpc.calls.Load()
		if status, answer, _ := v.Verify("tenant/gated", msg, junk); status != http.StatusUnauthorized || answer["code"] != "NonceReused" || f.rpc.calls.Load() != spent {
			t.Fatalf("replay: %d %v after %d more calls", status, answer, f.rpc.calls.Load()-spent)
		}
		// And the wallet's owner does sign in for it.
		v = newViewer(f, holderKey)
		_, nonce, err = v.Nonce("tenant/gated")
		must(t, err)
		msg = strings.Replace(v.Message(nonce, "tenant/gated"), devchain.Address(holderKey).Hex(), contract, 1)
		if status, answer, _ := v.Verify("tenant/gated", msg, v.Sign(msg)); status != http.StatusForbidden || answer["code"] != "NotHolder" {
			t.Fatalf("owner of the contract wallet (which holds no NFT): %d %v, want 403 NotHolder", status, answer)
		}
	})

	t.Run("answers and logs carry no RPC URL or key", func(t *testing.T) {
		status, answer, _ := signIn(t, newViewer(f, holderKey), "tenant/dead")
		if status != http.StatusServiceUnavailable || answer["code"] != "ChainUnavailable" || answer["reason"] != "chain unavailable" {
			t.Fatalf("gate with an unreachable RPC: %d %v, want 503 chain unavailable", status, answer)
		}
		for _, leak := range []string{deadPassword, deadKey, "dial tcp", "127.0.0.1"} {
			for k, v := range answer {
				if strings.Contains(v, leak) {
					t.Errorf("answer's %s carries %q: %q", k, leak, v)
				}
			}
		}
		logs, err := os.ReadFile(f.log)
		must(t, err)
		if !strings.Contains(string(logs), "REDACTED") {
			t.Fatalf("the failure was not logged:\n%s", logs)
		}
		for _, secret := range []string{deadPassword, deadKey} {
			if strings.Contains(string(logs), secret) {
				t.Fatalf("serve's log carries %q", secret)
			}
		}
	})

	t.Run("rate limits answer 429 with Retry-After, per client and per wallet", func(t *testing.T) {
		client := newViewer(f, freshKey(t))
		client.Header = http.Header{"X-Forwarded-For": {"203.0.113.9"}}
		var status int
		var answer map[string]string
		for i := 0; i <= 200 && status != http.StatusTooManyRequests; i++ {
			status, answer, _ = client.Nonce("tenant/gated")
		}
		if status != http.StatusTooManyRequests || answer["retryAfter"] == "" || answer["code"] != "RateLimited" {
			t.Fatalf("201 nonces a minute from one client: %d %v, want 429 with Retry-After", status, answer)
		}
		other := newViewer(f, freshKey(t))
		other.Header = http.Header{"X-Forwarded-For": {"203.0.113.10"}}
		if status, _, _ := other.Nonce("tenant/gated"); status != http.StatusOK {
			t.Fatalf("another client was limited too: %d", status)
		}
		wallet := newViewer(f, freshKey(t))
		for i := range 5 {
			wallet.Header = http.Header{"X-Forwarded-For": {"198.51.100." + strconv.Itoa(i)}}
			if status, answer, _ := signIn(t, wallet, "tenant/gated"); status != http.StatusForbidden {
				t.Fatalf("sign-in %d of a non-holder: %d %v", i, status, answer)
			}
		}
		wallet.Header = http.Header{"X-Forwarded-For": {"198.51.100.99"}}
		if status, answer, _ := signIn(t, wallet, "tenant/gated"); status != http.StatusTooManyRequests || answer["retryAfter"] == "" {
			t.Fatalf("6th sign-in of one wallet in a minute, from a new address: %d %v, want 429", status, answer)
		}
		_, body := get(t, &viewer.Viewer{Client: &http.Client{}, Base: f.metrics}, "/metrics")
		for _, metric := range []string{`streamgate_serve_rate_limited_total{limit="client"}`, `streamgate_serve_rate_limited_total{limit="wallet"} 1`} {
			if !strings.Contains(string(body), metric) {
				t.Errorf("/metrics lacks %s", metric)
			}
		}
	})

	t.Run("every role's --help exits 0", func(t *testing.T) {
		for _, role := range []string{"manager", "serve", "index", "transcode"} {
			out, err := exec.Command(f.binary, role, "--help").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "-") {
				t.Errorf("streamgate %s --help: %v\n%s", role, err, out)
			}
		}
		if err := exec.Command(f.binary, "serve", "--no-such-flag").Run(); err == nil {
			t.Error("an unknown flag exits 0")
		}
	})
}

func freshKey(t *testing.T) *ecdsa.PrivateKey {
	key, err := crypto.GenerateKey()
	must(t, err)
	return key
}

type dappResult struct {
	Status int               `json:"status"`
	Body   map[string]string `json:"body"`
}

// dapp signs in with the npm siwe + ethers libraries (test/serve/dapp.mjs).
func dapp(t *testing.T, f *fixture, key, origin string) dappResult {
	t.Helper()
	args := []string{filepath.Join(repo.Root(), "test", "serve", "dapp.mjs"), f.base, "tenant/gated", "0x" + key}
	if origin != "" {
		args = append(args, origin)
	}
	out, err := exec.Command("node", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("dapp: %v\n%s", err, out)
	}
	var r dappResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("dapp printed %s", out)
	}
	return r
}

func watchInBrowser(t *testing.T, f *fixture) {
	artifacts := filepath.Join(repo.Root(), "artifacts")
	must(t, os.MkdirAll(artifacts, 0o755))
	screenshot := filepath.Join(artifacts, "watch-playing.png")
	state, err := viewer.Browser(repo.Root(), devchain.ToolsDir(), f.base+"/watch/tenant/gated", devchain.Key(1), screenshot)
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
