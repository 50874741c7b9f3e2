package storage

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// IPFS reads and adds content through a kubo node: its RPC API (kubo's
// /api/v0, which can add and pin) or an HTTP gateway (read-only, the safer
// one to give streaming pods). Keys are "CID" or "CID/path".
type IPFS struct {
	// API is the kubo RPC base URL (http://host:5001); Gateway an HTTP
	// gateway (http://host:8080). Reads use the gateway when both are set.
	API, Gateway string
	// Timeout bounds each call that must find content (a CID no node
	// provides would otherwise be searched for until the caller gives up).
	Timeout time.Duration
	HTTP    *http.Client
}

// NewIPFS checks the URLs and makes a client; it does not call the node.
func NewIPFS(api, gateway string, timeout time.Duration) (*IPFS, error) {
	for _, u := range []string{api, gateway} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
			return nil, fail(Invalid, "IPFS endpoint", errors.New("want an http(s) URL with no user"))
		}
	}
	if api == "" && gateway == "" {
		return nil, fail(Invalid, "IPFS endpoint", errors.New("neither an RPC API nor a gateway is set"))
	}
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	return &IPFS{API: strings.TrimRight(api, "/"), Gateway: strings.TrimRight(gateway, "/"), Timeout: timeout,
		HTTP: &http.Client{Transport: defaultTransport()}}, nil
}

func (c *IPFS) String() string {
	if c.Gateway != "" {
		return "IPFS gateway " + c.Gateway
	}
	return "IPFS RPC " + c.API
}

// cidPattern accepts CIDv0 (Qm…, base58) and base32 CIDv1 (b…).
var cidPattern = regexp.MustCompile(`^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{50,100})$`)

// ValidCID reports whether s is a CID this package reads.
func ValidCID(s string) bool { return cidPattern.MatchString(s) }

// checkKey refuses anything but CID[/clean/relative/path].
func checkKey(key string) error {
	cid, rest, _ := strings.Cut(key, "/")
	if !ValidCID(cid) {
		return fail(Invalid, "IPFS path", errors.New("not a CID"))
	}
	if rest == "" {
		return nil
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fail(Invalid, "IPFS path", errors.New("a path segment is empty, '.' or '..'"))
		}
	}
	return nil
}

// rpc POSTs to the kubo API and returns the body of a 200 answer.
func (c *IPFS) rpc(ctx context.Context, op, command string, args url.Values, body io.Reader, contentType string) (*http.Response, error) {
	if c.API == "" {
		return nil, fail(Invalid, op, errors.New("no IPFS RPC API is set"))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.API+"/api/v0/"+command+"?"+args.Encode(), body)
	if err != nil {
		return nil, fail(Invalid, op, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, op, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer func() { _ = resp.Body.Close() }()
	var kuboErr struct{ Message string }
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&kuboErr)
	return nil, classifyKubo(op, resp.StatusCode, kuboErr.Message)
}

// classifyKubo reads kubo's error messages: they are its own words about
// blocks and links, never a credential.
func classifyKubo(op string, status int, msg string) error {
	lower := strings.ToLower(msg)
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fail(CredentialsRefused, op, fmt.Errorf("HTTP %d", status))
	case strings.Contains(lower, "no link named"), strings.Contains(lower, "not found locally"),
		strings.Contains(lower, "no such file"), strings.Contains(lower, "not a directory"):
		return fail(NotFound, op, errors.New(msg))
	case strings.Contains(lower, "invalid") && strings.Contains(lower, "cid"), strings.Contains(lower, "invalid path"):
		return fail(Invalid, op, errors.New(msg))
	case strings.Contains(lower, "context deadline exceeded"), strings.Contains(lower, "timeout"):
		return fail(NotRetrievable, op, errors.New(msg))
	case status >= 500:
		return fail(Unreachable, op, fmt.Errorf("HTTP %d: %s", status, msg))
	}
	return fail(Invalid, op, fmt.Errorf("HTTP %d: %s", status, msg))
}

