package stream

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

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
	// accessEnded: for PassExpired, when the pass ended (the player says so).
	accessEnded time.Time
}

var (
	refuseMethodGet  = refusal{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", reason: "GET or HEAD only"}
	refuseMethodPost = refusal{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", reason: "POST only"}
	refuseBadRequest = refusal{status: http.StatusBadRequest, code: "BadRequest", reason: "the body must be JSON {video, message, signature, scheme}"}
	refuseUnknown    = refusal{status: http.StatusNotFound, code: "UnknownVideo", reason: "no such video"}
	refusePublic     = refusal{status: http.StatusBadRequest, code: "PublicVideo", reason: "the video is public: no sign-in needed"}
	refuseGate       = refusal{status: http.StatusServiceUnavailable, code: "GateNotReady", reason: "the video's gate is not ready"}
	refuseStorage    = refusal{status: http.StatusServiceUnavailable, code: "StorageUnavailable", reason: "the video's storage is not answering; try again shortly"}
	refuseNoSignIn   = refusal{status: http.StatusServiceUnavailable, code: "SignInNotConfigured", reason: "sign-in is not configured: the endpoint lists no origins"}
	refuseOrigin     = refusal{status: http.StatusForbidden, code: "OriginNotAllowed", reason: "the request's origin is not one this endpoint is served under"}
	refuseLimited    = refusal{status: http.StatusTooManyRequests, code: "RateLimited", reason: "too many requests"}
	refuseAddress    = refusal{status: http.StatusBadRequest, code: "BadAddress", reason: "address must be 0x and 40 hex digits"}
	refuseBusy       = refusal{status: http.StatusServiceUnavailable, code: "Busy", reason: "too many sign-ins in progress"}

	refuseMessage      = refusal{status: http.StatusUnauthorized, code: "BadMessage", reason: "the sign-in message is malformed"}
	refuseDomain       = refusal{status: http.StatusUnauthorized, code: "DomainNotAllowed", reason: "the sign-in message is for another domain"}
	refuseURI          = refusal{status: http.StatusUnauthorized, code: "URINotAllowed", reason: "the sign-in message's URI is not under its domain's origin"}
	refuseChain        = refusal{status: http.StatusUnauthorized, code: "WrongChain", reason: "the sign-in message is for another chain"}
	refuseTime         = refusal{status: http.StatusUnauthorized, code: "MessageTime", reason: "the sign-in message was issued in the future or too long ago"}
	refuseExpired      = refusal{status: http.StatusUnauthorized, code: "MessageExpired", reason: "the sign-in message expired"}
	refuseNotYet       = refusal{status: http.StatusUnauthorized, code: "MessageNotYetValid", reason: "the sign-in message is not valid yet"}
	refuseNonceCookie  = refusal{status: http.StatusUnauthorized, code: "NonceCookie", reason: "sign-in cookie missing or forged"}
	refuseNonceExpired = refusal{status: http.StatusUnauthorized, code: "NonceExpired", reason: "nonce expired"}
	refuseNonceMatch   = refusal{status: http.StatusUnauthorized, code: "NonceMismatch", reason: "the message's nonce is not this session's"}
	refuseNonceReused  = refusal{status: http.StatusUnauthorized, code: "NonceReused", reason: "nonce already used"}
	refuseSignature    = refusal{status: http.StatusUnauthorized, code: "BadSignature", reason: "the signature does not prove the address"}
	refuseUnavailable  = refusal{status: http.StatusServiceUnavailable, code: "ChainUnavailable", reason: "chain unavailable"}
	refuseHoldsNone    = refusal{status: http.StatusForbidden, code: "NotHolder", reason: gate.ReasonHoldsNone}
	refuseMissingSome  = refusal{status: http.StatusForbidden, code: "NotHolder", reason: gate.ReasonMissingSome}
	refuseNoConditions = refusal{status: http.StatusForbidden, code: "NotHolder", reason: gate.ReasonNoConditions}
	refusePassExpired  = refusal{status: http.StatusForbidden, code: "PassExpired", reason: gate.ReasonExpired}

	refuseNoToken      = refusal{status: http.StatusUnauthorized, code: "NoToken", reason: "sign in first: no playback token"}
	refuseTokenExpired = refusal{status: http.StatusUnauthorized, code: "TokenExpired", reason: "playback token expired"}
	refuseTokenScope   = refusal{status: http.StatusUnauthorized, code: "TokenScope", reason: "playback token is for another video"}
	refuseTokenInvalid = refusal{status: http.StatusUnauthorized, code: "TokenInvalid", reason: "playback token invalid"}
)

// write answers with the refusal as JSON {error, code, reason[, accessEnded]}.
func (f refusal) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(f.status)
	answer := map[string]string{"error": http.StatusText(f.status), "code": f.code, "reason": f.reason}
	if !f.accessEnded.IsZero() {
		answer["accessEnded"] = f.accessEnded.UTC().Format(time.RFC3339)
	}
	_ = json.NewEncoder(w).Encode(answer)
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
		expired := refusePassExpired
		expired.accessEnded = d.Until
		return expired
	default:
		return refuseHoldsNone
	}
}
