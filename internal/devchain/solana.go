package devchain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/streamgate-io/streamgate/internal/repo"
)

// SVM is a running LiteSVM behind a Solana JSON-RPC front
// (hack/chain/litesvm-rpc.mjs): the real SVM and SPL programs in a node
// process, since no validator binary can be had here.
type SVM struct {
	URL string
}

// StartSVM starts the front on a free 127.0.0.1 port and stops it when the
// test ends.
func StartSVM(t T) *SVM {
	t.Helper()
	script := filepath.Join(repo.Root(), "hack", "chain", "litesvm-rpc.mjs")
	if _, err := os.Stat(filepath.Join(ToolsDir(), "litesvm")); err != nil {
		t.Fatalf("litesvm not installed: run `make chain-tools`: %v", err)
	}
	return &SVM{URL: "http://" + startListening(t, exec.Command("node", script), 30*time.Second)}
}

// Call invokes a JSON-RPC method (test_* ones included) and decodes the result.
func (s *SVM) Call(t T, method string, params ...any) json.RawMessage {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	resp, err := http.Post(s.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Error != nil {
		t.Fatalf("%s: %s", method, out.Error.Message)
	}
	return out.Result
}

// CallString is Call for methods that answer a string (an address).
func (s *SVM) CallString(t T, method string, params ...any) string {
	t.Helper()
	var v string
	if err := json.Unmarshal(s.Call(t, method, params...), &v); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return v
}

// NFT mints one token of a fresh mint to owner and gives it Metaplex
// metadata naming collection (verified or not).
func (s *SVM) NFT(t T, owner, collection, program string, verified bool) string {
	t.Helper()
	mint := s.CallString(t, "test_createMint", map[string]any{"program": program})
	s.Call(t, "test_mintTo", map[string]any{"mint": mint, "owner": owner, "program": program})
	s.Call(t, "test_setMetadata", map[string]any{"mint": mint, "collection": collection, "verified": verified})
	return mint
}

func (s *SVM) String() string { return fmt.Sprintf("litesvm at %s", s.URL) }