func (c *IPFS) transportError(ctx context.Context, op string, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fail(NotRetrievable, op, fmt.Errorf("no answer within %s", c.Timeout))
	}
	return fail(Unreachable, op, err)
}

// Check asks the node for its version (RPC) or the gateway for an empty
// folder's CID, which every node can answer without fetching anything.
func (c *IPFS) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, min(c.Timeout, 15*time.Second))
	defer cancel()
	if c.Gateway != "" {
		_, err := c.gatewayRequest(ctx, "check gateway", http.MethodHead, emptyFolderCID, -1, -1)
		return err
	}
	resp, err := c.rpc(ctx, "check node", "version", nil, nil, "")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// emptyFolderCID is the CIDv1 of an empty UnixFS folder, which every node
// holds.
const emptyFolderCID = "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"

func (c *IPFS) gatewayRequest(ctx context.Context, op, method, key string, offset, length int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Gateway+"/ipfs/"+key, nil)
	if err != nil {
		return nil, fail(Invalid, op, err)
	}
	if offset > 0 || length > 0 {
		r := "bytes=" + strconv.FormatInt(max(offset, 0), 10) + "-"
		if length > 0 {
			r += strconv.FormatInt(max(offset, 0)+length-1, 10)
		}
		req.Header.Set("Range", r)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, op, err)
	}
	switch {
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusPartialContent:
		return resp, nil
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		_ = resp.Body.Close()
		return nil, fail(Invalid, op, errors.New("range not satisfiable"))
	}
	_ = resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotFound:
		return nil, fail(NotFound, op, nil)
	case http.StatusGatewayTimeout:
		return nil, fail(NotRetrievable, op, errors.New("the gateway could not retrieve the content in time"))
	case http.StatusUnauthorized, http.StatusForbidden:
		return nil, fail(CredentialsRefused, op, fmt.Errorf("HTTP %d", resp.StatusCode))
	}
	if resp.StatusCode >= 500 {
		return nil, fail(Unreachable, op, fmt.Errorf("HTTP %d", resp.StatusCode))
	}
	return nil, fail(Invalid, op, fmt.Errorf("HTTP %d", resp.StatusCode))
}

