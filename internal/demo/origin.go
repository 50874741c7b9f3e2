package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Origin serves source clips over http on 127.0.0.1, as a tenant's media
// origin would. It can be told to fail the next requests for a file, to
// show what a transient outage does to a transcode.
type Origin struct {
	dir    string
	server *http.Server
	addr   string
	mu     sync.Mutex
	fail   map[string]int // file -> requests still to fail
	served map[string]int
}

// StartOrigin serves dir.
func StartOrigin(dir, host string) (*Origin, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return nil, err
	}
	o := &Origin{dir: dir, addr: listener.Addr().String(), fail: map[string]int{}, served: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	o.server = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.URL.Path)
		o.mu.Lock()
		failing := o.fail[name] > 0
		if failing {
			o.fail[name]--
		}
		o.served[name]++
		o.mu.Unlock()
		if failing {
			http.Error(w, "origin unavailable (injected fault)", http.StatusServiceUnavailable)
			return
		}
		files.ServeHTTP(w, r)
	})}
	go func() { _ = o.server.Serve(listener) }()
	return o, nil
}

// URL is where name is served.
func (o *Origin) URL(name string) string { return "http://" + o.addr + "/" + name }

// FailNext makes the next n requests for name answer 503.
func (o *Origin) FailNext(name string, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fail[name] = n
}

// Requests counts the requests for name, failed ones included.
func (o *Origin) Requests(name string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.served[name]
}

// Stop stops serving.
func (o *Origin) Stop() { _ = o.server.Close() }

// MakeClip writes a test clip (moving test pattern and a tone) of the given
// seconds with ffmpeg and returns its SHA-256.
func (o *Origin) MakeClip(ctx context.Context, name string, seconds int) (string, error) {
	path := filepath.Join(o.dir, name)
	duration := strconv.Itoa(seconds)
	out, err := exec.CommandContext(ctx, "ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration="+duration,
		"-f", "lavfi", "-i", "sine=frequency=440:duration="+duration,
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("make %s with ffmpeg: %w\n%s", name, err, out)
	}
	return sha256File(path)
}

// Write puts arbitrary bytes at name (a corrupt source, for instance).
func (o *Origin) Write(name string, data []byte) error {
	return os.WriteFile(filepath.Join(o.dir, name), data, 0o644)
}

// Path is where name is on disk.
func (o *Origin) Path(name string) string { return filepath.Join(o.dir, name) }
