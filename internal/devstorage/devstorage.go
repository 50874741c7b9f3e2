// Package devstorage runs real storage servers for tests and `make demo`:
// versitygw (an S3 gateway over a folder, with SigV4 authentication) and
// kubo (an IPFS node, offline, with a throw-away repo). Both are built from
// source by hack/build-storage-servers.sh into bin/storage. Nothing here is
// a mock.
package devstorage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/streamgate-io/streamgate/internal/devcluster/proc"
	"github.com/streamgate-io/streamgate/internal/repo"
)

// BinDir holds the built servers.
func BinDir() string { return filepath.Join(repo.Root(), "bin", "storage") }

// T is what the helpers need of a test (testing.TB has it).
type T interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}

// S3Server is a running versitygw with a POSIX backend.
type S3Server struct {
	// Endpoint is http://host:port.
	Endpoint  string
	Region    string
	AccessKey string
	SecretKey string
	host      string
	port      int
	dir       string
	process   *proc.Process
}

// StartS3 runs an S3 server on 127.0.0.1 for the test's life.
func StartS3(t T, dir string) *S3Server {
	t.Helper()
	s, err := LaunchS3(dir, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// LaunchS3 runs versitygw on host with a free port, its buckets folders of
// dir/root. The root credentials are made up for this run.
func LaunchS3(dir, host string) (*S3Server, error) {
	ports, err := proc.FreePorts(1)
	if err != nil {
		return nil, err
	}
	s := &S3Server{Region: "us-east-1", AccessKey: "streamgate-" + randomHex(4), SecretKey: randomHex(20),
		host: host, port: ports[0], dir: dir}
	s.Endpoint = "http://" + net.JoinHostPort(host, strconv.Itoa(s.port))
	if err := errors.Join(os.MkdirAll(filepath.Join(dir, "root"), 0o755), os.MkdirAll(filepath.Join(dir, "meta"), 0o755)); err != nil {
		return nil, err
	}
	return s, s.Start()
}

// Start runs the server (again, after Stop: same port, same files).
func (s *S3Server) Start() error {
	bin := filepath.Join(BinDir(), "versitygw")
	if _, err := exec.LookPath(bin); err != nil {
		return fmt.Errorf("versitygw not built (make storage-servers): %w", err)
	}
	p, err := proc.StartEnv("versitygw", filepath.Join(s.dir, "versitygw.log"), bin,
		[]string{"ROOT_ACCESS_KEY=" + s.AccessKey, "ROOT_SECRET_KEY=" + s.SecretKey},
		"--port", net.JoinHostPort(s.host, strconv.Itoa(s.port)), "--region", s.Region, "--quiet",
		"posix", "--sidecar", filepath.Join(s.dir, "meta"), filepath.Join(s.dir, "root"))
	if err != nil {
		return err
	}
	s.process = p
	return waitHTTP(p, s.Endpoint+"/", 30*time.Second)
}

// Stop ends the server; its files stay for a Start.
func (s *S3Server) Stop() {
	if s.process != nil {
		s.process.Stop(5 * time.Second)
		s.process = nil
	}
}

// Client is an SDK client with the root credentials, for setting up.
func (s *S3Server) Client() (*minio.Client, error) {
	return minio.New(net.JoinHostPort(s.host, strconv.Itoa(s.port)), &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Region: s.Region, BucketLookup: minio.BucketLookupPath,
	})
}

// MakeBucket creates a bucket through the S3 API.
func (s *S3Server) MakeBucket(ctx context.Context, name string) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	return c.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: s.Region})
}

// PutFile uploads a local file.
func (s *S3Server) PutFile(ctx context.Context, bucket, key, file string) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	_, err = c.FPutObject(ctx, bucket, key, file, minio.PutObjectOptions{})
	return err
}

// IPFSNode is a running kubo daemon, offline, with its own repo.
type IPFSNode struct {
	// API is kubo's RPC base URL, Gateway its HTTP gateway.
	API, Gateway string
	repoDir      string
	dir          string
	host         string
	ports        []int
	process      *proc.Process
}

// StartIPFS runs an IPFS node on 127.0.0.1 for the test's life.
func StartIPFS(t T, dir string) *IPFSNode {
	t.Helper()
	n, err := LaunchIPFS(dir, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	return n
}

// LaunchIPFS makes a repo with kubo's test profile in dir and runs the
// daemon offline on host with free ports: no peer is ever dialled.
func LaunchIPFS(dir, host string) (*IPFSNode, error) {
	bin := filepath.Join(BinDir(), "ipfs")
	if _, err := exec.LookPath(bin); err != nil {
		return nil, fmt.Errorf("kubo not built (make storage-servers): %w", err)
	}
	ports, err := proc.FreePorts(2)
	if err != nil {
		return nil, err
	}
	n := &IPFSNode{repoDir: filepath.Join(dir, "ipfs-repo"), dir: dir, host: host, ports: ports}
	n.API = "http://" + net.JoinHostPort(host, strconv.Itoa(ports[0]))
	n.Gateway = "http://" + net.JoinHostPort(host, strconv.Itoa(ports[1]))
	run := func(args ...string) error {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "IPFS_PATH="+n.repoDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("ipfs %v: %w: %s", args, err, out)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := run("init", "--profile", "test", "--empty-repo"); err != nil {
		return nil, err
	}
	for _, kv := range [][2]string{
		{"Addresses.API", "/ip4/" + host + "/tcp/" + strconv.Itoa(ports[0])},
		{"Addresses.Gateway", "/ip4/" + host + "/tcp/" + strconv.Itoa(ports[1])},
	} {
		if err := run("config", kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	return n, n.Start()
}

// Start runs the daemon (again, after Stop).
func (n *IPFSNode) Start() error {
	p, err := proc.StartEnv("ipfs", filepath.Join(n.dir, "ipfs.log"), filepath.Join(BinDir(), "ipfs"),
		[]string{"IPFS_PATH=" + n.repoDir}, "daemon", "--offline")
	if err != nil {
		return err
	}
	n.process = p
	return waitHTTP(p, n.API+"/api/v0/version", 60*time.Second)
}

// Stop ends the daemon; the repo stays for a Start.
func (n *IPFSNode) Stop() {
	if n.process != nil {
		n.process.Stop(10 * time.Second)
		n.process = nil
	}
}

// waitHTTP waits until url answers at all (any status) or p exits.
func waitHTTP(p *proc.Process, url string, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if err := p.Exited(); err != nil {
			return err
		}
		req, _ := http.NewRequest(http.MethodPost, url, nil)
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.Stop(time.Second)
	return errors.New(p.Name + " did not answer within " + limit.String() + "; see " + p.Log)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
