package stream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// DefaultStoreCacheBytes bounds the segments and playlists a streaming pod
// keeps in memory from object stores and IPFS.
const DefaultStoreCacheBytes = 256 << 20

// maxCachedObject: larger files (a long single-file rendition) are
// streamed with ranged reads instead of kept.
const maxCachedObject = 16 << 20

// ipfsTimeout bounds how long IPFS may take to find a file for a viewer.
const ipfsTimeout = 20 * time.Second

// storeReader is the reader of a video's store, made once per store and
// credentials and kept across reloads that keep them.
type storeReader struct {
	reader storage.Reader
	// id prefixes cache keys: one store's keys never meet another's.
	id string
}

// storeFor returns the reader of a store, with credentials from the
// endpoint's Secret. Called with l.mu held.
func (l *loader) storeFor(s *catalog.Store) (*storeReader, error) {
	var access, secret []byte
	if s.Kind == catalog.StoreS3 {
		var errAccess, errSecret error
		access, errAccess = os.ReadFile(filepath.Join(l.secretDir, s.CredentialsKey+".accessKeyID"))
		secret, errSecret = os.ReadFile(filepath.Join(l.secretDir, s.CredentialsKey+".secretAccessKey"))
		if err := errors.Join(errAccess, errSecret); err != nil {
			return nil, fmt.Errorf("the store's credentials are not in the endpoint's Secret: %w", err)
		}
	}
	// A rotated key makes a new reader; the id (and so the cache) stays,
	// since the content is the same.
	key := s.ID() + "\x00" + string(access) + "\x00" + string(secret)
	if r, ok := l.stores[key]; ok {
		return r, nil
	}
	var reader storage.Reader
	var err error
	switch s.Kind {
	case catalog.StoreS3:
		reader, err = storage.NewS3(storage.S3Config{Endpoint: s.Endpoint, Region: s.Region, PathStyle: s.PathStyle, Bucket: s.Bucket,
			AccessKeyID: string(bytes.TrimSpace(access)), SecretAccessKey: string(bytes.TrimSpace(secret))})
	case catalog.StoreIPFS:
		reader, err = storage.NewIPFS(s.API, s.Gateway, ipfsTimeout)
	default:
		err = fmt.Errorf("unknown store kind %q", s.Kind)
	}
	if err != nil {
		return nil, err
	}
	if l.stores == nil {
		l.stores = map[string]*storeReader{}
	}
	r := &storeReader{reader: reader, id: s.ID()}
	l.stores[key] = r
	return r, nil
}

// storedKey is the key of a video's file in its store: beneath its folder
// (prefix/revision in a bucket, the CID in IPFS). file was checked by
// splitVideoPath: no empty, "." or ".." segment.
func (v *videoEntry) storedKey(file string) string { return path.Join(v.dir, file) }

// readStored reads a whole file of a stored video through the cache; ok is
// false for a file too large to keep, which the caller streams.
func (s *Server) readStored(ctx context.Context, v *videoEntry, file string) ([]byte, storage.Info, bool, error) {
	return s.storeCache.Read(ctx, v.store.reader, v.store.id, v.storedKey(file))
}

// serveStored answers a segment or poster of a video held in a store.
func (s *Server) serveStored(w http.ResponseWriter, r *http.Request, v *videoEntry, file string, cacheControl []string) {
	if base := v.Store.PublicBaseURL; base != "" && v.Gate == nil {
		// A public video's immutable files come from the CDN.
		http.Redirect(w, r, strings.TrimRight(base, "/")+"/"+v.storedKey(file), http.StatusFound)
		return
	}
	data, info, cached, err := s.readStored(r.Context(), v, file)
	if err != nil {
		s.storeFailure(w, r, v, err)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{storage.ContentType(file)}
	h["Cache-Control"] = cacheControl
	if info.ETag != "" {
		h["Etag"] = []string{`"` + strings.Trim(info.ETag, `"`) + `"`}
	}
	if cached {
		http.ServeContent(w, r, "", info.ModTime, bytes.NewReader(data))
		return
	}
	rs := storage.NewRangeReadSeeker(r.Context(), v.store.reader, v.storedKey(file), info.Size)
	defer func() { _ = rs.Close() }()
	http.ServeContent(w, r, "", info.ModTime, rs)
}

// storeFailure answers a failed read: 404 for a file that is not there,
// 503 with a fixed reason when the store is down. The store's own words
// go to the log, never to the viewer.
func (s *Server) storeFailure(w http.ResponseWriter, r *http.Request, v *videoEntry, err error) {
	switch storage.KindOf(err) {
	case storage.NotFound, storage.Invalid:
		http.NotFound(w, r)
	default:
		s.log.Error(err, "store read failed", "video", v.Key(), "store", v.store.id)
		refuseStorage.write(w)
	}
}

// StoreCacheStats are the store cache's counters (for benchmarks and
// tests; the same numbers are metrics).
func (s *Server) StoreCacheStats() storage.Stats { return s.storeCache.Stats() }
