package siwe

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// isURI reports whether s is an RFC 3986 URI:
//
//	URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
//
// Go's url.Parse is lenient (it takes spaces, raw UTF-8, bad escapes and
// more than one '#'); a signed message must not mean one thing to the
// wallet that showed it and another to us.
func isURI(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !schemeRE.MatchString(scheme) {
		return false
	}
	rest, fragment, hasFragment := strings.Cut(rest, "#")
	if hasFragment && !validChars(fragment, "/?:@") {
		return false
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	if hasQuery && !validChars(query, "/?:@") {
		return false
	}
	if authorityAndPath, ok := strings.CutPrefix(rest, "//"); ok {
		authority, path := authorityAndPath, ""
		if i := strings.IndexByte(authorityAndPath, '/'); i >= 0 {
			authority, path = authorityAndPath[:i], authorityAndPath[i:]
		}
		return validAuthority(authority) && validChars(path, "/:@")
	}
	// path-absolute / path-rootless / path-empty
	if strings.HasPrefix(rest, "//") {
		return false
	}
	return validChars(rest, "/:@")
}

// validChars: every byte is unreserved, sub-delims, one of extra, or part
// of a %HH escape.
func validChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUnreserved(c) || strings.IndexByte("!$&'()*+,;=", c) >= 0 || strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func validAuthority(a string) bool {
	if at := strings.LastIndexByte(a, '@'); at >= 0 {
		if !validChars(a[:at], ":") {
			return false
		}
		a = a[at+1:]
	}
	host, port := a, ""
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 || net.ParseIP(a[1:end]) == nil {
			return false // IPvFuture is not worth its risk here
		}
		host, port = a[:end+1], a[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return false
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(a, ':'); i >= 0 {
		host, port = a[:i], a[i+1:]
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return strings.HasPrefix(host, "[") || validChars(host, "")
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// Origin is a web origin (RFC 6454): scheme, host and port, in canonical
// form (lower case; the port always explicit).
type Origin struct {
	Scheme string
	Host   string // without brackets for IPv6
	Port   string
}

// ParseOrigin reads "scheme://host[:port]" with scheme http or https and no
// path, query, fragment or userinfo.
func ParseOrigin(s string) (Origin, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return Origin{}, fmt.Errorf("%q is not an origin (scheme://host[:port], http or https)", s)
	}
	o := Origin{Scheme: u.Scheme, Host: strings.ToLower(u.Hostname()), Port: u.Port()}
	if o.Port == "" {
		o.Port = defaultPort(o.Scheme)
	}
	if p, err := strconv.Atoi(o.Port); err != nil || p < 1 || p > 65535 {
		return Origin{}, fmt.Errorf("%q has a bad port", s)
	}
	return o, nil
}

func defaultPort(scheme string) string {
	if strings.EqualFold(scheme, "https") {
		return "443"
	}
	return "80"
}

// Authority is host[:port] as a browser's location.host and an EIP-4361
// domain write it: the port only when it is not the scheme's default.
func (o Origin) Authority() string {
	host := o.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if o.Port == defaultPort(o.Scheme) {
		return host
	}
	return host + ":" + o.Port
}

// String is the origin as a browser's Origin header writes it.
func (o Origin) String() string { return o.Scheme + "://" + o.Authority() }

// hostPort splits an authority with no userinfo; port is "" when absent.
func hostPort(authority string) (host, port string, ok bool) {
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", "", false
		}
		host, rest := authority[1:end], authority[end+1:]
		if rest == "" {
			return host, "", true
		}
		if !strings.HasPrefix(rest, ":") {
			return "", "", false
		}
		return host, rest[1:], true
	}
	host, port, found := strings.Cut(authority, ":")
	if found && port == "" {
		return "", "", false
	}
	return host, port, !strings.Contains(port, ":")
}

// samePort compares ports with the scheme's default filled in, numerically
// ("0443" is not 443: a browser never writes it so).
func samePort(port, scheme string, o Origin) bool {
	if port == "" {
		port = defaultPort(scheme)
	}
	return port == o.Port
}
