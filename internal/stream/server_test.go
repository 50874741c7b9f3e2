package stream

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/passes"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/loopback"
)

const testOrigin = "https://watch.example.com"

// newTestServer is an in-process server of one gated video (a bare master
// playlist) whose gate asks rpcURL, signing in under testOrigin unless the
// catalog says otherwise.
func newTestServer(t testing.TB, rpcURL string, contract string, edit func(*catalog.Catalog)) *Server {
	t.Helper()
	dir := t.TempDir()
	video := filepath.Join(dir, "claims", "media", "t", "v")
	must(t, os.MkdirAll(video, 0o755))
	must(t, os.WriteFile(filepath.Join(video, "master.m3u8"), []byte("#EXTM3U\n"), 0o644))
	secret := filepath.Join(dir, "secret")
	must(t, os.MkdirAll(secret, 0o755))
	must(t, os.WriteFile(filepath.Join(secret, SigningKeyFile), []byte(hex.EncodeToString([]byte("test-signing-key-0123456789abcdef"))), 0o600))
	must(t, os.WriteFile(filepath.Join(secret, "rpc.g"), []byte(rpcURL), 0o600))
	cat := catalog.Catalog{
		SignIn: catalog.SignIn{Origins: []string{testOrigin}},
		Videos: []catalog.Video{{Namespace: "t", Name: "v", Claim: "media", Playlist: "t/v/master.m3u8",
			Gate: &catalog.Gate{Ready: true, Family: "evm", ChainID: "31337", RPCKey: "rpc.g",
				Policy: gate.Policy{Name: "t/g", CacheTTL: time.Hour, Conditions: []gate.Condition{{Standard: gate.ERC721, Contract: contract}}}}}},
	}
	if edit != nil {
		edit(&cat)
	}
	data, err := json.Marshal(cat)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, catalog.FileName), data, 0o644))
	s, err := New(context.Background(), Config{CatalogFile: filepath.Join(dir, catalog.FileName), SecretDir: secret,
		ClaimsRoot: filepath.Join(dir, "claims"), Log: logr.Discard()})
	must(t, err)
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// post sends a JSON body from a client behind the trusted proxy 192.0.2.1.
func post(h http.Handler, path, client string, body any, cookie string) *httptest.ResponseRecorder {
	data, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(data)))
	req.RemoteAddr = "192.0.2.1:40000"
	req.Header.Set("X-Forwarded-For", client)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// A hundred thousand distinct wallets sign in, each from its own address:
// every in-memory store stays within its bound (decisions, spent nonces,
// both rate limiters), and every sign-in still gets its answer.
func TestHundredThousandWalletsStayWithinBounds(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	const maxDecisions = 20_000
	s := newTestServer(t, anvil.URL, nft.Address.Hex(), func(c *catalog.Catalog) {
		c.SignIn.TrustedProxies = []string{"192.0.2.1"}
	})
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	s.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	st := s.state.Load()
	st.videos["t/v"].evaluator.MaxEntries = maxDecisions
	st.videos["t/v"].evaluator.Now = s.now
	h := s.Handler()

	const wallets = 100_000
	var wg sync.WaitGroup
	var failures sync.Map
	work := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range work {
				if code := signInOnce(h, i, s.now()); code != http.StatusForbidden {
					failures.Store(i, code)
				}
				if i%100 == 0 {
					mu.Lock()
					clock = clock.Add(time.Second) // 100 sign-ins a second, so nonces expire
					mu.Unlock()
				}
			}
		})
	}
	for i := range wallets {
		work <- i
	}
	close(work)
	wg.Wait()
	failures.Range(func(k, v any) bool { t.Fatalf("wallet %d: status %d, want 403 (holds none)", k, v); return false })

	for name, got := range map[string][2]int{
		"cached decisions":     {st.videos["t/v"].evaluator.CachedDecisions(), maxDecisions},
		"spent nonces":         {st.nonces.Spent(), gate.DefaultMaxSpentNonces},
		"client rate buckets":  {st.clients.buckets.Len(), maxLimiterKeys},
		"wallet rate buckets":  {st.wallets.buckets.Len(), maxLimiterKeys},
		"parsed playlists (0)": {s.playlists.Len(), maxPlaylists},
	} {
		t.Logf("%s: %d (bound %d)", name, got[0], got[1])
		if got[0] > got[1] {
			t.Errorf("%s: %d entries, bound %d", name, got[0], got[1])
		}
	}
	if n := st.videos["t/v"].evaluator.CachedDecisions(); n < maxDecisions/2 {
		t.Errorf("only %d decisions cached: the cache was not exercised", n)
	}
}

