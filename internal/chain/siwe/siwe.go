// Package siwe parses and checks sign-in messages in the EIP-4361 (Sign-In
// with Ethereum) format, and its CAIP-122 sibling for Solana (Sign-In With
// Solana), strictly: a message is accepted only if it has exactly the
// shape the spec gives. It checks the fields, not the signature.
package siwe

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Family says which chain's wallet signs the message.
type Family string

const (
	Ethereum Family = "Ethereum"
	Solana   Family = "Solana"
)

// Message is a parsed sign-in message.
type Message struct {
	Family Family
	// Scheme is the optional scheme before the domain ("https").
	Scheme    string
	Domain    string
	Address   string
	Statement string
	URI       string
	Version   string
	// ChainID is decimal for Ethereum, a cluster name for Solana.
	ChainID        string
	Nonce          string
	IssuedAt       time.Time
	ExpirationTime *time.Time
	NotBefore      *time.Time
	RequestID      string
	Resources      []string
}

// ErrInvalid is wrapped by every parse and check error.
var ErrInvalid = errors.New("invalid sign-in message")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

const maxMessageBytes = 8 << 10

var (
	nonceRE   = regexp.MustCompile(`^[A-Za-z0-9]{8,}$`)
	evmAddrRE = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	solAddrRE = regexp.MustCompile(`^[1-9A-HJ-NP-Za-km-z]{32,44}$`)
	// authority = [ userinfo "@" ] host [ ":" port ]; no userinfo here: a
	// domain with credentials is a phishing tell.
	domainRE  = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)
	schemeRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)
	evmChain  = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	solChain  = regexp.MustCompile(`^(solana:)?(mainnet|devnet|testnet|localnet)$`)
	requestRE = regexp.MustCompile(`^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$`)
)

