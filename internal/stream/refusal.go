package stream

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/streamgate-io/streamgate/internal/chain"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/gate"
)

// refusal is an answer from a fixed vocabulary: what a viewer is told never
// comes from an error's text, which may carry an RPC URL and its key.
type refusal struct {
	status int
	// code is stable, for programs and the metrics' result label.
	code string
	// reason is for people.
	reason string
}

var (
	refuseMethodGet  = refusal{http.StatusMethodNotAllowed, "MethodNotAllowed", "GET or HEAD only"}
	refuseMethodPost = refusal{http.StatusMethodNotAllowed, "MethodNotAllowed", "POST only"}
	refuseBadRequest = refusal{http.StatusBadRequest, "BadRequest", "the body must be JSON {video, message, signature, scheme}"}
	refuseUnknown    = refusal{http.StatusNotFound, "UnknownVideo", "no such video"}
	refusePublic     = refusal{http.StatusBadRequest, "PublicVideo", "the video is public: no sign-in needed"}
	refuseGate       = refusal{http.StatusServiceUnavailable, "GateNotReady", "the video's gate is not ready"}
	refuseNoSignIn   = refusal{http.StatusServiceUnavailable, "SignInNotConfigured", "sign-in is not configured: the endpoint lists no origins"}
	refuseOrigin     = refusal{http.StatusForbidden, "OriginNotAllowed", "the request's origin is not one this endpoint is served under"}
	refuseLimited    = refusal{http.StatusTooManyRequests, "RateLimited", "too many requests"}
	refuseAddress    = refusal{http.StatusBadRequest, "BadAddress", "address must be 0x and 40 hex digits"}
	refuseBusy       = refusal{http.StatusServiceUnavailable, "Busy", "too many sign-ins in progress"}

	refuseMessage      = refusal{http.StatusUnauthorized, "BadMessage", "the sign-in message is malformed"}
	refuseDomain       = refusal{http.StatusUnauthorized, "DomainNotAllowed", "the sign-in message is for another domain"}
	refuseURI          = refusal{http.StatusUnauthorized, "URINotAllowed", "the sign-in message's URI is not under its domain's origin"}
	refuseChain        = refusal{http.StatusUnauthorized, "WrongChain", "the sign-in message is for another chain"}
	refuseTime         = refusal{http.StatusUnauthorized, "MessageTime", "the sign-in message was issued in the future or too long ago"}
	refuseExpired      = refusal{http.StatusUnauthorized, "MessageExpired", "the sign-in message expired"}
	refuseNotYet       = refusal{http.StatusUnauthorized, "MessageNotYetValid", "the sign-in message is not valid yet"}
	refuseNonceCookie  = refusal{http.StatusUnauthorized, "NonceCookie", "sign-in cookie missing or forged"}
	refuseNonceExpired = refusal{http.StatusUnauthorized, "NonceExpired", "nonce expired"}
	refuseNonceMatch   = refusal{http.StatusUnauthorized, "NonceMismatch", "the message's nonce is not this session's"}
	refuseNonceReused  = refusal{http.StatusUnauthorized, "NonceReused", "nonce already used"}
	refuseSignature    = refusal{http.StatusUnauthorized, "BadSignature", "the signature does not prove the address"}
	refuseUnavailable  = refusal{http.StatusServiceUnavailable, "ChainUnavailable", "chain unavailable"}
	refuseHoldsNone    = refusal{http.StatusForbidden, "NotHolder", gate.ReasonHoldsNone}
	refuseMissingSome  = refusal{http.StatusForbidden, "NotHolder", gate.ReasonMissingSome}
	refuseNoConditions = refusal{http.StatusForbidden, "NotHolder", gate.ReasonNoConditions}
	refusePassExpired  = refusal{http.StatusForbidden, "PassExpired", gate.ReasonExpired}

	refuseNoToken      = refusal{http.StatusUnauthorized, "NoToken", "sign in first: no playback token"}
	refuseTokenExpired = refusal{http.StatusUnauthorized, "TokenExpired", "playback token expired"}
	refuseTokenScope   = refusal{http.StatusUnauthorized, "TokenScope", "playback token is for another video"}
	refuseTokenInvalid = refusal{http.StatusUnauthorized, "TokenInvalid", "playback token invalid"}
)

// write answers with the refusal as JSON {error, code, reason}.
func (f refusal) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(f.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": http.StatusText(f.status), "code": f.code, "reason": f.reason})
}

// writeRetryAfter answers 429 with when to come back, in whole seconds.
func writeRetryAfter(w http.ResponseWriter, seconds int) {
	w.Header().Set("Retry-After", strconv.Itoa(max(seconds, 1)))
	refuseLimited.write(w)
}

// signInRefusal maps an error of the sign-in checks to the vocabulary.
func signInRefusal(err error) refusal {
	switch {
	case errors.Is(err, siwe.ErrDomain):
		return refuseDomain
	case errors.Is(err, siwe.ErrURI):
		return refuseURI
	case errors.Is(err, siwe.ErrChain):
		return refuseChain
	case errors.Is(err, siwe.ErrNonce):
		return refuseNonceMatch
	case errors.Is(err, siwe.ErrTime):
		return refuseTime
	case errors.Is(err, siwe.ErrExpired):
		return refuseExpired
	case errors.Is(err, siwe.ErrNotYetValid):
		return refuseNotYet
	case errors.Is(err, chain.ErrUnavailable):
		return refuseUnavailable
	case errors.Is(err, chain.ErrBadSignature):
		return refuseSignature
	case errors.Is(err, gate.ErrNonceCookie):
		return refuseNonceCookie
	case errors.Is(err, gate.ErrNonceExpired):
		return refuseNonceExpired
	case errors.Is(err, gate.ErrNonceMatch):
		return refuseNonceMatch
	case errors.Is(err, gate.ErrNonceReused):
		return refuseNonceReused
	case errors.Is(err, gate.ErrNonceBusy):
		return refuseBusy
	default:
		return refuseMessage
	}
}

func tokenRefusal(err error) refusal {
	switch {
	case errors.Is(err, gate.ErrTokenExpired):
		return refuseTokenExpired
	case errors.Is(err, gate.ErrTokenScope):
		return refuseTokenScope
	default:
		return refuseTokenInvalid
	}
}

func decisionRefusal(d gate.Decision) refusal {
	switch {
	case d.Unavailable:
		return refuseUnavailable
	case d.Reason == gate.ReasonMissingSome:
		return refuseMissingSome
	case d.Reason == gate.ReasonNoConditions:
		return refuseNoConditions
	case d.Reason == gate.ReasonExpired:
		return refusePassExpired
	default:
		return refuseHoldsNone
	}
}
