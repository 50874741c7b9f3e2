// Package viewer is a scripted viewer of a StreamGate endpoint: it signs in
// with a wallet key as a browser wallet would (EIP-4361 over EIP-191) and
// fetches a video the way a player does — master playlist, variants, init
// and media segments — with the token the playlists carry.
package viewer

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/media"
)

// Viewer is a browser-like client with its own cookie jar.
type Viewer struct {
	*http.Client
	Key  *ecdsa.PrivateKey
	Base string // http://host:port of the endpoint
	// Header is added to every POST (Origin, X-Forwarded-For, …); a "Host"
	// entry sets the request's Host, as a client in front of a proxy may.
	Header http.Header
}

// New is a viewer of the endpoint at base holding key.
func New(base string, key *ecdsa.PrivateKey) *Viewer {
	jar, _ := cookiejar.New(nil)
	return &Viewer{Client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, Key: key, Base: strings.TrimRight(base, "/")}
}

// PostJSON sends body and decodes the JSON answer (string fields only).
func (v *Viewer) PostJSON(path string, body any) (int, map[string]string, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(http.MethodPost, v.Base+path, strings.NewReader(string(data)))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vals := range v.Header {
		if k == "Host" {
			req.Host = vals[0]
			continue
		}
		req.Header[k] = vals
	}
	resp, err := v.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var raw map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	out := map[string]string{}
	for k, val := range raw {
		if s, ok := val.(string); ok {
			out[k] = s
		}
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		out["retryAfter"] = ra
	}
	return resp.StatusCode, out, nil
}

// SignIn asks a nonce, signs an EIP-4361 message and sends it; it returns
// the status and the answer (token or reason), and a function that sends the
// same signed message again.
func (v *Viewer) SignIn(video string) (int, map[string]string, func() (int, map[string]string, error), error) {
	status, nonce, err := v.Nonce(video)
	if err != nil {
		return 0, nil, nil, err
	}
	if status != http.StatusOK {
		return status, nonce, nil, fmt.Errorf("nonce for %s: %d %v", video, status, nonce)
	}
	msg := v.Message(nonce, video)
	send := func() (int, map[string]string, error) { return v.Verify(video, msg, v.Sign(msg)) }
	status, answer, err := send()
	return status, answer, send, err
}

// Nonce starts a sign-in; the cookie it sets is kept in the jar.
func (v *Viewer) Nonce(video string) (int, map[string]string, error) {
	return v.PostJSON("/auth/nonce", map[string]string{"video": video})
}

// Message is the EIP-4361 message a dapp builds from a nonce answer: the
// domain it advertises, and a URI under its origin.
func (v *Viewer) Message(nonce map[string]string, video string) string {
	return fmt.Sprintf("%s wants you to sign in with your Ethereum account:\n%s\n\nWatch.\n\nURI: %s/watch/%s\nVersion: 1\nChain ID: %s\nNonce: %s\nIssued At: %s",
		nonce["domain"], crypto.PubkeyToAddress(v.Key.PublicKey).Hex(), nonce["uri"], video, nonce["chainId"], nonce["nonce"], time.Now().UTC().Format(time.RFC3339))
}

// Sign signs msg with personal_sign (EIP-191), as a browser wallet does.
func (v *Viewer) Sign(msg string) string {
	hash := evm.PersonalHash([]byte(msg))
	sig, err := crypto.Sign(hash[:], v.Key)
	if err != nil {
		panic(err) // only for a key that is not one
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

// Verify sends a signed message.
func (v *Viewer) Verify(video, msg, signature string) (int, map[string]string, error) {
	return v.PostJSON("/auth/verify", map[string]string{"video": video, "message": msg, "signature": signature, "scheme": "eip191"})
}

// Get fetches a path as written (".." and %2e%2e included).
func (v *Viewer) Get(rawPath string) (*http.Response, []byte, error) {
	u, err := url.Parse(v.Base)
	if err != nil {
		return nil, nil, err
	}
	req := &http.Request{Method: http.MethodGet, Header: http.Header{}, Host: u.Host,
		URL: &url.URL{Scheme: u.Scheme, Host: u.Host, Opaque: "//" + u.Host + rawPath}}
	resp, err := v.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", rawPath, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// Playback is what a player fetched of one video.
type Playback struct {
	Renditions int
	Files      int // init and media segments
	Bytes      int64
}

// Watch fetches the master playlist (with token, when not empty), every
// variant and alternate playlist, and every init and media segment they
// name, and fails on the first answer that is not 200 or on a URI that does
// not carry the token.
func (v *Viewer) Watch(video, token string) (*Playback, error) {
	prefix := "/v/" + video + "/"
	master := prefix + "master.m3u8"
	if token != "" {
		master += "?t=" + token
	}
	body, err := v.fetch(master)
	if err != nil {
		return nil, err
	}
	parsed, err := media.ParseMaster(body)
	if err != nil {
		return nil, fmt.Errorf("master playlist of %s: %w", video, err)
	}
	var playlists []string
	for _, variant := range parsed.Variants {
		playlists = append(playlists, variant.URI)
	}
	for _, alternate := range parsed.Alternates {
		playlists = append(playlists, alternate.URI)
	}
	out := &Playback{Renditions: len(parsed.Variants)}
	for _, uri := range playlists {
		if err := carries(uri, token); err != nil {
			return nil, err
		}
		body, err := v.fetch(prefix + uri)
		if err != nil {
			return nil, err
		}
		playlist, err := media.ParseMedia(body)
		if err != nil {
			return nil, fmt.Errorf("playlist %s: %w", uri, err)
		}
		dir := uri[:strings.LastIndex(uri, "/")+1]
		files := []string{playlist.InitURI}
		for _, segment := range playlist.Segments {
			files = append(files, segment.URI)
		}
		for _, file := range files {
			if err := carries(file, token); err != nil {
				return nil, err
			}
			body, err := v.fetch(prefix + dir + file)
			if err != nil {
				return nil, err
			}
			out.Files++
			out.Bytes += int64(len(body))
		}
	}
	return out, nil
}

func (v *Viewer) fetch(path string) ([]byte, error) {
	resp, body, err := v.Get(path)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		return nil, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return body, nil
}

func carries(uri, token string) error {
	if token != "" && !strings.Contains(uri, "t="+token) {
		return fmt.Errorf("URI %q does not carry the playback token", uri)
	}
	return nil
}

// Browser opens a watch page in headless Chromium (test/browser/watch.mjs
// with playwright-core), signs in with key through an injected wallet, and
// waits until the video plays past 2 s; it saves a screenshot and returns
// what the page reported.
func Browser(repoRoot, nodeModules, watchURL string, key *ecdsa.PrivateKey, screenshot string) (string, error) {
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		return "", fmt.Errorf("Debian's chromium is required (apt-get install -y chromium): %w", err)
	}
	script := filepath.Join(repoRoot, "test", "browser", "watch.mjs")
	cast := filepath.Join(nodeModules, "@foundry-rs", "cast-linux-amd64", "bin", "cast")
	cmd := exec.Command("node", script, watchURL, hexutil.Encode(crypto.FromECDSA(key)),
		crypto.PubkeyToAddress(key.PublicKey).Hex(), cast, screenshot)
	cmd.Env = append(os.Environ(), "STREAMGATE_NODE_MODULES="+nodeModules)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("the player did not play: %w\n%s", err, out)
	}
	return strings.TrimSpace(string(out)), nil
}