// Parse reads a message strictly.
func Parse(text string) (*Message, error) {
	if len(text) > maxMessageBytes {
		return nil, invalid("longer than %d bytes", maxMessageBytes)
	}
	if strings.Contains(text, "\r") {
		return nil, invalid("lines must end with LF only")
	}
	lines := strings.Split(text, "\n")
	next := 0
	line := func() (string, bool) {
		if next >= len(lines) {
			return "", false
		}
		next++
		return lines[next-1], true
	}

	m := &Message{}
	header, _ := line()
	var prefix string
	switch {
	case strings.HasSuffix(header, " wants you to sign in with your Ethereum account:"):
		m.Family, prefix = Ethereum, strings.TrimSuffix(header, " wants you to sign in with your Ethereum account:")
	case strings.HasSuffix(header, " wants you to sign in with your Solana account:"):
		m.Family, prefix = Solana, strings.TrimSuffix(header, " wants you to sign in with your Solana account:")
	default:
		return nil, invalid("first line must be \"<domain> wants you to sign in with your Ethereum account:\"")
	}
	if scheme, rest, ok := strings.Cut(prefix, "://"); ok {
		if !schemeRE.MatchString(scheme) {
			return nil, invalid("bad scheme %q", scheme)
		}
		m.Scheme, prefix = scheme, rest
	}
	if !domainRE.MatchString(prefix) {
		return nil, invalid("bad domain %q", prefix)
	}
	m.Domain = prefix

	m.Address, _ = line()
	switch m.Family {
	case Ethereum:
		if !evmAddrRE.MatchString(m.Address) || !validEIP55(m.Address) {
			return nil, invalid("address %q is not an EIP-55 checksummed Ethereum address", m.Address)
		}
	case Solana:
		if !solAddrRE.MatchString(m.Address) {
			return nil, invalid("address %q is not a base58 Solana address", m.Address)
		}
	}

	// LF, then an optional statement line and LF, then "URI: ". Both the
	// original ("addr\n\nURI") and the revised ("addr\n\n\nURI") shapes of
	// a message without statement exist in the wild.
	if l, ok := line(); !ok || l != "" {
		return nil, invalid("the address must be followed by an empty line")
	}
	l, _ := line()
	switch {
	case strings.HasPrefix(l, "URI: "):
		next--
	case l == "":
	default:
		if !validStatement(l) {
			return nil, invalid("the statement may hold only letters, digits, spaces and RFC 3986 reserved or unreserved characters")
		}
		m.Statement = l
		if l, ok := line(); !ok || l != "" {
			return nil, invalid("the statement must be one line followed by an empty line")
		}
	}

	field := func(name string, required bool) (string, error) {
		l, ok := line()
		if ok && strings.HasPrefix(l, name+": ") {
			v := strings.TrimPrefix(l, name+": ")
			if v == "" {
				// "Expiration Time: " and nothing else: not the ABNF, and
				// a wallet may show it as "no expiry".
				return "", invalid("%q is present but empty", name)
			}
			return v, nil
		}
		if ok {
			next--
		}
		if required {
			return "", invalid("missing %q", name)
		}
		return "", nil
	}
	var err error
	if m.URI, err = field("URI", true); err != nil {
		return nil, err
	}
	if !isURI(m.URI) {
		return nil, invalid("URI %q is not an RFC 3986 URI", m.URI)
	}
	if m.Version, err = field("Version", true); err != nil {
		return nil, err
	}
	if m.Version != "1" {
		return nil, invalid("version %q is not 1", m.Version)
	}
	if m.ChainID, err = field("Chain ID", true); err != nil {
		return nil, err
	}
	if (m.Family == Ethereum && !evmChain.MatchString(m.ChainID)) || (m.Family == Solana && !solChain.MatchString(m.ChainID)) {
		return nil, invalid("chain ID %q", m.ChainID)
	}
	if m.Nonce, err = field("Nonce", true); err != nil {
		return nil, err
	}
	if !nonceRE.MatchString(m.Nonce) {
		return nil, invalid("nonce must be at least 8 letters or digits")
	}
	issued, err := field("Issued At", true)
	if err != nil {
		return nil, err
	}
	if m.IssuedAt, err = parseTime("Issued At", issued); err != nil {
		return nil, err
	}
	for _, opt := range []struct {
		name string
		dst  **time.Time
	}{{"Expiration Time", &m.ExpirationTime}, {"Not Before", &m.NotBefore}} {
		v, err := field(opt.name, false)
		if err != nil {
			return nil, err
		}
		if v == "" {
			continue
		}
		t, err := parseTime(opt.name, v)
		if err != nil {
			return nil, err
		}
		*opt.dst = &t
	}
	if m.RequestID, err = field("Request ID", false); err != nil {
		return nil, err
	}
	if !requestRE.MatchString(m.RequestID) {
		return nil, invalid("request ID %q", m.RequestID)
	}
	if l, ok := line(); ok && l == "Resources:" {
		for {
			l, ok := line()
			if !ok || !strings.HasPrefix(l, "- ") {
				if ok {
					next--
				}
				break
			}
			r := strings.TrimPrefix(l, "- ")
			if !isURI(r) {
				return nil, invalid("resource %q is not an RFC 3986 URI", r)
			}
			m.Resources = append(m.Resources, r)
		}
		if len(m.Resources) == 0 {
			return nil, invalid("\"Resources:\" lists nothing")
		}
	} else if ok {
		next--
	}
	if next != len(lines) {
		return nil, invalid("unexpected line %q", lines[next])
	}
	return m, nil
}

// validStatement: statement = 1*( reserved / unreserved / " " ).
func validStatement(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isUnreserved(c) && c != ' ' && strings.IndexByte(":/?#[]@!$&'()*+,;=", c) < 0 {
			return false
		}
	}
	return s != ""
}

func parseTime(name, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, invalid("%s %q is not an RFC 3339 time", name, v)
	}
	return t, nil
}

// Expectations are what the relying party knows the message must say.
type Expectations struct {
	// Origins the relying party is served under, from its configuration
	// and never from the request: the message's domain must be one of
	// them, and its URI must lie under that same origin.
	Origins []Origin
	// ChainID the message must name ("1", or "mainnet" for Solana).
	ChainID string
	// Nonce issued to this session.
	Nonce string
	Now   time.Time
	// Skew tolerated between clocks (default 1 minute).
	Skew time.Duration
	// MaxAge bounds how old Issued At may be (default 10 minutes).
	MaxAge time.Duration
}

// Reasons a well-formed message is refused; each wraps ErrInvalid.
var (
	ErrDomain      = fmt.Errorf("%w: domain is not an origin this service is served under", ErrInvalid)
	ErrURI         = fmt.Errorf("%w: URI is not under the signed origin", ErrInvalid)
	ErrChain       = fmt.Errorf("%w: wrong chain", ErrInvalid)
	ErrNonce       = fmt.Errorf("%w: nonce does not match the session's", ErrInvalid)
	ErrTime        = fmt.Errorf("%w: issued in the future or too long ago", ErrInvalid)
	ErrExpired     = fmt.Errorf("%w: expired", ErrInvalid)
	ErrNotYetValid = fmt.Errorf("%w: not valid yet", ErrInvalid)
)

