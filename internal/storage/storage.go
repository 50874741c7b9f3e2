// Package storage reads and writes HLS ladders and sources in object stores
// (the S3 API) and IPFS (a kubo node's RPC API or an HTTP gateway). It knows
// nothing of Kubernetes. Failures carry a Kind, so that a transcode or a
// StreamEndpoint can say why in a condition, and whether a retry can help.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Kind says why a storage call failed, in words a condition can carry.
type Kind string

const (
	// NotFound: the object, or the path inside a CID, does not exist.
	NotFound Kind = "NotFound"
	// BucketNotFound: the bucket does not exist.
	BucketNotFound Kind = "BucketNotFound"
	// CredentialsRefused: the store refused the access key or signature.
	CredentialsRefused Kind = "CredentialsRefused"
	// Unreachable: the store did not answer, or answered 5xx.
	Unreachable Kind = "StorageUnreachable"
	// NotRetrievable: an IPFS node could not fetch the content in time.
	NotRetrievable Kind = "ContentNotRetrievable"
	// PinningRefused: the IPFS node would not pin the added ladder.
	PinningRefused Kind = "PinningRefused"
	// Invalid: the request itself is wrong (a bad key, a bad CID).
	Invalid Kind = "InvalidStorageRequest"
)

// Retriable reports whether trying the same call later may succeed.
func (k Kind) Retriable() bool { return k == Unreachable || k == NotRetrievable }

// Error is a failed storage call. Its message never holds a credential.
type Error struct {
	Kind Kind
	Op   string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Op, e.Kind, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Op, e.Kind)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err's *Error, or Unreachable for any other
// error (a broken connection, a reset).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Unreachable
}

func fail(kind Kind, op string, err error) *Error { return &Error{Kind: kind, Op: op, Err: err} }

// Info describes a stored file.
type Info struct {
	Size int64
	// ETag changes when the content does (for IPFS, the CID).
	ETag    string
	ModTime time.Time
}

// Reader reads files by key: an S3 object key, or "CID/path" in IPFS.
type Reader interface {
	Stat(ctx context.Context, key string) (Info, error)
	// ReadRange returns length bytes from offset; a negative length reads to
	// the end.
	ReadRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Check tells whether the store answers and accepts its credentials.
	Check(ctx context.Context) error
}
