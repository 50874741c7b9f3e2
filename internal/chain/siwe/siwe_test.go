package siwe

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The example message of EIP-4361 itself.
const eipExample = `example.com wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ExampleOrg Terms of Service: https://example.com/tos

URI: https://example.com/login
Version: 1
Chain ID: 1
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json`

func TestParseTheEIPExample(t *testing.T) {
	m, err := Parse(eipExample)
	if err != nil {
		t.Fatal(err)
	}
	want := &Message{
		Family: Ethereum, Domain: "example.com", Address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
		Statement: "I accept the ExampleOrg Terms of Service: https://example.com/tos",
		URI:       "https://example.com/login", Version: "1", ChainID: "1", Nonce: "32891756",
		IssuedAt: time.Date(2021, 9, 30, 16, 25, 24, 0, time.UTC),
		Resources: []string{"ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
			"https://example.com/my-web2-claim.json"},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("parsed %+v\nwant %+v", m, want)
	}
	if m.String() != eipExample {
		t.Errorf("String() does not give back the signed text:\n%s", m.String())
	}
}

func TestParseAllFieldsAndShapes(t *testing.T) {
	full := "https://app.example.org:8443 wants you to sign in with your Ethereum account:\n" +
		"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\n\n" + // no statement, revised shape
		"URI: https://app.example.org:8443/watch/a/b\nVersion: 1\nChain ID: 31337\nNonce: abcDEF123456\n" +
		"Issued At: 2026-11-27T10:00:00.123Z\nExpiration Time: 2026-11-27T10:10:00Z\nNot Before: 2026-11-27T09:59:00+01:00\n" +
		"Request ID: req-42/x?y=1"
	m, err := Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	if m.Scheme != "https" || m.Domain != "app.example.org:8443" || m.Statement != "" || m.RequestID != "req-42/x?y=1" ||
		m.ExpirationTime == nil || m.NotBefore == nil || m.ChainID != "31337" {
		t.Errorf("parsed %+v", m)
	}
	original := strings.Replace(full, "\n\n\nURI", "\n\nURI", 1)
	if _, err := Parse(original); err != nil {
		t.Errorf("the original no-statement shape was refused: %v", err)
	}
	sol := "example.com wants you to sign in with your Solana account:\n" +
		"5Hs7TYrLd5mWnbJ2HPhmt6G2UzKXDnGy8CxqDEJwJ9K1\n\nSign in\n\nURI: https://example.com\nVersion: 1\nChain ID: devnet\nNonce: 1234abcd\nIssued At: 2026-01-01T00:00:00Z"
	if m, err := Parse(sol); err != nil || m.Family != Solana || m.ChainID != "devnet" {
		t.Errorf("Solana message: %+v, %v", m, err)
	}
}

