//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// switchableProxy relays TCP to the chain until it is switched off: then
// its address refuses connections, and the ones open are cut — an RPC
// node's outage. Switched on again, it listens on the same address.
type switchableProxy struct {
	addr, target string
	mu           sync.Mutex
	listener     net.Listener
	conns        map[net.Conn]bool
}

func (p *switchableProxy) on(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.listener, p.addr = l, l.Addr().String()
	if p.conns == nil {
		p.conns = map[net.Conn]bool{}
	}
	p.mu.Unlock()
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = in.Close()
				continue
			}
			p.mu.Lock()
			p.conns[in], p.conns[out] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); _ = out.Close() }()
			go func() { _, _ = io.Copy(in, out); _ = in.Close() }()
		}
	}()
}

func (p *switchableProxy) off() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.listener.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// The RPC node goes down and comes back: new sign-ins are refused with a
// 503 and a reason, tokens already issued keep playing, the NFTGate says
// RPCUnreachable, and then recovers by itself.
func TestRPCOutageAndRecovery(t *testing.T) {
	ctx := context.Background()
	chain, err := url.Parse(d.Chain.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &switchableProxy{addr: net.JoinHostPort(chain.Hostname(), "0"), target: chain.Host}
	proxy.on(t)
	defer proxy.off()
	if _, err := d.Origin.MakeClip(ctx, "outage.mp4", 4); err != nil {
		t.Fatal(err)
	}
	apply(t, fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: flaky-rpc, namespace: %[1]s}
stringData: {url: "http://%[2]s"}
---
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata: {name: flaky, namespace: %[1]s}
spec:
  chain: {family: evm, chainId: 31337, rpc: {secretRef: {name: flaky-rpc, key: url}}}
  anyOf:
  - {standard: ERC721, contract: "%[3]s"}
  cacheTTL: 0s
---
`, demo.Namespace, proxy.addr, d.NFT.Address.Hex())+gatedVideo("outage", d.Origin.URL("outage.mp4"), "flaky", "main"))
	gateReason := func(ctx context.Context) (string, error) {
		var g streamgatev1alpha1.NFTGate
		if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: "flaky"}, &g); err != nil {
			return "", err
		}
		if ready := meta.FindStatusCondition(g.Status.Conditions, "Ready"); ready != nil {
			return ready.Reason, nil
		}
		return "", nil
	}
	const video = demo.Namespace + "/outage"
	waitForPhase(t, "outage", streamgatev1alpha1.VideoPhaseReady, 3*time.Minute)
	grant := signInUntil(t, d.Holder, video, time.Minute, allowed)

	proxy.off()
	eventually(t, time.Minute, "the NFTGate RPCUnreachable", func(ctx context.Context) error {
		if reason, err := gateReason(ctx); err != nil || reason != "RPCUnreachable" {
			return fmt.Errorf("Ready reason %q %v", reason, err)
		}
		return nil
	})
	status, answer := signInAs(t, d.Holder, video)
	if status != http.StatusServiceUnavailable || answer["code"] == "" || answer["reason"] == "" {
		t.Errorf("sign-in during the outage: %d %v, want 503 with a code and a reason", status, answer)
	}
	t.Logf("sign-in during the outage: %d %s %q", status, answer["code"], answer["reason"])
	if playback, err := viewer.New(d.EndpointURL, d.Holder).Watch(video, grant["token"]); err != nil || playback.Files == 0 {
		t.Errorf("a token issued before the outage: %+v %v, want it to play", playback, err)
	}

	proxy.on(t)
	eventually(t, time.Minute, "the NFTGate Ready again by itself", func(ctx context.Context) error {
		if reason, err := gateReason(ctx); err != nil || reason != "Validated" {
			return fmt.Errorf("Ready reason %q %v", reason, err)
		}
		return nil
	})
	signInUntil(t, d.Holder, video, time.Minute, allowed)
}