// Check compares a parsed message with what the relying party expects and
// returns the configured origin it was signed for.
func (m *Message) Check(want Expectations) (Origin, error) {
	skew := want.Skew
	if skew == 0 {
		skew = time.Minute
	}
	maxAge := want.MaxAge
	if maxAge == 0 {
		maxAge = 10 * time.Minute
	}
	now := want.Now
	if now.IsZero() {
		now = time.Now()
	}
	origin, err := m.MatchOrigin(want.Origins)
	if err != nil {
		return Origin{}, err
	}
	switch {
	case !sameChain(m.ChainID, want.ChainID):
		return origin, fmt.Errorf("%w: chain ID %s, want %s", ErrChain, m.ChainID, want.ChainID)
	case m.Nonce != want.Nonce:
		return origin, ErrNonce
	case m.IssuedAt.After(now.Add(skew)):
		return origin, fmt.Errorf("%w: issued at %s", ErrTime, m.IssuedAt.Format(time.RFC3339))
	case now.Sub(m.IssuedAt) > maxAge+skew:
		return origin, fmt.Errorf("%w: issued at %s", ErrTime, m.IssuedAt.Format(time.RFC3339))
	case m.ExpirationTime != nil && !now.Before(m.ExpirationTime.Add(skew)):
		return origin, fmt.Errorf("%w at %s", ErrExpired, m.ExpirationTime.Format(time.RFC3339))
	case m.NotBefore != nil && now.Add(skew).Before(*m.NotBefore):
		return origin, fmt.Errorf("%w before %s", ErrNotYetValid, m.NotBefore.Format(time.RFC3339))
	}
	return origin, nil
}

// MatchOrigin finds the origin the message was signed for: its domain is
// the origin's host and port (and its scheme, when the message names one),
// and its URI has exactly that scheme, host and port, with any path.
func (m *Message) MatchOrigin(origins []Origin) (Origin, error) {
	host, port, ok := hostPort(m.Domain)
	if !ok {
		return Origin{}, ErrDomain
	}
	refused := ErrDomain
	for _, o := range origins {
		scheme := o.Scheme
		if m.Scheme != "" {
			if !strings.EqualFold(m.Scheme, o.Scheme) {
				continue
			}
			scheme = m.Scheme
		}
		if strings.EqualFold(host, o.Host) && samePort(port, scheme, o) {
			if uriUnder(m.URI, o) {
				return o, nil
			}
			refused = fmt.Errorf("%w %s", ErrURI, o)
		}
	}
	return Origin{}, refused
}

func uriUnder(uri string, o Origin) bool {
	u, err := url.Parse(uri)
	if err != nil || !strings.EqualFold(u.Scheme, o.Scheme) || u.User != nil || u.Opaque != "" {
		return false
	}
	host, port, ok := hostPort(u.Host)
	return ok && strings.EqualFold(host, o.Host) && samePort(port, o.Scheme, o)
}

func sameChain(got, want string) bool {
	return strings.TrimPrefix(got, "solana:") == strings.TrimPrefix(want, "solana:")
}

// ChainIDNumber is the EVM chain id.
func (m *Message) ChainIDNumber() (uint64, error) {
	return strconv.ParseUint(m.ChainID, 10, 64)
}

// String renders the message in the canonical form (what a wallet signs).
func (m *Message) String() string {
	var b strings.Builder
	if m.Scheme != "" {
		b.WriteString(m.Scheme + "://")
	}
	fmt.Fprintf(&b, "%s wants you to sign in with your %s account:\n%s\n\n", m.Domain, m.Family, m.Address)
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n\n")
	}
	fmt.Fprintf(&b, "URI: %s\nVersion: %s\nChain ID: %s\nNonce: %s\nIssued At: %s", m.URI, m.Version, m.ChainID, m.Nonce, m.IssuedAt.Format(time.RFC3339Nano))
	if m.ExpirationTime != nil {
		b.WriteString("\nExpiration Time: " + m.ExpirationTime.Format(time.RFC3339Nano))
	}
	if m.NotBefore != nil {
		b.WriteString("\nNot Before: " + m.NotBefore.Format(time.RFC3339Nano))
	}
	if m.RequestID != "" {
		b.WriteString("\nRequest ID: " + m.RequestID)
	}
	if len(m.Resources) > 0 {
		b.WriteString("\nResources:")
		for _, r := range m.Resources {
			b.WriteString("\n- " + r)
		}
	}
	return b.String()
}
