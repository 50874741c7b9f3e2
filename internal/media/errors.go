// Package media turns a source video into a CMAF/fMP4 HLS ladder with one
// ffmpeg run: probe, ladder planning, ffmpeg arguments, progress, checks of
// the result and atomic publication. It knows nothing of Kubernetes.
package media

import (
	"errors"
	"fmt"
)

// Reason is a CamelCase word that says why a transcode failed, for
// conditions, Events and metrics.
type Reason string

const (
	ReasonSourceUnreachable Reason = "SourceUnreachable"
	ReasonChecksumMismatch  Reason = "ChecksumMismatch"
	ReasonUnsupportedCodec  Reason = "UnsupportedCodec"
	ReasonCorruptSource     Reason = "CorruptSource"
	ReasonOutputNotWritable Reason = "OutputNotWritable"
	ReasonTimeout           Reason = "Timeout"
	ReasonInvalidInput      Reason = "InvalidInput"
	ReasonTranscodeFailed   Reason = "TranscodeFailed"

	// Object stores and IPFS.
	ReasonBucketNotFound        Reason = "BucketNotFound"
	ReasonCredentialsRefused    Reason = "CredentialsRefused"
	ReasonStorageUnreachable    Reason = "StorageUnreachable"
	ReasonContentNotRetrievable Reason = "ContentNotRetrievable"
	ReasonPinningRefused        Reason = "PinningRefused"
)

// Error is a failure with a reason a person can act on, and whether trying
// again may help.
type Error struct {
	Reason    Reason
	Message   string
	Retriable bool
	Err       error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Reason, e.Detail()) }

// Detail is the message without the reason, for a condition's message.
func (e *Error) Detail() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

func failure(reason Reason, retriable bool, err error, format string, args ...any) *Error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...), Retriable: retriable, Err: err}
}

// AsError returns the *Error in err's chain, or wraps an unclassified error
// as a retriable TranscodeFailed.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Reason: ReasonTranscodeFailed, Message: err.Error(), Retriable: true}
}

// Exit codes of `streamgate transcode`. Permanent failures get codes of their
// own so that a Job's podFailurePolicy can stop retrying at once.
const (
	ExitOK        = 0
	ExitRetriable = 1
)

var permanentExitCodes = map[Reason]int32{
	ReasonSourceUnreachable:  10, // only when the server said the file is not there
	ReasonChecksumMismatch:   11,
	ReasonUnsupportedCodec:   12,
	ReasonCorruptSource:      13,
	ReasonOutputNotWritable:  14,
	ReasonInvalidInput:       15,
	ReasonBucketNotFound:     16,
	ReasonCredentialsRefused: 17,
	ReasonPinningRefused:     18,
}

// ExitCode is the worker's exit code for err.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	e := AsError(err)
	if code, ok := permanentExitCodes[e.Reason]; ok && !e.Retriable {
		return int(code)
	}
	return ExitRetriable
}

// PermanentExitCodes lists the exit codes after which a retry cannot help.
func PermanentExitCodes() []int32 {
	codes := make([]int32, 0, len(permanentExitCodes))
	for _, c := range []Reason{ReasonSourceUnreachable, ReasonChecksumMismatch, ReasonUnsupportedCodec,
		ReasonCorruptSource, ReasonOutputNotWritable, ReasonInvalidInput, ReasonBucketNotFound,
		ReasonCredentialsRefused, ReasonPinningRefused} {
		codes = append(codes, permanentExitCodes[c])
	}
	return codes
}
