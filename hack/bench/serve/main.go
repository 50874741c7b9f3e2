// Command serve compares `streamgate serve` (gated, with a valid playback
// token) with nginx serving the same files, in the same run, with wrk on
// 127.0.0.1: a ~450 KB media segment and a variant playlist (which serve
// rewrites so every URI carries the token). It prints requests/s, the ratio
// to nginx and p99 latency. Run it with `make bench-serve`.
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/gate"
	"github.com/streamgate-io/streamgate/internal/media"
)

func main() {
	binary := flag.String("streamgate", "bin/streamgate", "the streamgate binary")
	duration := flag.Duration("duration", 10*time.Second, "wrk run length for each case")
	connections := flag.Int("connections", 32, "wrk connections")
	rounds := flag.Int("rounds", 3, "alternating rounds per case")
	only := flag.String("only", "", "run only this case: segment or playlist")
	profile := flag.String("cpu-profile", "", "have serve write a CPU profile here")
	flag.Parse()

	work, err := os.MkdirTemp("", "bench-serve-")
	must(err)
	defer func() { _ = os.RemoveAll(work) }()
	ladder := filepath.Join(work, "claims", "media", "t", "v")
	src := filepath.Join(work, "src.mp4")
	fmt.Println("making a ladder with ~450 KB segments...")
	run(exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=40",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", src))
	_, err = media.Transcode(context.Background(), media.Job{SourcePath: src, OutputDir: ladder, Preset: "veryfast",
		Ladder: []media.Rendition{{Name: "720p", Height: 720, VideoKbps: 900}}, AudioKbps: 128, SegmentSeconds: 4})
	must(err)
	segment := "720p/seg_00003.m4s"
	info, err := os.Stat(filepath.Join(ladder, segment))
	must(err)

	secret := filepath.Join(work, "secret")
	must(os.MkdirAll(secret, 0o755))
	key := []byte("bench-signing-key-0123456789abcdef")
	must(os.WriteFile(filepath.Join(secret, "signing-key"), []byte(hex.EncodeToString(key)), 0o600))
	must(os.WriteFile(filepath.Join(secret, "rpc.g"), []byte("http://127.0.0.1:1"), 0o600))
	cat := catalog.Catalog{TokenTTL: catalog.Duration{Duration: time.Hour}, Videos: []catalog.Video{{Namespace: "t", Name: "v",
		Claim: "media", Playlist: "t/v/master.m3u8", Gate: &catalog.Gate{Ready: true, Family: "evm", ChainID: "1", RPCKey: "rpc.g",
			Policy: gate.Policy{Name: "t/g", Conditions: []gate.Condition{{Standard: gate.ERC721, Contract: "0x0000000000000000000000000000000000000001"}}}}}}}
	data, _ := json.Marshal(cat)
	catalogFile := filepath.Join(work, "catalog.json")
	must(os.WriteFile(catalogFile, data, 0o644))
	signing, err := gate.NewKey(key)
	must(err)
	token := (&gate.Keyring{Current: signing}).Issue(gate.Claims{Video: "t/v", Address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", Expires: time.Now().Add(time.Hour)})

	serveAddr := freeAddr()
	serve := exec.Command(*binary, "serve", "--catalog", catalogFile, "--secret-dir", secret, "--claims-root", filepath.Join(work, "claims"),
		"--listen", serveAddr, "--zap-log-level", "error")
	if *profile != "" {
		serve.Args = append(serve.Args, "--cpu-profile", *profile)
	}
	serve.Env = append(os.Environ(), strings.Fields(os.Getenv("SERVE_ENV"))...)
	must(serve.Start())
	defer func() { _ = serve.Process.Signal(os.Interrupt); _ = serve.Wait() }()

	nginxAddr := freeAddr()
	conf := filepath.Join(work, "nginx.conf")
	must(os.WriteFile(conf, []byte(fmt.Sprintf(`worker_processes auto;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; video/mp4 mp4; }
  server { listen %[2]s; root %[3]s; }
}
`, work, nginxAddr, ladder)), 0o644))
	nginx := exec.Command("nginx", "-c", conf, "-p", work)
	nginx.Stderr = os.Stderr
	must(nginx.Start())
	// SIGTERM, not SIGKILL: the master stops its workers on the way out
	// (a killed master leaves them running).
	defer func() { _ = nginx.Process.Signal(syscall.SIGTERM); _ = nginx.Wait() }()
	waitFor("http://" + serveAddr + "/readyz")
	waitFor("http://" + nginxAddr + "/" + segment)

	fmt.Printf("segment %s: %d bytes; wrk -t2 -c%d -d%s, %d alternating rounds, median shown\n\n", segment, info.Size(), *connections, *duration, *rounds)
	fmt.Printf("%-34s %12s %10s %10s\n", "case", "requests/s", "p99", "vs nginx")
	for _, c := range []struct{ name, path string }{{"segment", segment}, {"variant playlist", "720p/index.m3u8"}} {
		if *only != "" && !strings.HasPrefix(c.name, *only) && !strings.HasSuffix(c.name, *only) {
			continue
		}
		var ng, sg []result
		// Alternate the two servers so that drifts of the machine hit both.
		for range *rounds {
			ng = append(ng, wrk("http://"+nginxAddr+"/"+c.path, *connections, *duration))
			sg = append(sg, wrk("http://"+serveAddr+"/v/t/v/"+c.path+"?t="+token, *connections, *duration))
		}
		n, g := median(ng), median(sg)
		fmt.Printf("%-34s %12.0f %10s %10s\n", "nginx "+c.name, n.rps, n.p99, "")
		fmt.Printf("%-34s %12.0f %10s %9.2fx\n", "streamgate serve (gated) "+c.name, g.rps, g.p99, g.rps/n.rps)
	}
}

// median is the round with the median requests/s (its p99 with it).
func median(rs []result) result {
	sorted := append([]result(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].rps < sorted[j].rps })
	return sorted[len(sorted)/2]
}

type result struct {
	rps float64
	p99 string
}

var (
	rpsRE = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99RE = regexp.MustCompile(`\s99%\s+([0-9.]+[a-z]+)`)
	errRE = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func wrk(url string, connections int, d time.Duration) result {
	out, err := exec.Command("wrk", "-t2", "-c"+strconv.Itoa(connections), "-d"+d.String(), "--latency", url).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "wrk: %v\n%s", err, out)
		os.Exit(1)
	}
	if m := errRE.FindSubmatch(out); m != nil {
		fmt.Fprintf(os.Stderr, "wrk saw %s error responses from %s\n", m[1], url)
		os.Exit(1)
	}
	rps, _ := strconv.ParseFloat(string(rpsRE.FindSubmatch(out)[1]), 64)
	return result{rps: rps, p99: string(p99RE.FindSubmatch(out)[1])}
}

func waitFor(url string) {
	for i := 0; i < 200; i++ {
		if resp, err := http.Get(url); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "not ready:", url)
	os.Exit(1)
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

func run(cmd *exec.Cmd) {
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
		os.Exit(1)
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
