// Package devchain runs real chains on 127.0.0.1: anvil (from the npm
// package, see hack/chain) for EVM, with the project's contracts compiled by
// solc, and LiteSVM behind a Solana JSON-RPC front. `make demo` runs its
// chain with it, and the tests theirs. Nothing here is a mock.
package devchain

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"embed"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/streamgate-io/streamgate/internal/repo"
)

//go:embed contracts/*.json
var contracts embed.FS

// Keys of anvil's default accounts (its well-known test mnemonic).
var anvilKeys = []string{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
	"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
	"7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
}

// T is what the test helpers of this package need of a test (testing.TB
// has it): the package itself serves `make demo` too, so it does not import
// testing. Every helper that takes a T has a twin that returns an error.
type T interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Anvil is a running anvil node.
type Anvil struct {
	URL     string
	ChainID int64
	Client  *ethclient.Client
	RPC     *rpc.Client
}

// ToolsDir holds the npm packages of hack/chain.
func ToolsDir() string {
	return filepath.Join(repo.Root(), "hack", "chain", "node_modules")
}

// StartAnvil starts anvil on 127.0.0.1 with a free port and stops it when
// the test ends.
func StartAnvil(t T, extraArgs ...string) *Anvil {
	t.Helper()
	a, stop, err := LaunchAnvil(extraArgs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return a
}

// LaunchAnvil starts anvil on 127.0.0.1 with a free port; stop ends it.
func LaunchAnvil(extraArgs ...string) (a *Anvil, stop func(), err error) {
	return LaunchAnvilAt("127.0.0.1", extraArgs...)
}

// LaunchAnvilAt starts anvil on host (an address of this machine, such as a
// real node's bridge, where pods reach it) with a free port.
func LaunchAnvilAt(host string, extraArgs ...string) (a *Anvil, stop func(), err error) {
	bin := os.Getenv("ANVIL")
	if bin == "" {
		bin = filepath.Join(ToolsDir(), "@foundry-rs", "anvil-linux-amd64", "bin", "anvil")
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, nil, fmt.Errorf("anvil not found at %s: run `make chain-tools`: %w", bin, err)
	}
	args := append([]string{"--host", host, "--port", "0", "--chain-id", "31337"}, extraArgs...)
	addr, stopProcess, err := launchListening(exec.Command(bin, args...), 20*time.Second)
	if err != nil {
		return nil, nil, err
	}
	a = &Anvil{URL: "http://" + addr, ChainID: 31337}
	if a.RPC, err = rpc.Dial(a.URL); err != nil {
		stopProcess()
		return nil, nil, err
	}
	a.Client = ethclient.NewClient(a.RPC)
	return a, func() { a.Client.Close(); stopProcess() }, nil
}

// Key returns anvil's default account i (0..3), funded.
func Key(i int) *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA(anvilKeys[i])
	if err != nil {
		panic(err)
	}
	return k
}

// Address is the address of key.
func Address(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }

// Contract is a deployed test contract.
type Contract struct {
	Name    string
	Address common.Address
	ABI     abi.ABI
	anvil   *Anvil
}

type artifact struct {
	ABI      json.RawMessage `json:"abi"`
	Bytecode string          `json:"bytecode"`
}

func load(name string) (abi.ABI, []byte, error) {
	data, err := contracts.ReadFile("contracts/" + name + ".json")
	if err != nil {
		return abi.ABI{}, nil, err
	}
	var a artifact
	if err := json.Unmarshal(data, &a); err != nil {
		return abi.ABI{}, nil, err
	}
	parsed, err := abi.JSON(strings.NewReader(string(a.ABI)))
	if err != nil {
		return abi.ABI{}, nil, err
	}
	return parsed, common.FromHex(a.Bytecode), nil
}

// Deploy deploys a test contract (TestERC721, TestERC1155, TestERC20,
// TestWallet1271, RejectingWallet1271) from account 0.
func (a *Anvil) Deploy(t T, name string, args ...any) *Contract {
	t.Helper()
	c, err := a.DeployContract(name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// DeployContract is Deploy returning its error.
func (a *Anvil) DeployContract(name string, args ...any) (*Contract, error) {
	parsed, code, err := load(name)
	if err != nil {
		return nil, err
	}
	ctorArgs, err := parsed.Pack("", args...)
	if err != nil {
		return nil, fmt.Errorf("pack constructor of %s: %w", name, err)
	}
	receipt, err := a.send(Key(0), nil, append(code, ctorArgs...))
	if err != nil {
		return nil, fmt.Errorf("deploy %s: %w", name, err)
	}
	return &Contract{Name: name, Address: receipt.ContractAddress, ABI: parsed, anvil: a}, nil
}

// Transact calls a state-changing method from key's account.
func (c *Contract) Transact(t T, from *ecdsa.PrivateKey, method string, args ...any) *types.Receipt {
	t.Helper()
	receipt, err := c.Send(from, method, args...)
	if err != nil {
		t.Fatal(err)
	}
	return receipt
}

// Send is Transact returning its error.
func (c *Contract) Send(from *ecdsa.PrivateKey, method string, args ...any) (*types.Receipt, error) {
	data, err := c.ABI.Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("pack %s.%s: %w", c.Name, method, err)
	}
	receipt, err := c.anvil.send(from, &c.Address, data)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", c.Name, method, err)
	}
	return receipt, nil
}

func (a *Anvil) send(from *ecdsa.PrivateKey, to *common.Address, data []byte) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sender := Address(from)
	nonce, err := a.Client.PendingNonceAt(ctx, sender)
	if err != nil {
		return nil, err
	}
	tip := big.NewInt(1_000_000_000)
	head, err := a.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(a.ChainID), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: 5_000_000, To: to, Data: data})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(a.ChainID)), from)
	if err != nil {
		return nil, err
	}
	if err := a.Client.SendTransaction(ctx, signed); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	for {
		receipt, err := a.Client.TransactionReceipt(ctx, signed.Hash())
		if err == nil {
			if receipt.Status != types.ReceiptStatusSuccessful {
				return nil, fmt.Errorf("transaction %s reverted", signed.Hash())
			}
			return receipt, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no receipt for %s: %w", signed.Hash(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// String names the contract for messages.
func (c *Contract) String() string { return fmt.Sprintf("%s@%s", c.Name, c.Address.Hex()) }

// startListening starts cmd, stops it when the test ends, and returns the
// address it prints in a "Listening on 127.0.0.1:PORT" line (anvil and the
// LiteSVM front both do): no port is picked before the process binds it.
func startListening(t T, cmd *exec.Cmd, timeout time.Duration) string {
	t.Helper()
	addr, stop, err := launchListening(cmd, timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

func launchListening(cmd *exec.Cmd, timeout time.Duration) (string, func(), error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	// Killed with its parent, so a killed test or demo leaves no chain behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	listening := regexp.MustCompile(`Listening on (\d+\.\d+\.\d+\.\d+:\d+)`)
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if m := listening.FindStringSubmatch(scanner.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		} // draining to the end, so the process never blocks on a full pipe
	}()
	select {
	case addr := <-found:
		return addr, stop, nil
	case <-time.After(timeout):
		stop()
		return "", nil, fmt.Errorf("%s did not say where it listens within %s", filepath.Base(cmd.Path), timeout)
	}
}
