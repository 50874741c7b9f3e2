// Command storage measures StreamGate's object-store path on one ladder,
// against its natural baselines in the same run, with a real S3 server
// (versitygw, built by make storage-servers) on 127.0.0.1:
//
//   - upload: storage.UploadFolder (bounded parallelism, master last)
//     against a plain `aws s3 sync`-style upload of the same files with the
//     same SDK and the same parallelism;
//   - serving: streamgate serve's segment throughput and p99 with the
//     ladder in the bucket, cold (empty cache: every file read from the
//     store once) and warm, against the same ladder on a volume, and the
//     cache's hit ratio.
//
// Run it with `make bench-storage`.
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"github.com/minio/minio-go/v7"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/storage"
	"github.com/streamgate-io/streamgate/internal/stream"
)

func main() {
	duration := flag.Duration("duration", 8*time.Second, "load time for each warm serving case")
	clients := flag.Int("clients", 32, "concurrent viewers fetching segments")
	rounds := flag.Int("rounds", 3, "alternating rounds of each upload and each warm serving case")
	parallel := flag.Int("parallel", 8, "uploads in flight, for both upload cases")
	seconds := flag.Int("seconds", 60, "length of the clip the ladder is made from")
	flag.Parse()
	ctx := context.Background()

	work, err := os.MkdirTemp("", "bench-storage-")
	must(err)
	defer func() { _ = os.RemoveAll(work) }()
	srv, err := devstorage.LaunchS3(filepath.Join(work, "s3"), "127.0.0.1")
	must(err)
	defer srv.Stop()
	must(srv.MakeBucket(ctx, "media"))

	fmt.Printf("making a %d s ladder (1080p, 720p, 480p, 360p, 4 s segments)...\n", *seconds)
	claims := filepath.Join(work, "claims")
	ladder := filepath.Join(claims, "media", "t", "vol", "abcdef0123")
	src := filepath.Join(work, "src.mp4")
	run(exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
		fmt.Sprintf("testsrc2=size=1920x1080:rate=30:duration=%d", *seconds), "-f", "lavfi", "-i", fmt.Sprintf("sine=duration=%d", *seconds),
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", src))
	_, err = media.Transcode(ctx, media.Job{SourcePath: src, OutputDir: ladder, Preset: "ultrafast",
		Ladder: media.DefaultLadder(), AudioKbps: 128, SegmentSeconds: 4})
	must(err)
	files, total := listFiles(ladder)
	fmt.Printf("ladder: %d files, %.1f MB\n\n", len(files), float64(total)/1e6)

	s3, err := storage.NewS3(storage.S3Config{Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
		AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, Bucket: "media"})
	must(err)
	sdk, err := srv.Client()
	must(err)

	// Upload, alternating, into fresh prefixes.
	var ours, plain []time.Duration
	for i := range *rounds {
		start := time.Now()
		_, _, err := storage.UploadFolder(ctx, s3, ladder, fmt.Sprintf("up/ours-%d", i), media.MasterPlaylistName, *parallel)
		must(err)
		ours = append(ours, time.Since(start))
		start = time.Now()
		must(plainSync(ctx, sdk, ladder, fmt.Sprintf("up/plain-%d", i), files, *parallel))
		plain = append(plain, time.Since(start))
	}
	o, p := median(ours), median(plain)
	fmt.Println("upload of the ladder (median of", *rounds, "rounds, parallelism", *parallel, ")")
	fmt.Printf("  streamgate (master last):     %8.0f ms\n", ms(o))
	fmt.Printf("  plain parallel PutObject:     %8.0f ms\n", ms(p))
	fmt.Printf("  ratio: %.2f× the plain upload (goal ≤ 1.1×)\n\n", float64(o)/float64(p))

	// The served copy: the same files under a revision folder in the bucket.
	_, _, err = storage.UploadFolder(ctx, s3, ladder, "t/obj/abcdef0123", media.MasterPlaylistName, *parallel)
	must(err)
	secret := filepath.Join(work, "secret")
	must(os.MkdirAll(secret, 0o755))
	must(os.WriteFile(filepath.Join(secret, stream.SigningKeyFile), []byte(hex.EncodeToString([]byte("bench-signing-key-0123456789abcdef"))), 0o600))
	must(os.WriteFile(filepath.Join(secret, "s3.bench.accessKeyID"), []byte(srv.AccessKey), 0o600))
	must(os.WriteFile(filepath.Join(secret, "s3.bench.secretAccessKey"), []byte(srv.SecretKey), 0o600))
	cat := catalog.Catalog{TokenTTL: catalog.Duration{Duration: time.Hour}, Videos: []catalog.Video{
		{Namespace: "t", Name: "vol", Claim: "media", Root: "t/vol", Revision: "abcdef0123", Playlist: "t/vol/abcdef0123/master.m3u8"},
		{Namespace: "t", Name: "obj", Store: &catalog.Store{Kind: catalog.StoreS3, Endpoint: srv.Endpoint, Region: srv.Region, PathStyle: true,
			Bucket: "media", CredentialsKey: "s3.bench"}, Root: "t/obj", Revision: "abcdef0123", Playlist: "t/obj/abcdef0123/master.m3u8"},
	}}
	data, err := json.Marshal(cat)
	must(err)
	catalogFile := filepath.Join(work, catalog.FileName)
	must(os.WriteFile(catalogFile, data, 0o644))
	newServer := func() (*stream.Server, string, func()) {
		s, err := stream.New(ctx, stream.Config{CatalogFile: catalogFile, SecretDir: secret, ClaimsRoot: claims, Log: logr.Discard()})
		must(err)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(err)
		hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		return s, "http://" + ln.Addr().String(), func() { _ = hs.Close() }
	}
	var segments []string
	for _, f := range files {
		if strings.HasSuffix(f, ".m4s") {
			segments = append(segments, f)
		}
	}

	fmt.Printf("serving segments (%d viewers, keep-alive, %d segments of the ladder)\n", *clients, len(segments))
	// Cold: a fresh pod, each segment asked for once (by several viewers
	// at a time), so every one is read from the store.
	cold, baseCold := stats{}, stats{}
	s, url, stop := newServer()
	cold = load(url+"/v/t/obj/abcdef0123/", segments, *clients, 0, 1)
	coldCache := s.StoreCacheStats()
	var warm, volume []stats
	for range *rounds {
		volume = append(volume, load(url+"/v/t/vol/abcdef0123/", segments, *clients, *duration, 0))
		warm = append(warm, load(url+"/v/t/obj/abcdef0123/", segments, *clients, *duration, 0))
	}
	warmCache := s.StoreCacheStats()
	stop()
	_, url, stop = newServer()
	baseCold = load(url+"/v/t/vol/abcdef0123/", segments, *clients, 0, 1)
	stop()
	v, w := best(volume), best(warm)
	fmt.Printf("  %-34s %10s %10s %10s\n", "", "req/s", "MB/s", "p99 ms")
	row := func(name string, st stats) {
		fmt.Printf("  %-34s %10.0f %10.1f %10.1f\n", name, st.rps(), st.mbps(), ms(st.p99))
	}
	row("volume (one pass, fresh pod)", baseCold)
	row("object store, cold (one pass)", cold)
	row("volume (warm, median round)", v)
	row("object store, warm (median round)", w)
	fmt.Printf("  warm object store: %.2f× the volume's throughput (goal ≥ 0.9×); cold: %.2f×\n",
		w.rps()/v.rps(), cold.rps()/baseCold.rps())
	fmt.Printf("  cache: cold pass %d hits / %d misses; after the warm rounds %d hits / %d misses: hit ratio %.4f; %d files, %.1f MB held\n",
		coldCache.Hits, coldCache.Misses, warmCache.Hits, warmCache.Misses,
		float64(warmCache.Hits)/float64(warmCache.Hits+warmCache.Misses), warmCache.Entries, float64(warmCache.Bytes)/1e6)
}

// plainSync is `aws s3 sync` done by hand with the SDK: every file, in
// no particular order, parallel at a time.
func plainSync(ctx context.Context, c *minio.Client, dir, prefix string, files []string, parallel int) error {
	work := make(chan string)
	errs := make(chan error, len(files))
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for f := range work {
				_, err := c.FPutObject(ctx, "media", prefix+"/"+f, filepath.Join(dir, f), minio.PutObjectOptions{ContentType: storage.ContentType(f)})
				errs <- err
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

type stats struct {
	requests int64
	bytes    int64
	elapsed  time.Duration
	p99      time.Duration
}

func (s stats) rps() float64  { return float64(s.requests) / s.elapsed.Seconds() }
func (s stats) mbps() float64 { return float64(s.bytes) / 1e6 / s.elapsed.Seconds() }

// load has clients viewers fetch segments from base: for d, or, when
// passes > 0, each segment passes times (split among the viewers).
func load(base string, segments []string, clients int, d time.Duration, passes int) stats {
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	var next atomic.Int64
	var requests, bytes atomic.Int64
	latencies := make([][]time.Duration, clients)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			for {
				n := next.Add(1) - 1
				if passes > 0 && n >= int64(passes*len(segments)) {
					return
				}
				if passes == 0 && time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				resp, err := client.Get(base + segments[int(n)%len(segments)])
				must(err)
				got, _ := io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					panic(fmt.Sprintf("%s: HTTP %d", segments[int(n)%len(segments)], resp.StatusCode))
				}
				latencies[i] = append(latencies[i], time.Since(t0))
				requests.Add(1)
				bytes.Add(got)
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return stats{requests: requests.Load(), bytes: bytes.Load(), elapsed: time.Since(start), p99: all[len(all)*99/100]}
}

func listFiles(dir string) ([]string, int64) {
	var files []string
	var total int64
	must(filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		total += info.Size()
		return nil
	}))
	return files, total
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// best is the median round by throughput.
func best(s []stats) stats {
	c := append([]stats(nil), s...)
	sort.Slice(c, func(i, j int) bool { return c[i].rps() < c[j].rps() })
	return c[len(c)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func run(cmd *exec.Cmd) {
	if out, err := cmd.CombinedOutput(); err != nil {
		panic(fmt.Sprintf("%v: %v\n%s", cmd.Args, err, out))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
