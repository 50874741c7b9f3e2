package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// storesForTest runs a real S3 server with a bucket and a real IPFS node.
func storesForTest(t *testing.T) (*devstorage.S3Server, *storage.S3, *devstorage.IPFSNode, *storage.IPFS) {
	t.Helper()
	srv := devstorage.StartS3(t, t.TempDir())
	if err := srv.MakeBucket(context.Background(), "media"); err != nil {
		t.Fatal(err)
	}
	s3, err := storage.NewS3(storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
		AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, Bucket: "media"})
	if err != nil {
		t.Fatal(err)
	}
	node := devstorage.StartIPFS(t, t.TempDir())
	ipfs, err := storage.NewIPFS(node.API, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return srv, s3, node, ipfs
}

func TestStoredSourcesAndOutputs(t *testing.T) {
	ctx := context.Background()
	srv, s3, node, ipfs := storesForTest(t)
	src := clip(t, "tiny", 320, 240, 2, true)
	if err := srv.PutFile(ctx, "media", "uploads/intro.mp4", src); err != nil {
		t.Fatal(err)
	}
	clipFolder := t.TempDir()
	if err := os.Link(src, filepath.Join(clipFolder, "intro.mp4")); err != nil {
		data, _ := os.ReadFile(src)
		if err := os.WriteFile(filepath.Join(clipFolder, "intro.mp4"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	clipCID, err := ipfs.AddFolder(ctx, clipFolder, true)
	if err != nil {
		t.Fatal(err)
	}
	gateway, _ := storage.NewIPFS("", node.Gateway, 10*time.Second)
	data, _ := os.ReadFile(src)
	sum := sha256.Sum256(data)

	base := Job{Ladder: DefaultLadder(), AudioKbps: 64, SegmentSeconds: 2, Preset: "ultrafast"}

	t.Run("IPFS source through the gateway, unstaged, to the object store", func(t *testing.T) {
		job := base
		job.ScratchDir = t.TempDir()
		job.Remote = &RemoteSource{Reader: gateway, Key: clipCID + "/intro.mp4", Name: "ipfs://" + clipCID + "/intro.mp4"}
		job.Publisher = &S3Publisher{Store: s3, Prefix: "tenant/intro/rev1", Parallel: 4}
		res, err := Transcode(ctx, job)
		if err != nil {
			t.Fatal(err)
		}
		if res.CID != "" || len(res.Renditions) != 1 {
			t.Fatalf("result %+v", res)
		}
		master := readStored(t, s3, "tenant/intro/rev1/master.m3u8")
		if !strings.Contains(master, "#EXT-X-STREAM-INF") {
			t.Fatalf("master playlist: %q", master)
		}
		variant := res.Renditions[0].Name
		if playlist := readStored(t, s3, "tenant/intro/rev1/"+variant+"/index.m3u8"); !strings.Contains(playlist, "#EXT-X-ENDLIST") {
			t.Fatalf("variant playlist: %q", playlist)
		}
		if entries, _ := os.ReadDir(job.ScratchDir); len(entries) != 0 {
			t.Fatalf("scratch left behind: %v (nothing may be staged without a checksum)", entries)
		}
		// A retry after the upload finished leaves the published ladder alone.
		before, _ := s3.Stat(ctx, "tenant/intro/rev1/"+variant+"/index.m3u8")
		if _, err := Transcode(ctx, job); err != nil {
			t.Fatal(err)
		}
		after, _ := s3.Stat(ctx, "tenant/intro/rev1/"+variant+"/index.m3u8")
		if !before.ModTime.Equal(after.ModTime) {
			t.Fatal("a rerun rewrote a published ladder")
		}
	})

	t.Run("S3 source with a checksum, to IPFS", func(t *testing.T) {
		job := base
		job.ScratchDir = t.TempDir()
		job.SHA256 = hex.EncodeToString(sum[:])
		job.Remote = &RemoteSource{Reader: s3, Key: "uploads/intro.mp4", Name: "s3://media/uploads/intro.mp4"}
		job.Publisher = &IPFSPublisher{Node: ipfs, Pin: true}
		res, err := Transcode(ctx, job)
		if err != nil {
			t.Fatal(err)
		}
		if !storage.ValidCID(res.CID) {
			t.Fatalf("CID %q", res.CID)
		}
		if master := readStored(t, gateway, res.CID+"/master.m3u8"); !strings.Contains(master, "#EXT-X-STREAM-INF") {
			t.Fatalf("master through the gateway: %q", master)
		}
		if summary, _ := ParseSummary(SummaryOf(res, nil).Marshal()); summary.CID != res.CID {
			t.Fatalf("the summary loses the CID: %+v", summary)
		}
	})

	t.Run("failures say why", func(t *testing.T) {
		wrongSum := strings.Repeat("ab", 32)
		expectFailure(t, Job{Remote: &RemoteSource{Reader: s3, Key: "uploads/intro.mp4"}, SHA256: wrongSum, ScratchDir: t.TempDir()}, ReasonChecksumMismatch, false)
		expectFailure(t, Job{Remote: &RemoteSource{Reader: s3, Key: "uploads/none.mp4"}, ScratchDir: t.TempDir()}, ReasonSourceUnreachable, false)
		expectFailure(t, Job{Remote: &RemoteSource{Reader: gateway, Key: clipCID + "/none.mp4"}, ScratchDir: t.TempDir()}, ReasonSourceUnreachable, false)

		wrong, _ := storage.NewS3(storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
			AccessKeyID: srv.AccessKey, SecretAccessKey: "not-the-secret", Bucket: "media"})
		expectFailure(t, Job{Remote: &RemoteSource{Reader: wrong, Key: "uploads/intro.mp4"}, ScratchDir: t.TempDir()}, ReasonCredentialsRefused, false)
		expectFailure(t, Job{SourcePath: src, ScratchDir: t.TempDir(), Publisher: &S3Publisher{Store: wrong, Prefix: "x/rev", Parallel: 2}}, ReasonCredentialsRefused, false)
		noBucket, _ := storage.NewS3(storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
			AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, Bucket: "absent"})
		expectFailure(t, Job{SourcePath: src, ScratchDir: t.TempDir(), Publisher: &S3Publisher{Store: noBucket, Prefix: "x/rev", Parallel: 2}}, ReasonBucketNotFound, false)
	})

	t.Run("stores that do not answer are retried", func(t *testing.T) {
		srv.Stop()
		defer func() {
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
		}()
		expectFailure(t, Job{Remote: &RemoteSource{Reader: s3, Key: "uploads/intro.mp4"}, ScratchDir: t.TempDir()}, ReasonStorageUnreachable, true)
		expectFailure(t, Job{SourcePath: src, ScratchDir: t.TempDir(), Publisher: &S3Publisher{Store: s3, Prefix: "y/rev", Parallel: 2}}, ReasonStorageUnreachable, true)
		node.Stop()
		defer func() {
			if err := node.Start(); err != nil {
				t.Fatal(err)
			}
		}()
		expectFailure(t, Job{SourcePath: src, ScratchDir: t.TempDir(), Publisher: &IPFSPublisher{Node: ipfs}}, ReasonStorageUnreachable, true)
	})
}

func readStored(t *testing.T, r storage.Reader, key string) string {
	t.Helper()
	body, err := r.ReadRange(context.Background(), key, 0, -1)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	defer func() { _ = body.Close() }()
	b, _ := io.ReadAll(body)
	return string(b)
}

// failingAfter injects a fault into a real store: reads end with an
// unreachable-store error once limit bytes of a body have been read, as a
// connection to a store that stops mid-read does.
type failingAfter struct {
	storage.Reader
	limit int64
}

func (f failingAfter) ReadRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	body, err := f.Reader.ReadRange(ctx, key, off, n)
	if err != nil {
		return nil, err
	}
	return &cutBody{ReadCloser: body, left: max(f.limit-off, 0)}, nil
}

type cutBody struct {
	io.ReadCloser
	left int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, &storage.Error{Kind: storage.Unreachable, Op: "read", Err: io.ErrUnexpectedEOF}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.ReadCloser.Read(p)
	c.left -= int64(n)
	return n, err
}

// A store that stops answering while ffmpeg reads the source leaves a
// short ladder; the transcode must say the store failed (retried), never
// that the source is corrupt (a permanent failure).
func TestStoreFailingMidReadIsRetriable(t *testing.T) {
	ctx := context.Background()
	srv, s3, _, _ := storesForTest(t)
	src := clip(t, "longer", 640, 360, 6, true)
	if err := srv.PutFile(ctx, "media", "uploads/longer.mp4", src); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	flaky := failingAfter{Reader: s3, limit: info.Size() / 2}
	expectFailure(t, Job{Remote: &RemoteSource{Reader: flaky, Key: "uploads/longer.mp4", Name: "s3://media/uploads/longer.mp4"},
		ScratchDir: t.TempDir()}, ReasonStorageUnreachable, true)
}
