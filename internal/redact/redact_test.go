package redact

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-logr/logr/funcr"
)

// Keys as the big providers put them in their URLs.
var secrets = []string{"0123456789abcdef0123456789abcdef", "s3cr3tP4ss", "AbCdEf1234567890xyz"}

func TestURLsLoseTheirKeys(t *testing.T) {
	for in, want := range map[string]string{
		`Post "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef": dial tcp: lookup failed`: `Post "https://mainnet.infura.io/v3/REDACTED": dial tcp: lookup failed`,
		"https://user:s3cr3tP4ss@rpc.example.com/ broke":                                                "https://REDACTED@rpc.example.com/ broke",
		"wss://rpc.example.com/ws?apikey=AbCdEf1234567890xyz&x=1.":                                      "wss://rpc.example.com/ws?apikey=REDACTED&x=REDACTED.",
		"http://127.0.0.1:8545 refused":                                                                 "http://127.0.0.1:8545 refused",
		"see https://docs.example.com/streamgate/v1alpha1/nftgate":                                      "see https://docs.example.com/streamgate/v1alpha1/nftgate",
		"no URL here": "no URL here",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestErrorsAndLogLinesCarryNoKey(t *testing.T) {
	cause := errors.New("connection refused")
	err := fmt.Errorf(`Post "https://user:s3cr3tP4ss@eth.example.com/v2/AbCdEf1234567890xyz?key=0123456789abcdef0123456789abcdef": %w`, cause)
	if !errors.Is(Error(err), cause) {
		t.Fatal("redacted error lost its chain")
	}
	var out bytes.Buffer
	log := Logger(funcr.New(func(prefix, args string) { out.WriteString(prefix + args + "\n") }, funcr.Options{}))
	log.Error(err, "call failed", "url", "https://x.example.com/AbCdEf1234567890xyz", "cause", err)
	log.WithValues("rpc", "https://user:s3cr3tP4ss@eth.example.com").WithName("gate").Info("dial https://eth.example.com/?token=0123456789abcdef0123456789abcdef")
	for _, s := range secrets {
		if strings.Contains(out.String(), s) {
			t.Fatalf("log carries %q:\n%s", s, out.String())
		}
	}
	if !strings.Contains(out.String(), "REDACTED") || !strings.Contains(out.String(), "call failed") {
		t.Fatalf("log lost its content:\n%s", out.String())
	}
}

func FuzzStringHidesUserinfo(f *testing.F) {
	f.Add("https://u:p@h/x")
	f.Fuzz(func(t *testing.T, secret string) {
		// Userinfo as a URL can hold it: printable ASCII without the
		// delimiters (a raw control character makes no URL; Go quotes it
		// as \f and the like in its errors).
		if len(secret) < 4 || strings.ContainsAny(secret, "@/?#%:\"' <>`[]\\") || strings.IndexFunc(secret, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			return
		}
		if out := String("Post \"https://user:" + secret + "@rpc.example.com/\": EOF"); strings.Contains(out, ":"+secret+"@") {
			t.Fatalf("secret kept: %q", out)
		}
	})
}
