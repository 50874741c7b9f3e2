package gate

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/streamgate-io/streamgate/internal/lru"
)

// Nonce errors; each maps to a 401 with its reason.
var (
	ErrNonceCookie  = errors.New("sign-in cookie missing or forged")
	ErrNonceExpired = errors.New("sign-in nonce expired")
	ErrNonceMatch   = errors.New("the message's nonce is not this session's")
	ErrNonceReused  = errors.New("sign-in nonce already used")
	// ErrNonceBusy: the memory of spent nonces is full of live ones;
	// forgetting one would allow a replay, so sign-in fails closed.
	ErrNonceBusy = errors.New("too many sign-ins in progress")
)

// DefaultMaxSpentNonces bounds the memory of spent nonces: a nonce lives
// 5 minutes, so it allows about 330 sign-ins per second per pod.
const DefaultMaxSpentNonces = 100_000

const nonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Nonces issues sign-in nonces bound to a signed cookie value: any replica
// with the key can check one without shared state, and a replayed
// signature is useless without the victim's cookie. Within one replica a
// nonce is accepted once.
type Nonces struct {
	key []byte
	TTL time.Duration

	spent *lru.Cache[string, struct{}] // nonce, until its cookie expires
}

// NewNonces makes an issuer; TTL bounds how long a sign-in may take.
func NewNonces(key []byte, ttl time.Duration) *Nonces {
	return &Nonces{key: append([]byte(nil), key...), TTL: ttl, spent: lru.New[string, struct{}](DefaultMaxSpentNonces)}
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

// Check checks that cookie binds nonce, is not expired and was not spent
// here, without spending it: an HMAC, no chain, no lock held long.
func (n *Nonces) Check(cookie, nonce string, now time.Time) (expires time.Time, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) < 8+16+1 {
		return time.Time{}, ErrNonceCookie
	}
	payload, tag := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, n.key)
	mac.Write(payload)
	if !hmac.Equal(mac.Sum(nil)[:16], tag) {
		return time.Time{}, ErrNonceCookie
	}
	cookieNonce := string(payload[:len(payload)-8])
	expires = time.Unix(int64(binary.BigEndian.Uint64(payload[len(payload)-8:])), 0)
	if !now.Before(expires) {
		return time.Time{}, ErrNonceExpired
	}
	if !hmac.Equal([]byte(cookieNonce), []byte(nonce)) {
		return time.Time{}, ErrNonceMatch
	}
	if _, spent := n.spent.Get(nonce, now); spent {
		return time.Time{}, ErrNonceReused
	}
	return expires, nil
}

// Consume checks like Check and spends the nonce.
func (n *Nonces) Consume(cookie, nonce string, now time.Time) error {
	expires, err := n.Check(cookie, nonce, now)
	if err != nil {
		return err
	}
	return n.Spend(nonce, expires, now)
}

// Spend marks a nonce that Check accepted (with the expiry it returned) as
// used; a second Spend of it fails.
func (n *Nonces) Spend(nonce string, expires, now time.Time) error {
	if n.spent.AddIfRoom(nonce, struct{}{}, expires, now) {
		return nil
	}
	if _, spent := n.spent.Get(nonce, now); spent {
		return ErrNonceReused // spent by a concurrent request
	}
	return ErrNonceBusy
}

// Spent is how many spent nonces are remembered.
func (n *Nonces) Spent() int { return n.spent.Len() }