// signInOnce signs in as a fresh wallet number i, from client address i.
func signInOnce(h http.Handler, i int, now time.Time) int {
	client := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
	key, _ := crypto.GenerateKey()
	return signInAs(h, key, client, now).Code
}

// signInAs signs in to t/v with key's wallet, from client.
func signInAs(h http.Handler, key *ecdsa.PrivateKey, client string, now time.Time) *httptest.ResponseRecorder {
	w := post(h, "/auth/nonce", client, map[string]string{"video": "t/v"}, "")
	if w.Code != http.StatusOK {
		return w
	}
	var n map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &n)
	msg := fmt.Sprintf("%s wants you to sign in with your Ethereum account:\n%s\n\nURI: %s/watch/t/v\nVersion: 1\nChain ID: 31337\nNonce: %s\nIssued At: %s",
		n["domain"], crypto.PubkeyToAddress(key.PublicKey).Hex(), n["uri"], n["nonce"], now.Format(time.RFC3339))
	hash := evm.PersonalHash([]byte(msg))
	sig, _ := crypto.Sign(hash[:], key)
	sig[64] += 27
	cookie := strings.Split(w.Header().Get("Set-Cookie"), ";")[0]
	return post(h, "/auth/verify", client, map[string]string{"video": "t/v", "message": msg, "signature": hexutil.Encode(sig)}, cookie)
}

// A subscription's end refuses at once, with no chain event: its playback
// token stops at the end, and a new sign-in is refused as PassExpired,
// saying when the pass ended. The server's clock is the chain's.
func TestAccessEndsWhenThePassEnds(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	creator, subscriber := devchain.Key(0), devchain.Key(1)
	opts, err := bind.NewKeyedTransactorWithChainID(creator, big.NewInt(anvil.ChainID))
	must(t, err)
	mined := func(tx *types.Transaction, err error) {
		t.Helper()
		must(t, err)
		_, err = bind.WaitMined(context.Background(), anvil.Client, tx)
		must(t, err)
	}
	const period = 3600
	passAddr, tx, pass, err := passes.DeployStreamGatePass(opts, anvil.Client, "P", "P", devchain.Address(creator), period, big.NewInt(1), devchain.Address(creator), big.NewInt(0))
	mined(tx, err)
	mined(pass.Mint(opts, devchain.Address(subscriber), big.NewInt(1), period))
	expires, err := pass.ExpiresAt(&bind.CallOpts{}, big.NewInt(1))
	must(t, err)
	end := time.Unix(int64(expires), 0)

	s := newTestServer(t, anvil.URL, passAddr.Hex(), func(c *catalog.Catalog) {
		c.TokenTTL = catalog.Duration{Duration: 24 * time.Hour}
		c.SignIn.TrustedProxies = []string{"192.0.2.1"}
		c.Videos[0].Gate.Policy.Conditions = []gate.Condition{{Standard: gate.ERC5643, Contract: passAddr.Hex(), TokenIDs: []string{"1"}}}
	})
	chainNow := func() time.Time {
		head, err := anvil.Client.HeaderByNumber(context.Background(), nil)
		must(t, err)
		return time.Unix(int64(head.Time), 0)
	}
	clock := chainNow()
	s.now = func() time.Time { return clock }
	s.state.Load().videos["t/v"].evaluator.Now = s.now
	h := s.Handler()

	w := signInAs(h, subscriber, "10.0.0.1", clock)
	var grant map[string]string
	must(t, json.Unmarshal(w.Body.Bytes(), &grant))
	if w.Code != http.StatusOK || grant["accessUntil"] != end.UTC().Format(time.RFC3339) || grant["expiresAt"] != grant["accessUntil"] {
		t.Fatalf("subscriber: %d %v, want a token that ends with the pass at %s", w.Code, grant, end.UTC())
	}
	playlist := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v/t/v/master.m3u8?t="+grant["token"], nil))
		return w
	}
	if w := playlist(); w.Code != http.StatusOK {
		t.Fatalf("the playlist before the pass ends: %d %s", w.Code, w.Body)
	}

	// The pass's last second: still in. The next: out, with no chain event.
	clock = end.Add(-time.Second)
	if w := playlist(); w.Code != http.StatusOK {
		t.Errorf("the playlist a second before the pass ends: %d %s", w.Code, w.Body)
	}
	must(t, anvil.RPC.Call(nil, "evm_increaseTime", period))
	must(t, anvil.RPC.Call(nil, "evm_mine"))
	clock = end
	if w := playlist(); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "TokenExpired") {
		t.Errorf("the token when the pass ends: %d %s, want 401 TokenExpired", w.Code, w.Body)
	}
	w = signInAs(h, subscriber, "10.0.0.1", clock)
	var refusal map[string]string
	must(t, json.Unmarshal(w.Body.Bytes(), &refusal))
	if w.Code != http.StatusForbidden || refusal["code"] != "PassExpired" || refusal["accessEnded"] != end.UTC().Format(time.RFC3339) {
		t.Errorf("sign-in after the end: %d %v, want 403 PassExpired with accessEnded %s", w.Code, refusal, end.UTC())
	}
}

