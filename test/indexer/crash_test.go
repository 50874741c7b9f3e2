// Package indexer_test runs `streamgate index` as a real process against
// anvil, kills it with SIGKILL in the middle of a backfill, restarts it, and
// expects the same holdings as an uninterrupted run.
package indexer_test

import (
	"encoding/json"
	"fmt"
	"github.com/streamgate-io/streamgate/internal/testnet"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/testchain"
	"github.com/streamgate-io/streamgate/internal/testenv"
)

const tokens = 120

func TestKillMidBackfillThenRestartLosesAndDoublesNothing(t *testing.T) {
	anvil := testchain.StartAnvil(t)
	nft := anvil.Deploy(t, "TestERC721")
	token := anvil.Deploy(t, "TestERC20")
	people := []common.Address{testchain.Address(testchain.Key(1)), testchain.Address(testchain.Key(2)), testchain.Address(testchain.Key(3))}
	for i := 1; i <= tokens; i++ {
		nft.Transact(t, testchain.Key(0), "mint", people[i%3], big.NewInt(int64(i)))
		if i%4 == 0 {
			token.Transact(t, testchain.Key(0), "mint", people[i%3], big.NewInt(int64(1000*i)))
		}
	}
	for i := 1; i <= tokens; i += 5 {
		from := i % 3
		nft.Transact(t, testchain.Key(from+1), "transferFrom", people[from], people[(from+1)%3], big.NewInt(int64(i)))
	}

	dir := t.TempDir()
	binary := filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = testenv.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	contracts, _ := json.Marshal([]map[string]any{
		{"address": nft.Address, "standard": "ERC721", "fromBlock": 0},
		{"address": token.Address, "standard": "ERC20", "fromBlock": 0},
	})
	start := func(db string) (*exec.Cmd, string) {
		addr := testnet.FreeAddr(t)
		cmd := exec.Command(binary, "index", "--rpc-url", anvil.URL, "--chain-id", "31337", "--contracts", string(contracts),
			"--confirmations", "0", "--batch-blocks", "1", "--poll-interval", "100ms", "--db", db, "--listen", addr, "--zap-log-level", "error")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd, "http://" + addr
	}

	// The reference: an uninterrupted run.
	_, reference := start(filepath.Join(dir, "reference.db"))
	waitCaughtUp(t, reference)
	want := snapshot(t, reference, nft.Address, token.Address, people)

	// The victim: killed mid-backfill (batch of one block: many small
	// transactions to die in the middle of), then restarted on its store.
	db := filepath.Join(dir, "victim.db")
	victim, url := start(db)
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := status(url)
		if s.Indexed > 30 && !s.CaughtUp {
			break
		}
		if s.CaughtUp || time.Now().After(deadline) {
			t.Fatalf("could not catch the indexer mid-backfill: %+v", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.Wait()
	_, url = start(db)
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
