package gate

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"sync"
	"time"
)

// Nonce errors; each maps to a 401 with its reason.
var (
	ErrNonceCookie  = errors.New("sign-in cookie missing or forged")
	ErrNonceExpired = errors.New("sign-in nonce expired")
	ErrNonceMatch   = errors.New("the message's nonce is not this session's")
	ErrNonceReused  = errors.New("sign-in nonce already used")
)

const nonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Nonces issues sign-in nonces bound to a signed cookie value: any replica
// with the key can check one without shared state, and a replayed
// signature is useless without the victim's cookie. Within one replica a
// nonce is accepted once.
type Nonces struct {
	key []byte
	TTL time.Duration

	mu    sync.Mutex
	used  map[string]time.Time // nonce -> expiry
	order []usedNonce          // roughly by expiry, to forget expired ones cheaply
}

type usedNonce struct {
	nonce   string
	expires time.Time
}

// NewNonces makes an issuer; TTL bounds how long a sign-in may take.
func NewNonces(key []byte, ttl time.Duration) *Nonces {
	return &Nonces{key: append([]byte(nil), key...), TTL: ttl, used: map[string]time.Time{}}
}

// Issue returns a fresh 16-character nonce and the cookie value that binds it.
func (n *Nonces) Issue(now time.Time) (nonce, cookie string) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	b := make([]byte, len(raw))
	for i, v := range raw {
		b[i] = nonceAlphabet[int(v)%len(nonceAlphabet)]
	}
	nonce = string(b)
	return nonce, n.cookie(nonce, now.Add(n.TTL))
}

func (n *Nonces) cookie(nonce string, expires time.Time) string {
	payload := binary.BigEndian.AppendUint64([]byte(nonce), uint64(expires.Unix()))
	mac := hmac.New(sha256.New, n.key)
	mac.Write(payload)
	return base64.RawURLEncoding.EncodeToString(append(payload, mac.Sum(nil)[:16]...))
}

// Consume checks that cookie binds nonce, is not expired and was not used
// before here, and marks it used.
func (n *Nonces) Consume(cookie, nonce string, now time.Time) error {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) < 8+16+1 {
		return ErrNonceCookie
	}
	payload, tag := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, n.key)
	mac.Write(payload)
	if !hmac.Equal(mac.Sum(nil)[:16], tag) {
		return ErrNonceCookie
	}
	cookieNonce := string(payload[:len(payload)-8])
	expires := time.Unix(int64(binary.BigEndian.Uint64(payload[len(payload)-8:])), 0)
	if !now.Before(expires) {
		return ErrNonceExpired
	}
	if !hmac.Equal([]byte(cookieNonce), []byte(nonce)) {
		return ErrNonceMatch
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, seen := n.used[nonce]; seen {
		return ErrNonceReused
	}
	for len(n.order) > 0 && !now.Before(n.order[0].expires) {
		delete(n.used, n.order[0].nonce)
		n.order = n.order[1:]
	}
	n.used[nonce] = expires
	n.order = append(n.order, usedNonce{nonce, expires})
	return nil
}