// Until the endpoint lists the origins it is served under, gated sign-in is
// refused: the Host of a request is never a substitute.
func TestSignInRefusedUntilOriginsAreConfigured(t *testing.T) {
	s := newTestServer(t, "http://127.0.0.1:1", "0x0000000000000000000000000000000000000001", func(c *catalog.Catalog) { c.SignIn.Origins = nil })
	h := s.Handler()
	for _, path := range []string{"/auth/nonce", "/auth/verify"} {
		w := post(h, path, "10.0.0.1", map[string]string{"video": "t/v", "message": "x", "signature": "0x"}, "")
		var body map[string]string
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != http.StatusServiceUnavailable || body["code"] != "SignInNotConfigured" {
			t.Errorf("%s: %d %v, want 503 SignInNotConfigured", path, w.Code, body)
		}
	}
}

// X-Forwarded-For is believed only from a trusted proxy, and only up to the
// first hop that is not one: what a client writes itself is not.
func TestClientAddressBelievesOnlyTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct{ peer, xff, want string }{
		{"203.0.113.5:1", "1.2.3.4", "203.0.113.5"},                       // untrusted peer: header ignored
		{"10.0.0.2:1", "198.51.100.7", "198.51.100.7"},                    // one trusted proxy
		{"10.0.0.2:1", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"}, // client-written left part ignored
		{"10.0.0.2:1", "", "10.0.0.2"},                                    // no header: the proxy itself
		{"10.0.0.2:1", "garbage, 198.51.100.7", "198.51.100.7"},
		{"[::ffff:10.0.0.2]:1", "198.51.100.7", "198.51.100.7"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/auth/nonce", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientAddress(r, trusted); got != tc.want {
			t.Errorf("peer %s, XFF %q: client %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
	if clientKey("2001:db8:1:2:3:4:5:6") != clientKey("2001:db8:1:2:ffff::1") {
		t.Error("two addresses of one IPv6 /64 are different clients")
	}
}

// The bucket refills at its rate and says when to come back.
func TestLimiter(t *testing.T) {
	l := newLimiter(2)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 2 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatal("refused within the burst")
		}
	}
	ok, retry := l.allow("a", now)
	if ok || retry != 30 {
		t.Fatalf("third in a minute: ok=%v retry=%d, want refused, retry in 30 s", ok, retry)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Fatal("another key was refused")
	}
	if ok, _ := l.allow("a", now.Add(30*time.Second)); !ok {
		t.Fatal("refused after the refill")
	}
}

// FuzzVideoPath: whatever path a viewer sends, a video key and file come
// back only when no segment is empty, "." or "..", and nothing leads out.
func FuzzVideoPath(f *testing.F) {
	for _, p := range []string{"/v/t/v/master.m3u8", "/v/t/v/../x", "/v/t/v/%2e%2e/x", "/v/t//v/a", "/v/t/v/a%2fb", "/v/t/v/a\\b"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !strings.HasPrefix(raw, "/v/") {
			raw = "/v/" + raw
		}
		req, err := http.NewRequest(http.MethodGet, "http://x"+raw, nil)
		if err != nil {
			return
		}
		key, file, ok := splitVideoPath(req)
		if !ok {
			return
		}
		for _, segment := range strings.Split(key+"/"+file, "/") {
			if segment == "" || segment == "." || segment == ".." || strings.ContainsAny(segment, "\\\x00") {
				t.Fatalf("%q gave key %q file %q", raw, key, file)
			}
		}
		if strings.Count(key, "/") != 1 {
			t.Fatalf("%q gave key %q", raw, key)
		}
	})
}

