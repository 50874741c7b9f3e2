package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says how to reach one bucket of an S3-compatible store.
type S3Config struct {
	// Endpoint is http(s)://host[:port]; its scheme decides TLS.
	Endpoint string
	Region   string
	// PathStyle addresses the bucket in the path (host/bucket/key) rather
	// than the host name (bucket.host/key), as most S3-compatible servers
	// outside AWS need.
	PathStyle       bool
	AccessKeyID     string
	SecretAccessKey string
	Bucket          string
	// Transport, when set, replaces the default HTTP transport.
	Transport http.RoundTripper
}

// S3 reads and writes one bucket, signed with SigV4.
type S3 struct {
	core   minio.Core
	bucket string
	// endpoint, for messages: no credential is ever in it.
	endpoint string
}

// NewS3 makes a client; it does not call the store (Check does).
func NewS3(cfg S3Config) (*S3, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") {
		return nil, fail(Invalid, "S3 endpoint", errors.New("want http(s)://host[:port] with no path or user"))
	}
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	transport := cfg.Transport
	if transport == nil {
		transport = defaultTransport()
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
		Transport:    transport,
		// Retries are the caller's: a transcode retries as a Job, serve
		// answers the viewer now.
		MaxRetries: 1,
	})
	if err != nil {
		return nil, fail(Invalid, "S3 client", err)
	}
	return &S3{core: minio.Core{Client: client}, bucket: cfg.Bucket, endpoint: u.Scheme + "://" + u.Host}, nil
}

// defaultTransport bounds how long a store may take to answer, so that a
// hung store fails a request instead of holding it.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.ResponseHeaderTimeout = 30 * time.Second
	t.MaxIdleConnsPerHost = 64
	return t
}

// String names the bucket, for logs.
func (s *S3) String() string { return "s3://" + s.bucket + " at " + s.endpoint }

// classify turns a minio error into a Kind.
func (s *S3) classify(op string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case minio.NoSuchKey, "NotFound":
		return fail(NotFound, op, errors.New(resp.Code))
	case minio.NoSuchBucket:
		return fail(BucketNotFound, op, fmt.Errorf("bucket %q does not exist", s.bucket))
	case minio.AccessDenied, "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed":
		return fail(CredentialsRefused, op, errors.New(resp.Code))
	case "InvalidArgument", "InvalidRange", "KeyTooLongError", "InvalidObjectName", "InvalidBucketName":
		return fail(Invalid, op, errors.New(resp.Code))
	}
	switch {
	case resp.StatusCode == http.StatusForbidden:
		return fail(CredentialsRefused, op, fmt.Errorf("HTTP %d", resp.StatusCode))
	case resp.StatusCode == http.StatusNotFound:
		return fail(NotFound, op, fmt.Errorf("HTTP %d", resp.StatusCode))
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests:
		return fail(Invalid, op, fmt.Errorf("HTTP %d %s", resp.StatusCode, resp.Code))
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fail(Unreachable, op, err)
	}
	// A connection refused, a reset, a 5xx: the message is the store's or
	// the network's, never a credential.
	return fail(Unreachable, op, errors.New(redactURL(err.Error())))
}

// redactURL drops query strings (presigned signatures) from a message.
func redactURL(msg string) string {
	if i := strings.Index(msg, "?"); i >= 0 {
		if j := strings.IndexAny(msg[i:], " \"'"); j >= 0 {
			return msg[:i] + msg[i+j:]
		}
		return msg[:i]
	}
	return msg
}

// Check asks for the bucket: it exists and the credentials are accepted.
func (s *S3) Check(ctx context.Context) error {
	// A listing of one key needs read access to the bucket; BucketExists
	// alone answers true to a refused signature on some servers.
	for obj := range s.core.Client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{MaxKeys: 1}) {
		if obj.Err != nil {
			return s.classify("check bucket "+s.bucket, obj.Err)
		}
		break
	}
	return nil
}

// Stat describes key.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	info, err := s.core.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.classify("stat "+key, err)
	}
	return Info{Size: info.Size, ETag: info.ETag, ModTime: info.LastModified}, nil
}

// ReadRange reads key from offset; a negative length reads to the end.
func (s *S3) ReadRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	opts := minio.GetObjectOptions{}
	switch {
	case length > 0:
		if err := opts.SetRange(offset, offset+length-1); err != nil {
			return nil, fail(Invalid, "read "+key, err)
		}
	case length == 0:
		return io.NopCloser(strings.NewReader("")), nil
	case offset > 0:
		if err := opts.SetRange(offset, 0); err != nil {
			return nil, fail(Invalid, "read "+key, err)
		}
	}
	body, _, _, err := s.core.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, s.classify("read "+key, err)
	}
	return body, nil
}

// Put writes key from r (size bytes).
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType, cacheControl string) error {
	_, err := s.core.Client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType: contentType, CacheControl: cacheControl, DisableMultipart: size < 64<<20,
	})
	return s.classify("put "+key, err)
}

// RemovePrefix deletes every object whose key starts with prefix, which
// must end with "/": a whole ladder, never a neighbour's.
func (s *S3) RemovePrefix(ctx context.Context, prefix string) error {
	if prefix == "" || !strings.HasSuffix(prefix, "/") {
		return fail(Invalid, "remove "+prefix, errors.New("a prefix to remove must be a folder ending in /"))
	}
	objects := s.core.Client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true})
	for res := range s.core.Client.RemoveObjectsWithResult(ctx, s.bucket, objects, minio.RemoveObjectsOptions{}) {
		if res.Err != nil {
			return s.classify("remove "+res.ObjectName, res.Err)
		}
	}
	return nil
}
