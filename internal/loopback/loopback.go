// Package loopback gives tests loopback addresses and servers: tests bind to
// 127.0.0.1 only, on ports the kernel picks.
package loopback

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FreeAddr is a 127.0.0.1 address with a port that was free a moment ago,
// for processes that must be told where to listen.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// Server serves h on 127.0.0.1 until the test ends.
func Server(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	s.Start()
	t.Cleanup(s.Close)
	return s
}