// FuzzSignInBodies sends arbitrary bodies, cookies and origins to the
// sign-in endpoints: no panic, no 500, and every refusal is from the fixed
// vocabulary (never an error's text).
func FuzzSignInBodies(f *testing.F) {
	s := newTestServer(f, "http://127.0.0.1:1", "0x0000000000000000000000000000000000000001", nil)
	h := s.Handler()
	codes := map[string]bool{}
	for _, r := range []refusal{refuseMethodGet, refuseMethodPost, refuseBadRequest, refuseUnknown, refusePublic, refuseGate, refuseNoSignIn,
		refuseOrigin, refuseLimited, refuseAddress, refuseBusy, refuseMessage, refuseDomain, refuseURI, refuseChain, refuseTime, refuseExpired,
		refuseNotYet, refuseNonceCookie, refuseNonceExpired, refuseNonceMatch, refuseNonceReused, refuseSignature, refuseUnavailable,
		refuseHoldsNone, refuseMissingSome, refuseNoConditions, refuseNoToken, refuseTokenExpired, refuseTokenScope, refuseTokenInvalid} {
		codes[r.code+"\x00"+r.reason] = true
	}
	f.Add("/auth/verify", `{"video":"t/v","message":"x","signature":"0x00","scheme":"eip191"}`, "sg_nonce=abc", "")
	f.Add("/auth/nonce", `{"video":"t/v"}`, "", "https://watch.example.com")
	f.Add("/auth/verify", `{"video":"t/v","message":"watch.example.com wants you to sign in with your Solana account:\n11111111111111111111111111111111\n\n\nURI: https://watch.example.com\nVersion: 1\nChain ID: 31337\nNonce: abcdefgh\nIssued At: 2026-01-01T00:00:00Z","signature":"1","scheme":"solana"}`, "", "null")
	f.Fuzz(func(t *testing.T, path, body, cookie, origin string) {
		if path != "/auth/verify" && path != "/auth/nonce" {
			path = "/auth/verify"
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("%d for %q", w.Code, body)
		}
		if w.Code == http.StatusOK {
			return
		}
		var answer map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil || !codes[answer["code"]+"\x00"+answer["reason"]] {
			t.Fatalf("%d %q is not from the vocabulary", w.Code, w.Body.String())
		}
	})
}

// FuzzPlaylist: any playlist on disk renders without panic, and with a
// token every URI it names carries that token.
func FuzzPlaylist(f *testing.F) {
	f.Add("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\nseg_00000.m4s\n#EXT-X-ENDLIST\n")
	f.Add("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",URI=\"audio/index.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8?x=1\n")
	f.Fuzz(func(t *testing.T, data string) {
		p := parsePlaylist([]byte(data))
		out := string(p.render("TOKEN"))
		if len(out) != p.length("TOKEN") {
			t.Fatalf("length %d, rendered %d", p.length("TOKEN"), len(out))
		}
		_ = p.render("")
	})
}

// Symlinks are resolved, and confined to the video's own folder: one that
// stays inside it works, one into a sibling video or out of the claim does
// not. Both ways of opening (the kernel's openat2, and os.Root where that
// is missing) hold it.
func TestSymlinksStayInsideTheVideosFolder(t *testing.T) {
	claims := t.TempDir()
	video := filepath.Join(claims, "media", "t", "v")
	must(t, os.MkdirAll(filepath.Join(video, "360p"), 0o755))
	must(t, os.MkdirAll(filepath.Join(claims, "media", "t", "other"), 0o755))
	must(t, os.WriteFile(filepath.Join(video, "360p", "seg.m4s"), []byte("own"), 0o644))
	must(t, os.WriteFile(filepath.Join(claims, "media", "t", "other", "seg.m4s"), []byte("sibling"), 0o644))
	links := map[string]string{
		"alias.m4s":   "360p/seg.m4s",                          // inside: fine
		"sibling.m4s": "../other/seg.m4s",                      // another video
		"passwd.m4s":  "/etc/passwd",                           // out of the claim
		"up":          "..",                                    // a folder link upwards
		"abs.m4s":     filepath.Join(video, "360p", "seg.m4s"), // absolute, even to itself
	}
	for name, target := range links {
		must(t, os.Symlink(target, filepath.Join(video, name)))
	}
	l := &loader{claimsRoot: claims}
	root, dir, err := l.claimRoot("media")
	must(t, err)
	e := &videoEntry{root: root, claim: dir, dir: "t/v"}
	for _, fallback := range []bool{false, true} {
		noOpenat2.Store(fallback)
		for file, want := range map[string]string{"360p/seg.m4s": "own", "alias.m4s": "own", "sibling.m4s": "", "passwd.m4s": "", "up/other/seg.m4s": "", "abs.m4s": ""} {
			f, err := e.open(file)
			got := ""
			if err == nil {
				b, _ := io.ReadAll(f)
				_ = f.Close()
				got = string(b)
			}
			if got != want {
				t.Errorf("fallback=%v %s: read %q (%v), want %q", fallback, file, got, err, want)
			}
		}
	}
	noOpenat2.Store(false)
}

