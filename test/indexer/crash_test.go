// Package indexer_test runs `streamgate index` as a real process against
// anvil, kills it with SIGKILL in the middle of a backfill, restarts it, and
// expects the same holdings as an uninterrupted run.
package indexer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/loopback"
	"github.com/streamgate-io/streamgate/internal/repo"
)

const tokens = 120

func TestKillMidBackfillThenRestartLosesAndDoublesNothing(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	token := anvil.Deploy(t, "TestERC20")
	people := []common.Address{devchain.Address(devchain.Key(1)), devchain.Address(devchain.Key(2)), devchain.Address(devchain.Key(3))}
	for i := 1; i <= tokens; i++ {
		nft.Transact(t, devchain.Key(0), "mint", people[i%3], big.NewInt(int64(i)))
		if i%4 == 0 {
			token.Transact(t, devchain.Key(0), "mint", people[i%3], big.NewInt(int64(1000*i)))
		}
	}
	for i := 1; i <= tokens; i += 5 {
		from := i % 3
		nft.Transact(t, devchain.Key(from+1), "transferFrom", people[from], people[(from+1)%3], big.NewInt(int64(i)))
	}

	dir := t.TempDir()
	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = repo.Root()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	contracts, _ := json.Marshal([]map[string]any{
		{"address": nft.Address, "standard": "ERC721", "fromBlock": 0},
		{"address": token.Address, "standard": "ERC20", "fromBlock": 0},
	})
	start := func(rpcURL, db string) (*exec.Cmd, string) {
		addr := loopback.FreeAddr(t)
		cmd := exec.Command(binary, "index", "--rpc-url", rpcURL, "--chain-id", "31337", "--contracts", string(contracts),
			"--confirmations", "0", "--batch-blocks", "1", "--poll-interval", "100ms", "--db", db, "--listen", addr, "--zap-log-level", "error")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd, "http://" + addr
	}

	// The reference: an uninterrupted run.
	_, reference := start(anvil.URL, filepath.Join(dir, "reference.db"))
	waitCaughtUp(t, reference)
	want := snapshot(t, reference, nft.Address, token.Address, people)

	// The victim: killed mid-backfill, then restarted on its store. Its node
	// stops answering eth_getLogs for ranges reaching block 40 until the
	// kill, so the kill always lands with part of the history applied and
	// the rest not.
	db := filepath.Join(dir, "victim.db")
	held := holdLogsReaching(t, anvil.URL, 40)
	victim, url := start(held.URL, db)
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := status(url)
		if first := held.firstHeld.Load(); first > 1 && s.Indexed == first-1 {
			break
		}
		if s.CaughtUp || time.Now().After(deadline) {
			t.Fatalf("the indexer should stop before the first held range (from block %d): %+v", held.firstHeld.Load(), s)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.Wait()
	_, url = start(anvil.URL, db)
	waitCaughtUp(t, url)
	got := snapshot(t, url, nft.Address, token.Address, people)
	if got != want {
		t.Errorf("holdings after kill and restart differ from an uninterrupted run:\n got %s\nwant %s", got, want)
	}
}

type indexerStatus struct {
	Head     uint64 `json:"headBlock"`
	Indexed  uint64 `json:"indexedBlock"`
	CaughtUp bool   `json:"caughtUp"`
}

func status(url string) indexerStatus {
	var s indexerStatus
	resp, err := http.Get(url + "/v1/status")
	if err != nil {
		return s
	}
	defer func() { _ = resp.Body.Close() }()
	_ = json.NewDecoder(resp.Body).Decode(&s)
	return s
}

func waitCaughtUp(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for !status(url).CaughtUp {
		if time.Now().After(deadline) {
			t.Fatalf("indexer at %s did not catch up: %+v", url, status(url))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// snapshot renders every owner and balance the indexer knows, canonically.
func snapshot(t *testing.T, url string, nft, token common.Address, people []common.Address) string {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= tokens; i++ {
		var out struct {
			Owner string `json:"owner"`
		}
		get(t, fmt.Sprintf("%s/v1/owner/%s/%d", url, nft.Hex(), i), &out)
		fmt.Fprintf(&b, "%d:%s ", i, strings.ToLower(out.Owner))
	}
	for _, p := range people {
		var out struct {
			Balance string `json:"balance"`
		}
		get(t, fmt.Sprintf("%s/v1/balance/%s/%s/0", url, p.Hex(), token.Hex()), &out)
		fmt.Fprintf(&b, "%s=%s ", p.Hex(), out.Balance)
	}
	return b.String()
}

func get(t *testing.T, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

type heldNode struct {
	URL string
	// firstHeld is the lowest fromBlock of a held eth_getLogs call.
	firstHeld atomic.Uint64
}

// holdLogsReaching is a JSON-RPC proxy to upstream that holds, until the test
// ends, every eth_getLogs call whose range reaches block reach.
func holdLogsReaching(t *testing.T, upstream string, reach uint64) *heldNode {
	release := make(chan struct{})
	target, err := neturl.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	node := &heldNode{}
	var mu sync.Mutex
	proxy := httputil.NewSingleHostReverseProxy(target)
	server := loopback.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if from, ok := logsReaching(body, reach); ok {
			mu.Lock()
			if first := node.firstHeld.Load(); first == 0 || from < first {
				node.firstHeld.Store(from)
			}
			mu.Unlock()
			<-release
			http.Error(w, "held", http.StatusServiceUnavailable)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(release) }) // runs before the server closes
	node.URL = server.URL
	return node
}

// logsReaching reports the start of the first eth_getLogs range in a
// JSON-RPC body (one call or a batch) whose end is at or past block reach.
func logsReaching(body []byte, reach uint64) (uint64, bool) {
	type call struct {
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	var calls []call
	if err := json.Unmarshal(body, &calls); err != nil {
		var one call
		if json.Unmarshal(body, &one) != nil {
			return 0, false
		}
		calls = []call{one}
	}
	block := func(hex string) (uint64, bool) {
		n, err := strconv.ParseUint(strings.TrimPrefix(hex, "0x"), 16, 64)
		return n, err == nil
	}
	for _, c := range calls {
		if c.Method != "eth_getLogs" || len(c.Params) == 0 {
			continue
		}
		var filter struct {
			FromBlock string `json:"fromBlock"`
			ToBlock   string `json:"toBlock"`
		}
		if json.Unmarshal(c.Params[0], &filter) != nil {
			continue
		}
		from, okFrom := block(filter.FromBlock)
		to, okTo := block(filter.ToBlock)
		if okFrom && okTo && to >= reach {
			return from, true
		}
	}
	return 0, false
}
