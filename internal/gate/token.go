// Package gate decides who may watch: policy evaluation over holdings with
// a cache, single-use sign-in nonces bound to a signed cookie, and compact
// HMAC playback tokens with key rotation. It knows nothing of Kubernetes.
package gate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"sync"
	"time"
)

// Token errors; each maps to a 401 with its reason.
var (
	ErrTokenMalformed = errors.New("malformed token")
	ErrTokenSignature = errors.New("token signature does not match")
	ErrTokenExpired   = errors.New("token expired")
	ErrTokenScope     = errors.New("token is for another video")
)

const (
	tokenVersion = 1
	macBytes     = 16 // 128-bit tag: forging one takes 2^128 tries
	keyIDBytes   = 4
)

// Key is one HMAC-SHA256 signing key.
type Key struct {
	id   [keyIDBytes]byte
	pool sync.Pool // of hash.Hash, keyed HMACs reused between verifications
}

// NewKey wraps a secret of at least 32 bytes.
func NewKey(secret []byte) (*Key, error) {
	if len(secret) < 32 {
		return nil, errors.New("a signing key needs at least 32 bytes")
	}
	sum := sha256.Sum256(secret)
	k := &Key{}
	copy(k.id[:], sum[:keyIDBytes])
	s := append([]byte(nil), secret...)
	k.pool.New = func() any { return hmac.New(sha256.New, s) }
	return k, nil
}

func (k *Key) mac(dst, payload []byte) []byte {
	h := k.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(payload)
	dst = h.Sum(dst)
	k.pool.Put(h)
	return dst
}

// Keyring signs with the current key and still accepts the previous one
// until PreviousUntil, so that a rotation does not cut viewers off.
type Keyring struct {
	Current       *Key
	Previous      *Key
	PreviousUntil time.Time
}

// Claims are what a playback token grants.
type Claims struct {
	Video   string
	Address string
	Expires time.Time
}

// Issue makes a token: base64url(version | key id | expiry | len | address |
// video) "." base64url(HMAC-SHA256(payload)[:16]).
func (r *Keyring) Issue(c Claims) string {
	payload := make([]byte, 0, 1+keyIDBytes+8+1+len(c.Address)+len(c.Video))
	payload = append(payload, tokenVersion)
	payload = append(payload, r.Current.id[:]...)
	payload = binary.BigEndian.AppendUint64(payload, uint64(c.Expires.Unix()))
	payload = append(payload, byte(len(c.Address)))
	payload = append(payload, c.Address...)
	payload = append(payload, c.Video...)
	tag := r.Current.mac(nil, payload)[:macBytes]
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(tag)
}

// Verify checks a token for video at time now.
func (r *Keyring) Verify(token, video string, now time.Time) (Claims, error) {
	var buf [512]byte
	// Only the base64url alphabet and one dot: the decoder would skip CR
	// and LF, letting one token have many spellings.
	dot := -1
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '.' && dot < 0:
			dot = i
		default:
			return Claims{}, ErrTokenMalformed
		}
	}
	// Strict: a token has one spelling only (no stray bits in the last
	// character), so equal tokens are equal strings.
	enc := base64.RawURLEncoding.Strict()
	if dot <= 0 || enc.DecodedLen(dot) > len(buf)-64 || len(token)-dot-1 != enc.EncodedLen(macBytes) {
		return Claims{}, ErrTokenMalformed
	}
	n, err := enc.Decode(buf[:], []byte(token[:dot]))
	if err != nil || n < 1+keyIDBytes+8+1 || buf[0] != tokenVersion {
		return Claims{}, ErrTokenMalformed
	}
	payload := buf[:n]
	var tag [macBytes]byte
	if m, err := enc.Decode(tag[:], []byte(token[dot+1:])); err != nil || m != macBytes {
		return Claims{}, ErrTokenMalformed
	}
	var key *Key
	switch id := [keyIDBytes]byte(payload[1 : 1+keyIDBytes]); {
	case id == r.Current.id:
		key = r.Current
	case r.Previous != nil && id == r.Previous.id && now.Before(r.PreviousUntil):
		key = r.Previous
	default:
		return Claims{}, ErrTokenSignature
	}
	want := key.mac(buf[n:n], payload)
	if !hmac.Equal(want[:macBytes], tag[:]) {
		return Claims{}, ErrTokenSignature
	}
	rest := payload[1+keyIDBytes:]
	expires := time.Unix(int64(binary.BigEndian.Uint64(rest[:8])), 0)
	addrLen := int(rest[8])
	if len(rest) < 9+addrLen {
		return Claims{}, ErrTokenMalformed
	}
	address, tokenVideo := rest[9:9+addrLen], rest[9+addrLen:]
	if !now.Before(expires) {
		return Claims{}, ErrTokenExpired
	}
	if string(tokenVideo) != video {
		return Claims{}, ErrTokenScope
	}
	return Claims{Video: video, Address: string(address), Expires: expires}, nil
}
