package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// writeLadder makes a small folder shaped like a published ladder.
func writeLadder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"master.m3u8":       "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n360p/index.m3u8\n",
		"360p/index.m3u8":   "#EXTM3U\n#EXTINF:4,\nseg0.m4s\n",
		"360p/init.mp4":     strings.Repeat("i", 700),
		"360p/seg0.m4s":     strings.Repeat("0123456789", 10000),
		"360p/seg1.m4s":     strings.Repeat("abcdefghij", 5000),
		"poster.jpg":        "jpeg",
		"720p/index.m3u8":   "#EXTM3U\n",
		"720p/seg0.m4s":     strings.Repeat("z", 3000),
		"720p/sub/deep.vtt": "WEBVTT\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func kindIs(t *testing.T, err error, want storage.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a %s error, got none", want)
	}
	if got := storage.KindOf(err); got != want {
		t.Fatalf("want a %s error, got %s: %v", want, got, err)
	}
}

func readAll(t *testing.T, r storage.Reader, key string, off, n int64) string {
	t.Helper()
	body, err := r.ReadRange(context.Background(), key, off, n)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	defer func() { _ = body.Close() }()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

// orderedPutter records the order in which keys were stored, around the
// real store.
type orderedPutter struct {
	storage.Putter
	mu   sync.Mutex
	keys []string
}

func (o *orderedPutter) Put(ctx context.Context, key string, r io.Reader, size int64, ct, cc string) error {
	if err := o.Putter.Put(ctx, key, r, size, ct, cc); err != nil {
		return err
	}
	o.mu.Lock()
	o.keys = append(o.keys, key)
	o.mu.Unlock()
	return nil
}

func TestS3AgainstARealServer(t *testing.T) {
	ctx := context.Background()
	srv := devstorage.StartS3(t, t.TempDir())
	if err := srv.MakeBucket(ctx, "media"); err != nil {
		t.Fatal(err)
	}
	cfg := storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
		AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, Bucket: "media"}
	s3, err := storage.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}

	dir := writeLadder(t)
	rec := &orderedPutter{Putter: s3}
	files, size, err := storage.UploadFolder(ctx, rec, dir, "tenant/intro/rev1", "master.m3u8", 4)
	if err != nil {
		t.Fatal(err)
	}
	if files != 9 || len(rec.keys) != 9 {
		t.Fatalf("uploaded %d files (%d keys), want 9", files, len(rec.keys))
	}
	if last := rec.keys[len(rec.keys)-1]; last != "tenant/intro/rev1/master.m3u8" {
		t.Fatalf("the master playlist must be stored last, the last was %s", last)
	}
	if size != 700+100000+50000+3000+4+7+int64(len("#EXTM3U\n#EXTINF:4,\nseg0.m4s\n"))+8+int64(len("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n360p/index.m3u8\n")) {
		t.Fatalf("uploaded %d bytes", size)
	}

	info, err := s3.Stat(ctx, "tenant/intro/rev1/360p/seg0.m4s")
	if err != nil || info.Size != 100000 || info.ETag == "" {
		t.Fatalf("stat: %+v %v", info, err)
	}
	if got := readAll(t, s3, "tenant/intro/rev1/360p/seg0.m4s", 12, 5); got != "23456" {
		t.Fatalf("range read: %q", got)
	}
	if got := readAll(t, s3, "tenant/intro/rev1/360p/seg1.m4s", 49998, -1); got != "ij" {
		t.Fatalf("read to the end: %q", got)
	}
	_, err = s3.Stat(ctx, "tenant/intro/rev1/missing.m4s")
	kindIs(t, err, storage.NotFound)
	_, err = s3.ReadRange(ctx, "tenant/intro/rev1/missing.m4s", 0, -1)
	kindIs(t, err, storage.NotFound)

	// A player's range request through http.ServeContent: one ranged read.
	rs := storage.NewRangeReadSeeker(ctx, s3, "tenant/intro/rev1/360p/seg0.m4s", info.Size)
	rec2 := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/seg0.m4s", nil)
	req.Header.Set("Range", "bytes=99990-")
	http.ServeContent(rec2, req, "", time.Time{}, rs)
	_ = rs.Close()
	if rec2.Code != http.StatusPartialContent || rec2.Body.String() != "0123456789" {
		t.Fatalf("ServeContent range: %d %q", rec2.Code, rec2.Body.String())
	}

	// Wrong secret, missing bucket: said so, not "unreachable".
	bad := cfg
	bad.SecretAccessKey = "wrong-" + cfg.SecretAccessKey
	wrong, _ := storage.NewS3(bad)
	err = wrong.Check(ctx)
	kindIs(t, err, storage.CredentialsRefused)
	if strings.Contains(err.Error(), bad.SecretAccessKey) || strings.Contains(err.Error(), cfg.AccessKeyID) {
		t.Fatalf("the error carries a credential: %v", err)
	}
	_, err = wrong.ReadRange(ctx, "tenant/intro/rev1/master.m3u8", 0, -1)
	kindIs(t, err, storage.CredentialsRefused)
	missing := cfg
	missing.Bucket = "no-such-bucket"
	nob, _ := storage.NewS3(missing)
	kindIs(t, nob.Check(ctx), storage.BucketNotFound)

	// A removed ladder is gone; its neighbour stays.
	if _, _, err := storage.UploadFolder(ctx, s3, dir, "tenant/intro/rev10", "master.m3u8", 2); err != nil {
		t.Fatal(err)
	}
	kindIs(t, s3.RemovePrefix(ctx, "tenant/intro/rev1"), storage.Invalid)
	if err := s3.RemovePrefix(ctx, "tenant/intro/rev1/"); err != nil {
		t.Fatal(err)
	}
	_, err = s3.Stat(ctx, "tenant/intro/rev1/master.m3u8")
	kindIs(t, err, storage.NotFound)
	if _, err := s3.Stat(ctx, "tenant/intro/rev10/master.m3u8"); err != nil {
		t.Fatalf("the neighbour's ladder went too: %v", err)
	}

	// A stopped server is unreachable (retriable), and back when started.
	srv.Stop()
	err = s3.Check(ctx)
	kindIs(t, err, storage.Unreachable)
	if !storage.KindOf(err).Retriable() {
		t.Fatal("an unreachable store must be retriable")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s3, "tenant/intro/rev10/poster.jpg", 0, -1); got != "jpeg" {
		t.Fatalf("after a restart: %q", got)
	}
}