// A Video's ladders are published in revision folders. The master URL
// stays the same and serves the current revision, every URI in it naming
// its revision, so a segment URL always means the same bytes (immutable
// caching is true); a player that loaded the previous master finishes on
// the previous revision's files.
func TestRevisionsGiveSegmentsURLsOfTheirOwn(t *testing.T) {
	claims := t.TempDir()
	for rev, content := range map[string]string{"aaaaaaaaaa": "old", "bbbbbbbbbb": "new"} {
		dir := filepath.Join(claims, "media", "t", "v", rev)
		must(t, os.MkdirAll(filepath.Join(dir, "720p"), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "master.m3u8"), []byte("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",URI=\"audio/index.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n"), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "720p", "index.m3u8"), []byte("#EXTM3U\n#EXTINF:4,\nseg_00000.m4s\n#EXT-X-ENDLIST\n"), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "720p", "seg_00000.m4s"), []byte(content), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "poster.jpg"), []byte(content+" poster"), 0o644))
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	must(t, os.MkdirAll(secret, 0o755))
	must(t, os.WriteFile(filepath.Join(secret, SigningKeyFile), []byte(hex.EncodeToString([]byte("test-signing-key-0123456789abcdef"))), 0o600))
	cat := catalog.Catalog{Videos: []catalog.Video{{Namespace: "t", Name: "v", Claim: "media",
		Playlist: "t/v/bbbbbbbbbb/master.m3u8", Root: "t/v", Revision: "bbbbbbbbbb"}}}
	data, _ := json.Marshal(cat)
	must(t, os.WriteFile(filepath.Join(dir, catalog.FileName), data, 0o644))
	s, err := New(context.Background(), Config{CatalogFile: filepath.Join(dir, catalog.FileName), SecretDir: secret, ClaimsRoot: claims, Log: logr.Discard()})
	must(t, err)
	h := s.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	master := get("/v/t/v/master.m3u8")
	if master.Code != 200 || !strings.Contains(master.Body.String(), "\nbbbbbbbbbb/720p/index.m3u8\n") ||
		!strings.Contains(master.Body.String(), `URI="bbbbbbbbbb/audio/index.m3u8"`) {
		t.Fatalf("master: %d\n%s", master.Code, master.Body.String())
	}
	if cc := master.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("the master changes with each revision, but is cached as %q", cc)
	}
	for path, want := range map[string]string{"/v/t/v/bbbbbbbbbb/720p/seg_00000.m4s": "new", "/v/t/v/aaaaaaaaaa/720p/seg_00000.m4s": "old"} {
		w := get(path)
		if w.Code != 200 || w.Body.String() != want || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %q %q", path, w.Code, w.Body.String(), w.Header().Get("Cache-Control"))
		}
	}
	if w := get("/v/t/v/bbbbbbbbbb/720p/index.m3u8"); w.Code != 200 || !strings.Contains(w.Body.String(), "\nseg_00000.m4s\n") {
		t.Errorf("variant playlist: %d %s", w.Code, w.Body.String())
	}
	// The player names the poster without a revision: it is the current
	// one's, and cached as briefly as the master.
	if w := get("/v/t/v/poster.jpg"); w.Code != 200 || w.Body.String() != "new poster" || strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("poster: %d %q %q", w.Code, w.Body.String(), w.Header().Get("Cache-Control"))
	}
}

// A gate's indexer reader, and the change stream it follows, go when no
// gate names that indexer any more: a pod that sees many gates come and go
// keeps none of their readers.
func TestIndexerReadersGoWithTheirGates(t *testing.T) {
	var streams atomic.Int64
	indexer := loopback.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/events" {
			http.NotFound(w, r)
			return
		}
		streams.Add(1)
		defer streams.Add(-1)
		w.Header().Set("Content-Type", "text/event-stream")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	s := newTestServer(t, "http://127.0.0.1:1", "0x0000000000000000000000000000000000000001", func(c *catalog.Catalog) {
		c.Videos[0].Gate.IndexerURL = indexer.URL
	})
	waitFor := func(want int64) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); streams.Load() != want; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d open change streams, want %d", streams.Load(), want)
			}
		}
	}
	waitFor(1)
	cat, _, err := catalog.Load(s.loader.catalogFile)
	must(t, err)
	cat.Videos[0].Gate.IndexerURL = ""
	data, err := json.Marshal(cat)
	must(t, err)
	must(t, os.WriteFile(s.loader.catalogFile, data, 0o644))
	if _, err := s.loader.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(0)
	if n := len(s.loader.indexers); n != 0 {
		t.Errorf("%d indexer readers kept", n)
	}
}
