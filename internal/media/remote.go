package media

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/streamgate-io/streamgate/internal/storage"
)

// RemoteSource is a source in an object store or IPFS.
type RemoteSource struct {
	Reader storage.Reader
	// Key is the object key, or CID[/path].
	Key string
	// Name says where it is, for messages (s3://bucket/key, ipfs://CID):
	// never a credential.
	Name string
}

// storageFailure turns a storage error into a transcode failure. A missing
// object or CID path is permanent, like a missing file; a store that does
// not answer is worth a retry.
func storageFailure(err error, format string, args ...any) *Error {
	switch storage.KindOf(err) {
	case storage.NotFound:
		return failure(ReasonSourceUnreachable, false, err, format, args...)
	case storage.BucketNotFound:
		return failure(ReasonBucketNotFound, false, err, format, args...)
	case storage.CredentialsRefused:
		return failure(ReasonCredentialsRefused, false, err, format, args...)
	case storage.NotRetrievable:
		return failure(ReasonContentNotRetrievable, true, err, format, args...)
	case storage.PinningRefused:
		return failure(ReasonPinningRefused, false, err, format, args...)
	case storage.Invalid:
		return failure(ReasonInvalidInput, false, err, format, args...)
	}
	return failure(ReasonStorageUnreachable, true, err, format, args...)
}

// openedSource is a remote source as ffmpeg reads it.
type openedSource struct {
	// input is a path or a loopback URL.
	input string
	stop  func()
	// readErr is the first error the store gave while ffmpeg read: ffmpeg
	// sees only a short read, which would pass for a truncated (corrupt)
	// source, so the store's failure is what the transcode reports.
	mu      sync.Mutex
	readErr error
}

func (o *openedSource) failed(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.readErr == nil {
		o.readErr = err
	}
}

// sourceFailure is the store's failure while ffmpeg read, if there was one.
func (o *openedSource) sourceFailure(name string) error {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.readErr == nil {
		return nil
	}
	return storageFailure(o.readErr, "read the source %s", name)
}

// recordingReader notes the first error of the reads it passes on.
type recordingReader struct {
	io.ReadSeekCloser
	o *openedSource
}

func (r recordingReader) Read(p []byte) (int, error) {
	n, err := r.ReadSeekCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.o.failed(err)
	}
	return n, err
}

// openRemoteSource makes a remote source something ffmpeg can read. With a
// SHA-256 to check, the file is downloaded once into the scratch folder
// (ffmpeg seeks, and the hash must cover every byte before any is trusted).
// Without one, ffmpeg reads it through a loopback HTTP server that turns its
// range requests into ranged reads of the store: nothing is staged.
func openRemoteSource(ctx context.Context, src RemoteSource, scratch, wantSHA256 string) (*openedSource, error) {
	info, err := src.Reader.Stat(ctx, src.Key)
	if err != nil {
		return nil, storageFailure(err, "read the source %s", src.Name)
	}
	if wantSHA256 != "" {
		p, err := stageRemote(ctx, src, info.Size, scratch, wantSHA256)
		if err != nil {
			return nil, err
		}
		return &openedSource{input: p, stop: func() { _ = os.Remove(p) }}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, failure(ReasonTranscodeFailed, true, err, "listen on loopback for the source")
	}
	opened := &openedSource{}
	name := "/source" + sourceExt(src.Key)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != name {
			http.NotFound(w, r)
			return
		}
		// Open the range before answering, so that a store that stopped
		// answering gives ffmpeg an error status, not an empty 206.
		rs := storage.NewRangeReadSeeker(r.Context(), src.Reader, src.Key, info.Size)
		defer func() { _ = rs.Close() }()
		if err := rs.Open(rangeStart(r.Header.Get("Range"))); err != nil {
			opened.failed(err)
			http.Error(w, "source unavailable", http.StatusServiceUnavailable)
			return
		}
		http.ServeContent(w, r, "", info.ModTime, recordingReader{ReadSeekCloser: rs, o: opened})
	})}
	go func() { _ = srv.Serve(ln) }()
	opened.input = "http://" + ln.Addr().String() + name
	opened.stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return opened, nil
}

// sourceExt is the key's extension when it is a plain one (".mp4"), as a
// hint for ffmpeg's probe; anything else is dropped.
func sourceExt(key string) string {
	ext := path.Ext(key)
	if len(ext) < 2 || len(ext) > 9 {
		return ""
	}
	for _, c := range ext[1:] {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return ""
		}
	}
	return ext
}

// rangeStart is where a single "bytes=N-..." range starts (0 otherwise:
// ServeContent answers anything else, and a wrong guess only costs the
// prepared read).
func rangeStart(h string) int64 {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0
	}
	from, _, _ := strings.Cut(spec, "-")
	n, err := strconv.ParseInt(from, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func stageRemote(ctx context.Context, src RemoteSource, size int64, scratch, wantSHA256 string) (string, error) {
	body, err := src.Reader.ReadRange(ctx, src.Key, 0, -1)
	if err != nil {
		return "", storageFailure(err, "read the source %s", src.Name)
	}
	defer func() { _ = body.Close() }()
	p := filepath.Join(scratch, "source"+sourceExt(src.Key))
	f, err := os.Create(p)
	if err != nil {
		return "", failure(ReasonTranscodeFailed, true, err, "create the scratch file")
	}
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, hash), body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		_ = os.Remove(p)
		return "", storageFailure(err, "read the source %s", src.Name)
	}
	if err := compareSHA256(hash.Sum(nil), wantSHA256); err != nil {
		_ = os.Remove(p)
		return "", err
	}
	return p, nil
}

// Publisher stores a finished, checked ladder somewhere other than a
// mounted volume, and says where (an IPFS CID; "" for an object store,
// whose place the spec already names).
type Publisher interface {
	Publish(ctx context.Context, dir string) (cid string, err error)
	String() string
}

// S3Publisher uploads a ladder beneath Prefix (its revision folder), the
// master playlist last.
type S3Publisher struct {
	Store    *storage.S3
	Prefix   string
	Parallel int
}

func (p *S3Publisher) String() string { return p.Store.String() + "/" + p.Prefix }

// Publish uploads the ladder unless its master playlist is already there:
// the master goes last, so then the whole ladder is (a retry after the
// upload finished must not rewrite segments a viewer may be playing).
func (p *S3Publisher) Publish(ctx context.Context, dir string) (string, error) {
	master := path.Join(p.Prefix, MasterPlaylistName)
	_, err := p.Store.Stat(ctx, master)
	switch {
	case err == nil:
		return "", nil
	case storage.KindOf(err) != storage.NotFound:
		return "", storageFailure(err, "check %s", p)
	}
	if _, _, err := storage.UploadFolder(ctx, p.Store, dir, p.Prefix, MasterPlaylistName, p.Parallel); err != nil {
		if errors.Is(err, context.Canceled) {
			return "", failure(ReasonTimeout, true, err, "upload to %s", p)
		}
		return "", storageFailure(err, "upload to %s", p)
	}
	return "", nil
}

// IPFSPublisher adds a ladder to an IPFS node.
type IPFSPublisher struct {
	Node *storage.IPFS
	Pin  bool
}

func (p *IPFSPublisher) String() string { return p.Node.String() }

// Publish adds the folder; the same files always give the same CID, so a
// retry publishes the same ladder.
func (p *IPFSPublisher) Publish(ctx context.Context, dir string) (string, error) {
	cid, err := p.Node.AddFolder(ctx, dir, p.Pin)
	if err != nil {
		return "", storageFailure(err, "add the ladder to %s", p)
	}
	return cid, nil
}
