package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/streamgate-io/streamgate/internal/redact"
)

// FetchSource downloads an http(s) source into dir and returns its path. It
// checks the SHA-256 while it downloads when wantSHA256 is set.
func FetchSource(ctx context.Context, client *http.Client, url, dir, wantSHA256 string) (string, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", failure(ReasonInvalidInput, false, err, "source URL")
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", failure(ReasonTimeout, true, err, "download %s", redact.URL(url))
		}
		return "", failure(ReasonSourceUnreachable, true, err, "download %s", redact.URL(url))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		// 4xx: the URL is wrong or not allowed; retrying will not fix it
		// (408 and 429 excepted). 5xx: the server may recover.
		retriable := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout
		return "", failure(ReasonSourceUnreachable, retriable, nil, "download %s: HTTP %s", redact.URL(url), resp.Status)
	}
	path := filepath.Join(dir, "source")
	f, err := os.Create(path)
	if err != nil {
		return "", failure(ReasonTranscodeFailed, true, err, "create the scratch file")
	}
	hash := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, hash), resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", failure(ReasonTimeout, true, err, "download %s", redact.URL(url))
		}
		return "", failure(ReasonSourceUnreachable, true, err, "download %s", redact.URL(url))
	}
	if err := compareSHA256(hash.Sum(nil), wantSHA256); err != nil {
		return "", err
	}
	return path, nil
}

// OpenVolumeSource checks that a source on a mounted volume is a readable
// regular file and, when wantSHA256 is set, that its SHA-256 matches.
func OpenVolumeSource(path, wantSHA256 string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return failure(ReasonSourceUnreachable, false, err, "the source file is not on the volume")
		}
		return failure(ReasonSourceUnreachable, true, err, "open the source file")
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return failure(ReasonSourceUnreachable, true, err, "stat the source file")
	}
	if !info.Mode().IsRegular() {
		return failure(ReasonInvalidInput, false, nil, "the source is not a regular file")
	}
	if wantSHA256 == "" {
		return nil
	}
	hash := sha256.New()
	if _, err := io.Copy(hash, f); err != nil {
		return failure(ReasonSourceUnreachable, true, err, "read the source file")
	}
	return compareSHA256(hash.Sum(nil), wantSHA256)
}

func compareSHA256(got []byte, want string) error {
	if want == "" {
		return nil
	}
	if !strings.EqualFold(hex.EncodeToString(got), want) {
		return failure(ReasonChecksumMismatch, false, nil, "the source's SHA-256 is %x, the spec expects %s", got, strings.ToLower(want))
	}
	return nil
}