func TestParseRefusesWhatTheSpecRefuses(t *testing.T) {
	replace := func(old, new string) string { return strings.Replace(eipExample, old, new, 1) }
	for name, text := range map[string]string{
		"empty":                 "",
		"wrong header":          replace("wants you to sign in with your Ethereum account:", "wants you to log in:"),
		"lower-case address":    replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
		"bad checksum":          replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02AAA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
		"short address":         replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02aaA39"),
		"version 2":             replace("Version: 1", "Version: 2"),
		"chain id 0":            replace("Chain ID: 1", "Chain ID: 0"),
		"chain id hex":          replace("Chain ID: 1", "Chain ID: 0x1"),
		"short nonce":           replace("Nonce: 32891756", "Nonce: 1234567"),
		"nonce with symbols":    replace("Nonce: 32891756", "Nonce: 3289-1756"),
		"bad issued at":         replace("2021-09-30T16:25:24Z", "yesterday"),
		"missing URI":           replace("URI: https://example.com/login\n", ""),
		"relative URI":          replace("URI: https://example.com/login", "URI: /login"),
		"fields out of order":   replace("Version: 1\nChain ID: 1", "Chain ID: 1\nVersion: 1"),
		"CRLF":                  strings.ReplaceAll(eipExample, "\n", "\r\n"),
		"trailing junk":         eipExample + "\nHello: there",
		"two-line statement":    replace("Terms of Service: https://example.com/tos", "Terms\nof Service"),
		"empty resources":       strings.Split(eipExample, "\n- ipfs")[0],
		"domain with userinfo":  replace("example.com wants", "evil@example.com wants"),
		"domain with spaces":    replace("example.com wants", "example .com wants"),
		"solana address on evm": replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "5Hs7TYrLd5mWnbJ2HPhmt6G2UzKXDnGy8CxqDEJwJ9K1"),
	} {
		if _, err := Parse(text); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func mustOrigins(t *testing.T, origins ...string) []Origin {
	t.Helper()
	var out []Origin
	for _, o := range origins {
		parsed, err := ParseOrigin(o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parsed)
	}
	return out
}

func TestCheck(t *testing.T) {
	m, err := Parse(eipExample)
	if err != nil {
		t.Fatal(err)
	}
	issued := m.IssuedAt
	want := Expectations{Origins: mustOrigins(t, "https://example.com"), ChainID: "1", Nonce: "32891756", Now: issued.Add(time.Minute)}
	if o, err := m.Check(want); err != nil || o.String() != "https://example.com" {
		t.Fatalf("valid message refused: %v (origin %v)", err, o)
	}
	exp := issued.Add(5 * time.Minute)
	nbf := issued.Add(3 * time.Minute)
	for name, tc := range map[string]struct {
		mutate func(*Message, *Expectations)
		want   error
	}{
		// A phishing site has the victim sign its own domain.
		"domain not configured": {func(m *Message, _ *Expectations) { m.Domain = "phishing.example" }, ErrDomain},
		"domain, other port":    {func(m *Message, _ *Expectations) { m.Domain = "example.com:8443" }, ErrDomain},
		"domain, other scheme":  {func(m *Message, _ *Expectations) { m.Scheme = "http" }, ErrDomain},
		"no origins configured": {func(_ *Message, w *Expectations) { w.Origins = nil }, ErrDomain},
		// A prefix check would take these.
		"URI on a look-alike host": {func(m *Message, _ *Expectations) { m.URI = "https://example.com.evil.example/login" }, ErrURI},
		"URI with userinfo":        {func(m *Message, _ *Expectations) { m.URI = "https://example.com@evil.example/" }, ErrURI},
		"URI, other scheme":        {func(m *Message, _ *Expectations) { m.URI = "http://example.com/login" }, ErrURI},
		"URI, other port":          {func(m *Message, _ *Expectations) { m.URI = "https://example.com:444/login" }, ErrURI},
		"wrong chain":              {func(_ *Message, w *Expectations) { w.ChainID = "137" }, ErrChain},
		"wrong nonce":              {func(_ *Message, w *Expectations) { w.Nonce = "99999999" }, ErrNonce},
		"expired":                  {func(m *Message, w *Expectations) { m.ExpirationTime = &exp; w.Now = exp.Add(2 * time.Minute) }, ErrExpired},
		"not yet valid":            {func(m *Message, w *Expectations) { m.NotBefore = &nbf; w.Now = issued }, ErrNotYetValid},
		"issued in future":         {func(_ *Message, w *Expectations) { w.Now = issued.Add(-5 * time.Minute) }, ErrTime},
		"issued long ago":          {func(_ *Message, w *Expectations) { w.Now = issued.Add(time.Hour) }, ErrTime},
	} {
		msg, w := *m, want
		tc.mutate(&msg, &w)
		if _, err := msg.Check(w); !errors.Is(err, tc.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
}

// The bare origin that /auth/nonce advertises as uri, signed verbatim, is
// under that origin (a prefix check against "origin/" refused it), and so
// is any path; default ports may be written or left out.
func TestURIMayBeTheBareOriginOrAnyPathUnderIt(t *testing.T) {
	for _, tc := range []struct{ origin, domain, uri string }{
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080/watch/ns/v?x=1#t"},
		{"https://Watch.Example.com", "watch.example.com", "https://WATCH.example.com:443/"},
		{"https://watch.example.com:443", "watch.example.com", "https://watch.example.com"},
		{"http://[::1]:8080", "[::1]:8080", "http://[::1]:8080/watch"},
	} {
		m, err := Parse(strings.NewReplacer("example.com wants", tc.domain+" wants", "URI: https://example.com/login", "URI: "+tc.uri).Replace(eipExample))
		if err != nil {
			t.Fatalf("%v: %v", tc, err)
		}
		if _, err := m.MatchOrigin(mustOrigins(t, tc.origin)); err != nil {
			t.Errorf("%v: %v", tc, err)
		}
	}
}

// The parser follows the EIP-4361 ABNF: what a wallet shows a person is
// exactly what we check.
func TestParserRefusesWhatTheABNFRefuses(t *testing.T) {
	for name, text := range map[string]string{
		"control character in statement": strings.Replace(eipExample, "I accept", "I\x1b[2Kaccept", 1),
		"tab in statement":               strings.Replace(eipExample, "I accept", "I\taccept", 1),
		"DEL in statement":               strings.Replace(eipExample, "I accept", "I\x7faccept", 1),
		"non-ASCII in statement":         strings.Replace(eipExample, "I accept", "I \u202eaccept", 1),
		"empty expiration time":          strings.Replace(eipExample, "\nResources:", "\nExpiration Time: \nResources:", 1),
		"empty not before":               strings.Replace(eipExample, "\nResources:", "\nNot Before: \nResources:", 1),
		"empty request ID":               strings.Replace(eipExample, "\nResources:", "\nRequest ID: \nResources:", 1),
		"resource with a space":          strings.Replace(eipExample, "my-web2-claim.json", "my web2.json", 1),
		"resource with a bad escape":     strings.Replace(eipExample, "my-web2-claim.json", "a%zz", 1),
		"resource with two fragments":    strings.Replace(eipExample, "my-web2-claim.json", "a#b#c", 1),
		"resource with raw UTF-8":        strings.Replace(eipExample, "my-web2-claim.json", "\u00e9", 1),
		"resource that is relative":      strings.Replace(eipExample, "- https://example.com/my-web2-claim.json", "- /relative", 1),
		"URI with a space":               strings.Replace(eipExample, "URI: https://example.com/login", "URI: https://example.com/log in", 1),
		"URI with a bad host":            strings.Replace(eipExample, "URI: https://example.com/login", "URI: https://exa<mple.com/", 1),
		"URI with a bad port":            strings.Replace(eipExample, "URI: https://example.com/login", "URI: https://example.com:8x/", 1),
	} {
		if _, err := Parse(text); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(eipExample)
	f.Add(strings.Replace(eipExample, "\n\nI accept the ExampleOrg Terms of Service: https://example.com/tos\n", "\n", 1))
	f.Add("example.com wants you to sign in with your Solana account:\n5Hs7TYrLd5mWnbJ2HPhmt6G2UzKXDnGy8CxqDEJwJ9K1\n\n\nURI: https://x\nVersion: 1\nChain ID: devnet\nNonce: 12345678\nIssued At: 2026-01-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := Parse(text)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not marked invalid: %v", err)
			}
			return
		}
		// What parses renders to a message that parses to the same fields.
		again, err := Parse(m.String())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", m.String(), err)
		}
		if !again.IssuedAt.Equal(m.IssuedAt) {
			t.Fatalf("issued-at changed: %v vs %v", again.IssuedAt, m.IssuedAt)
		}
		again.IssuedAt, m.IssuedAt = time.Time{}, time.Time{}
		again.ExpirationTime, m.ExpirationTime, again.NotBefore, m.NotBefore = nil, nil, nil, nil
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m, again)
		}
	})
}