// Stat describes a file; its ETag is the file's own CID.
func (c *IPFS) Stat(ctx context.Context, key string) (Info, error) {
	op := "stat " + key
	if err := checkKey(key); err != nil {
		return Info{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if c.Gateway != "" {
		resp, err := c.gatewayRequest(ctx, op, http.MethodHead, key, -1, -1)
		if err != nil {
			return Info{}, err
		}
		_ = resp.Body.Close()
		etag := strings.Trim(resp.Header.Get("Etag"), `"`)
		if resp.ContentLength < 0 {
			return Info{}, fail(Invalid, op, errors.New("the gateway gave no length (a folder?)"))
		}
		return Info{Size: resp.ContentLength, ETag: etag}, nil
	}
	resp, err := c.rpc(ctx, op, "files/stat", url.Values{"arg": {"/ipfs/" + key}}, nil, "")
	if err != nil {
		return Info{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	var st struct {
		Hash string
		Size int64
		Type string
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return Info{}, fail(Unreachable, op, err)
	}
	if st.Type != "file" {
		return Info{}, fail(NotFound, op, errors.New("not a file"))
	}
	return Info{Size: st.Size, ETag: st.Hash}, nil
}

// ReadRange reads a file from offset; a negative length reads to the end.
func (c *IPFS) ReadRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	op := "read " + key
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if length == 0 {
		return io.NopCloser(strings.NewReader("")), nil
	}
	// The timeout covers finding the content, not reading it.
	ctx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(c.Timeout, cancel)
	var resp *http.Response
	var err error
	if c.Gateway != "" {
		resp, err = c.gatewayRequest(ctx, op, http.MethodGet, key, offset, length)
	} else {
		args := url.Values{"arg": {"/ipfs/" + key}}
		if offset > 0 {
			args.Set("offset", strconv.FormatInt(offset, 10))
		}
		if length > 0 {
			args.Set("length", strconv.FormatInt(length, 10))
		}
		resp, err = c.rpc(ctx, op, "cat", args, nil, "")
	}
	stopped := timer.Stop()
	if err != nil {
		cancel()
		return nil, err
	}
	if !stopped {
		cancel()
		_ = resp.Body.Close()
		return nil, fail(NotRetrievable, op, fmt.Errorf("no answer within %s", c.Timeout))
	}
	return &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// AddFolder adds dir and everything in it, and returns the folder's root
// CID (CIDv1, raw leaves: the same files give the same CID on any node).
// With pin, the node pins it: its garbage collection then keeps it.
func (c *IPFS) AddFolder(ctx context.Context, dir string, pin bool) (string, error) {
	const top = "ladder"
	body, contentType := folderMultipart(dir, top)
	args := url.Values{
		"recursive": {"true"}, "cid-version": {"1"}, "raw-leaves": {"true"},
		"pin": {"false"}, "progress": {"false"}, "stream-channels": {"true"},
	}
	resp, err := c.rpc(ctx, "add "+filepath.Base(dir), "add", args, body, contentType)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	root := ""
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64<<10), 1<<20)
	for scanner.Scan() {
		var line struct{ Name, Hash, Message string }
		if err := json.Unmarshal(scanner.Bytes(), &line); err != nil {
			return "", fail(Unreachable, "add", err)
		}
		if line.Message != "" {
			return "", classifyKubo("add", http.StatusInternalServerError, line.Message)
		}
		if line.Name == top {
			root = line.Hash
		}
	}
	if err := scanner.Err(); err != nil {
		return "", fail(Unreachable, "add", err)
	}
	// An error after the answer began arrives as a trailer.
	if msg := resp.Trailer.Get("X-Stream-Error"); msg != "" {
		return "", classifyKubo("add", http.StatusInternalServerError, msg)
	}
	if root == "" {
		return "", fail(Unreachable, "add", errors.New("the node named no root folder"))
	}
	if pin {
		presp, err := c.rpc(ctx, "pin "+root, "pin/add", url.Values{"arg": {root}}, nil, "")
		if err != nil {
			if e := (*Error)(nil); errors.As(err, &e) && e.Kind != Unreachable && e.Kind != NotRetrievable {
				e.Kind = PinningRefused
			}
			return "", err
		}
		_ = presp.Body.Close()
	}
	return root, nil
}

// Unpin lets the node collect a ladder; not pinned is no error.
func (c *IPFS) Unpin(ctx context.Context, cid string) error {
	if !ValidCID(cid) {
		return fail(Invalid, "unpin", errors.New("not a CID"))
	}
	resp, err := c.rpc(ctx, "unpin "+cid, "pin/rm", url.Values{"arg": {cid}}, nil, "")
	if err != nil {
		var e *Error
		if errors.As(err, &e) && strings.Contains(e.Error(), "not pinned") {
			return nil
		}
		return err
	}
	return resp.Body.Close()
}

// folderMultipart streams dir as kubo's add expects it: a part per folder
// (application/x-directory) and per file, each named by its path under top,
// parents first.
func folderMultipart(dir, top string) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			name := top
			if rel != "." {
				name = top + "/" + filepath.ToSlash(rel)
			}
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, url.PathEscape(name)))
			if d.IsDir() {
				h.Set("Content-Type", "application/x-directory")
				_, err := mw.CreatePart(h)
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			h.Set("Content-Type", "application/octet-stream")
			part, err := mw.CreatePart(h)
			if err != nil {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer func() { _ = f.Close() }()
			_, err = io.Copy(part, f)
			return err
		})
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType()
}
