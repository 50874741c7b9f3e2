// Package redact removes credentials from text before it reaches a log
// line, a condition, an Event or an HTTP answer. RPC providers put their
// API keys in the URL — as userinfo (https://user:key@host), as a query
// value (?apikey=…) or as a path segment (/v3/<key>) — and Go's errors
// quote the URL they failed on, so any error of an RPC call may carry one.
package redact

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/go-logr/logr"
)

// Mask replaces what is hidden.
const Mask = "REDACTED"

// A URL as it appears in error text: a scheme, "://" and everything up to a
// quote, space or bracket that ends it in Go's messages.
var urlRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]{0,15}://[^\s"'<>\x60]+`)

// keyLike is a path segment that looks like a credential: long and made of
// the characters keys are made of, with at least one digit (words and
// version names are not hidden).
var keyLike = regexp.MustCompile(`^[A-Za-z0-9_\-]{16,}$`)

// String hides credentials in every URL in s.
func String(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlRE.ReplaceAllStringFunc(s, URL)
}

// URL hides the userinfo, every query value and every key-like path segment
// of one URL. Text that does not parse as a URL is hidden whole.
func URL(raw string) string {
	trimmed := strings.TrimRight(raw, ".,;:)]}")
	suffix := raw[len(trimmed):]
	u, err := url.Parse(trimmed)
	if err != nil {
		return Mask + suffix
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{Mask}
		}
		u.RawQuery = q.Encode()
	}
	if u.Fragment != "" {
		u.Fragment = Mask
	}
	segments := strings.Split(u.EscapedPath(), "/")
	changed := false
	for i, s := range segments {
		if keyLike.MatchString(s) && strings.ContainsAny(s, "0123456789") {
			segments[i], changed = Mask, true
		}
	}
	if changed {
		u.RawPath = ""
		u.Path = strings.Join(segments, "/")
	}
	return u.String() + suffix
}

// Error is err with its text redacted (nil stays nil). errors.Is still
// sees the original chain.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := String(msg); clean != msg {
		return &redacted{msg: clean, err: err}
	}
	return err
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// Logger wraps a logger so that its messages, errors and string, error and
// Stringer values are redacted: a log line never carries a key.
func Logger(l logr.Logger) logr.Logger {
	sink := l.GetSink()
	if sink == nil {
		return l
	}
	// The sink is initialised already; its caller is one frame further
	// away now.
	if d, ok := sink.(logr.CallDepthLogSink); ok {
		sink = d.WithCallDepth(1)
	}
	return logr.New(&sinkWrapper{LogSink: sink})
}

type sinkWrapper struct{ logr.LogSink }

func (s *sinkWrapper) Init(logr.RuntimeInfo) {}

func (s *sinkWrapper) Info(level int, msg string, kv ...any) {
	s.LogSink.Info(level, String(msg), values(kv)...)
}

func (s *sinkWrapper) Error(err error, msg string, kv ...any) {
	s.LogSink.Error(Error(err), String(msg), values(kv)...)
}

func (s *sinkWrapper) WithValues(kv ...any) logr.LogSink {
	return &sinkWrapper{LogSink: s.LogSink.WithValues(values(kv)...)}
}

func (s *sinkWrapper) WithName(name string) logr.LogSink {
	return &sinkWrapper{LogSink: s.LogSink.WithName(name)}
}

func (s *sinkWrapper) WithCallDepth(depth int) logr.LogSink {
	if d, ok := s.LogSink.(logr.CallDepthLogSink); ok {
		return &sinkWrapper{LogSink: d.WithCallDepth(depth)}
	}
	return s
}

func values(kv []any) []any {
	out := kv
	for i, v := range kv {
		var clean any
		switch v := v.(type) {
		case string:
			if c := String(v); c != v {
				clean = c
			}
		case error:
			if c := Error(v); c != v {
				clean = c.Error()
			}
		case interface{ String() string }:
			if s := v.String(); String(s) != s {
				clean = String(s)
			}
		}
		if clean != nil {
			if &out[0] == &kv[0] {
				out = append([]any(nil), kv...)
			}
			out[i] = clean
		}
	}
	return out
}