func TestS3RefusesBadEndpoints(t *testing.T) {
	for _, ep := range []string{"ftp://host", "host:9000", "http://user:pw@host", "http://host/path", ""} {
		_, err := storage.NewS3(storage.S3Config{Endpoint: ep, Bucket: "b"})
		kindIs(t, err, storage.Invalid)
		if strings.Contains(err.Error(), "pw") {
			t.Fatalf("the error repeats the endpoint's password: %v", err)
		}
	}
}

func TestIPFSAgainstARealNode(t *testing.T) {
	ctx := context.Background()
	node := devstorage.StartIPFS(t, t.TempDir())
	api, err := storage.NewIPFS(node.API, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	dir := writeLadder(t)
	cid, err := api.AddFolder(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if !storage.ValidCID(cid) || !strings.HasPrefix(cid, "bafybei") {
		t.Fatalf("root CID %q", cid)
	}
	// The same files give the same CID.
	again, err := api.AddFolder(ctx, writeLadder(t), false)
	if err != nil || again != cid {
		t.Fatalf("the same ladder added again: %s %v, want %s", again, err, cid)
	}

	gw, err := storage.NewIPFS("", node.Gateway, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.Check(ctx); err != nil {
		t.Fatalf("gateway check: %v", err)
	}
	for name, r := range map[string]*storage.IPFS{"rpc": api, "gateway": gw} {
		t.Run(name, func(t *testing.T) {
			info, err := r.Stat(ctx, cid+"/360p/seg0.m4s")
			if err != nil || info.Size != 100000 || !storage.ValidCID(info.ETag) {
				t.Fatalf("stat: %+v %v", info, err)
			}
			if got := readAll(t, r, cid+"/360p/seg0.m4s", 12, 5); got != "23456" {
				t.Fatalf("range read: %q", got)
			}
			if got := readAll(t, r, cid+"/360p/seg1.m4s", 49998, -1); got != "ij" {
				t.Fatalf("read to the end: %q", got)
			}
			if got := readAll(t, r, cid+"/master.m3u8", 0, -1); !strings.HasPrefix(got, "#EXTM3U") {
				t.Fatalf("master: %q", got)
			}
			_, err = r.Stat(ctx, cid+"/missing.m4s")
			kindIs(t, err, storage.NotFound)
			_, err = r.ReadRange(ctx, cid+"/360p/missing.m4s", 0, -1)
			kindIs(t, err, storage.NotFound)
			for _, bad := range []string{"not-a-cid/x", cid + "/../x", cid + "//x", cid + "/./x"} {
				_, err = r.ReadRange(ctx, bad, 0, -1)
				kindIs(t, err, storage.Invalid)
			}
		})
	}

	// A CID the offline node does not hold cannot be retrieved.
	other, err := api.AddFolder(ctx, writeLadder(t), false)
	if err != nil {
		t.Fatal(err)
	}
	_ = other
	unknown := "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	_, err = api.ReadRange(ctx, unknown+"/master.m3u8", 0, -1)
	if k := storage.KindOf(err); k != storage.NotFound && k != storage.NotRetrievable {
		t.Fatalf("an unknown CID: %s %v", k, err)
	}

	if err := api.Unpin(ctx, cid); err != nil {
		t.Fatal(err)
	}
	if err := api.Unpin(ctx, cid); err != nil {
		t.Fatalf("unpinning twice: %v", err)
	}

	node.Stop()
	err = api.Check(ctx)
	kindIs(t, err, storage.Unreachable)
	_, err = gw.ReadRange(ctx, cid+"/master.m3u8", 0, -1)
	kindIs(t, err, storage.Unreachable)
}

func TestRangeReadSeekerReadsOnceFromEachSeek(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100)
	r := &countingReader{data: data}
	rs := storage.NewRangeReadSeeker(context.Background(), r, "k", int64(len(data)))
	buf := make([]byte, 10)
	if _, err := io.ReadFull(rs, buf); err != nil || string(buf) != "0123456789" {
		t.Fatalf("%q %v", buf, err)
	}
	if _, err := io.ReadFull(rs, buf); err != nil || r.opens != 1 {
		t.Fatalf("a second read opened again: %d %v", r.opens, err)
	}
	if _, err := rs.Seek(-5, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(rs)
	if err != nil || string(rest) != "56789" || r.opens != 2 {
		t.Fatalf("after seek: %q %v opens=%d", rest, err, r.opens)
	}
	if _, err := rs.Seek(-1, io.SeekStart); err == nil {
		t.Fatal("a negative position was accepted")
	}
	r.short = true
	_, _ = rs.Seek(0, io.SeekStart)
	if _, err := io.ReadAll(rs); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a store that ends early: %v", err)
	}
}

// countingReader is an in-memory Reader that counts its opens: it tests
// the seeker's bookkeeping, not a store.
type countingReader struct {
	data  []byte
	opens int
	short bool
}

func (c *countingReader) Stat(context.Context, string) (storage.Info, error) {
	return storage.Info{Size: int64(len(c.data))}, nil
}
func (c *countingReader) Check(context.Context) error { return nil }
func (c *countingReader) ReadRange(_ context.Context, _ string, off, n int64) (io.ReadCloser, error) {
	c.opens++
	end := int64(len(c.data))
	if n >= 0 {
		end = off + n
	}
	if c.short {
		end = off + 3
	}
	return io.NopCloser(bytes.NewReader(c.data[off:end])), nil
}
