// Package demo sets up the whole system on one machine — the local cluster
// of internal/devcluster, anvil with an ERC-721, StreamGate installed from
// its real manifests, and a tenant whose video is gated by that NFT — and
// checks it as a viewer would. `make demo`, `make demo-check` and the
// end-to-end tests all run it.
package demo

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/devcluster"
	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/kustomize"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// Namespace is the demo tenant's namespace.
const Namespace = "demo"

// Video is the demo's gated video, as the endpoint names it.
const Video = Namespace + "/clip"

// StoredVideo is the demo's second video: its source is an ipfs:// CID and
// its ladder is in the S3 server.
const StoredVideo = Namespace + "/stored"

// StoreBucket is the S3 server's bucket of ladders.
const StoreBucket = "media"

// Options configure a demo.
type Options struct {
	// RepoRoot holds config/ (the manifests that are installed).
	RepoRoot string
	// Cluster configures the local cluster; its Dir is where everything
	// of the run lives.
	Cluster devcluster.Options
	// Out receives what a person watching the demo reads.
	Out io.Writer
}

// ImageTag is the tag `make image` gives the images a real node runs.
const ImageTag = "dev"

// Demo is a running demo.
type Demo struct {
	Cluster *devcluster.Cluster
	Client  client.Client
	Chain   *devchain.Anvil
	NFT     *devchain.Contract
	// Holder holds token 1 of NFT; Stranger holds nothing.
	Holder, Stranger *ecdsa.PrivateKey
	Origin           *Origin
	// S3 and IPFS are the demo's storage servers (versitygw, kubo).
	S3   *devstorage.S3Server
	IPFS *devstorage.IPFSNode
	// StoredSourceCID is the IPFS folder holding the stored video's source.
	StoredSourceCID string
	// EndpointURL is the StreamEndpoint's address (a ClusterIP the
	// forwarder serves on this machine).
	EndpointURL string
	out         io.Writer
	stops       []func()
	kubectl     string
}

// Start runs every step of the demo and returns once every object is Ready.
// On error what was started is stopped.
func Start(ctx context.Context, opts Options) (d *Demo, err error) {
	d = &Demo{out: opts.Out, Holder: devchain.Key(1), Stranger: devchain.Key(2),
		kubectl: filepath.Join(opts.Cluster.BinDir, "kubectl")}
	if d.out == nil {
		d.out = io.Discard
	}
	defer func() {
		if err != nil {
			d.Stop()
		}
	}()
	dir := opts.Cluster.Dir
	began := time.Now()
	d.say("starting the local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, node %q) in %s", "local", dir)
	if d.Cluster, err = devcluster.Start(ctx, opts.Cluster); err != nil {
		return d, err
	}
	d.stops = append(d.stops, d.Cluster.Stop)
	if d.Client, err = client.New(d.Cluster.Config, client.Options{Scheme: scheme()}); err != nil {
		return d, err
	}
	d.say("cluster up in %s", time.Since(began).Round(100*time.Millisecond))

	d.say("starting anvil, deploying an ERC-721 and minting token 1 to %s", crypto.PubkeyToAddress(d.Holder.PublicKey).Hex())
	// Pods of a real node reach the host on the node's address, not on
	// 127.0.0.1 (their own): the chain and the origin listen there.
	host, images := "127.0.0.1", []string(nil)
	if d.Cluster.RealNode != nil {
		host = d.Cluster.RealNode.NodeIP.String()
		// The images make image built, imported into the node's containerd.
		images = []string{"ghcr.io/streamgate-io/streamgate=ghcr.io/streamgate-io/streamgate:" + ImageTag}
	}
	chain, stopChain, err := devchain.LaunchAnvilAt(host)
	if err != nil {
		return d, err
	}
	d.Chain = chain
	d.stops = append(d.stops, stopChain)
	if d.NFT, err = chain.DeployContract("TestERC721"); err != nil {
		return d, err
	}
	if _, err = d.NFT.Send(devchain.Key(0), "mint", crypto.PubkeyToAddress(d.Holder.PublicKey), big.NewInt(1)); err != nil {
		return d, err
	}

	d.say("making a 12 s clip with ffmpeg and serving it over http")
	if d.Origin, err = StartOrigin(filepath.Join(dir, "origin"), host); err != nil {
		return d, err
	}
	d.stops = append(d.stops, d.Origin.Stop)
	clipSHA, err := d.Origin.MakeClip(ctx, "clip.mp4", 12)
	if err != nil {
		return d, err
	}

	d.say("starting an S3 server (versitygw) and an IPFS node (kubo, offline); adding a second clip to IPFS")
	if err := d.startStores(ctx, dir, host); err != nil {
		return d, err
	}

	overlay := filepath.Join("config", "local")
	if d.Cluster.RealNode == nil {
		overlay += "-process-node"
	}
	d.say("installing StreamGate from %s (config/default, Service addresses as ClusterIPs)", overlay)
	install, err := kustomize.Build(filepath.Join(opts.RepoRoot, overlay), images)
	if err != nil {
		return d, err
	}
	if err := d.Kubectl(ctx, install, "apply", "--server-side", "-f", "-"); err != nil {
		return d, err
	}
	if err := d.waitManager(ctx); err != nil {
		return d, err
	}

	tenant, err := renderTenant(tenantValues{Namespace: Namespace, RPC: chain.URL, Contract: d.NFT.Address.Hex(),
		Source: d.Origin.URL("clip.mp4"), SHA256: clipSHA,
		S3Endpoint: d.S3.Endpoint, S3Region: d.S3.Region, S3AccessKey: d.S3.AccessKey, S3SecretKey: d.S3.SecretKey, Bucket: StoreBucket,
		IPFSSource: "ipfs://" + d.StoredSourceCID + "/clip.mp4", IPFSGateway: d.IPFS.Gateway})
	if err != nil {
		return d, err
	}
	tenantFile := filepath.Join(dir, "tenant.yaml")
	if err := os.WriteFile(tenantFile, tenant, 0o644); err != nil {
		return d, err
	}
	d.say("applying the demo tenant (%s): a ChainIndexer, an NFTGate, two Videos (one on a volume, one from IPFS into S3) and a StreamEndpoint", tenantFile)
	if err := d.Kubectl(ctx, tenant, "apply", "--server-side", "-f", "-"); err != nil {
		return d, err
	}
	if err := d.setSignInOrigin(ctx); err != nil {
		return d, err
	}
	if err := d.WaitReady(ctx, 10*time.Minute); err != nil {
		return d, err
	}
	endpoint := &streamgatev1alpha1.StreamEndpoint{}
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: Namespace, Name: "main"}, endpoint); err != nil {
		return d, err
	}
	d.EndpointURL = endpoint.Status.URL
	// A Service answers once its endpoints reach the proxy (kube-proxy's
	// rules on a real node), a moment after the pods are ready.
	probe := &http.Client{Timeout: 2 * time.Second}
	if err := d.poll(ctx, 60*time.Second, func(ctx context.Context) (bool, string, error) {
		resp, err := probe.Get(d.EndpointURL + "/readyz")
		if err != nil {
			return false, err.Error(), nil
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status, nil
	}); err != nil {
		return d, fmt.Errorf("the endpoint's Service %s: %w", d.EndpointURL, err)
	}
	d.say("everything Ready in %s", time.Since(began).Round(time.Second))
	if memory, err := d.Cluster.Memory(); err == nil {
		d.say("memory: %s", memory)
	} else {
		d.say("memory not read: %v", err)
	}
	return d, nil
}

// Stop stops everything the demo started, in reverse order.
func (d *Demo) Stop() {
	for i := len(d.stops) - 1; i >= 0; i-- {
		d.stops[i]()
	}
	d.stops = nil
}

func (d *Demo) say(format string, args ...any) {
	_, _ = fmt.Fprintf(d.out, "==> "+format+"\n", args...)
}

// Kubectl runs the cluster's kubectl as the admin with stdin.
func (d *Demo) Kubectl(ctx context.Context, stdin []byte, args ...string) error {
	_, err := d.kubectlRun(ctx, stdin, args...)
	return err
}

// KubectlOutput runs kubectl and returns what it printed.
func (d *Demo) KubectlOutput(ctx context.Context, args ...string) (string, error) {
	return d.kubectlRun(ctx, nil, args...)
}

func (d *Demo) kubectlRun(ctx context.Context, stdin []byte, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, d.kubectl, append([]string{"--kubeconfig", d.Cluster.Kubeconfig}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("kubectl %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (d *Demo) waitManager(ctx context.Context) error {
	d.say("waiting for the operator's pod")
	return d.poll(ctx, 3*time.Minute, func(ctx context.Context) (bool, string, error) {
		deploy := &appsv1.Deployment{}
		if err := d.Client.Get(ctx, client.ObjectKey{Namespace: "streamgate-system", Name: "streamgate-controller-manager"}, deploy); err != nil {
			return false, "", client.IgnoreNotFound(err)
		}
		return deploy.Status.AvailableReplicas >= 1, fmt.Sprintf("operator: %d/%d available", deploy.Status.AvailableReplicas, ptrInt(deploy.Spec.Replicas)), nil
	})
}

// setSignInOrigin lists the endpoint's address as the origin viewers sign
// in under, as a platform team lists its public hostname: here viewers
// reach the Service's ClusterIP, known once the Service exists.
func (d *Demo) setSignInOrigin(ctx context.Context) error {
	key := client.ObjectKey{Namespace: Namespace, Name: "main"}
	for {
		endpoint := &streamgatev1alpha1.StreamEndpoint{}
		if err := d.Client.Get(ctx, key, endpoint); err != nil {
			return err
		}
		if url := endpoint.Status.URL; url != "" {
			d.say("viewers sign in under %s (spec.signIn.origins)", url)
			patch := fmt.Sprintf(`{"spec":{"signIn":{"origins":[%q]}}}`, url)
			return d.Client.Patch(ctx, endpoint, client.RawPatch(types.MergePatchType, []byte(patch)))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// WaitReady waits until every StreamGate object of the tenant is Ready,
// printing each change of what `kubectl get` would show.
func (d *Demo) WaitReady(ctx context.Context, timeout time.Duration) error {
	return d.poll(ctx, timeout, func(ctx context.Context) (bool, string, error) {
		var lines []string
		all := true
		add := func(kind, name string, conditions []metav1.Condition, detail string) {
			ready := meta.FindStatusCondition(conditions, "Ready")
			state := "waiting"
			if ready != nil {
				state = ready.Reason
				if ready.Status == metav1.ConditionTrue {
					state = "Ready"
				}
			}
			all = all && ready != nil && ready.Status == metav1.ConditionTrue
			lines = append(lines, fmt.Sprintf("%s/%s: %s%s", kind, name, state, detail))
		}
		var indexers streamgatev1alpha1.ChainIndexerList
		var gates streamgatev1alpha1.NFTGateList
		var videos streamgatev1alpha1.VideoList
		var endpoints streamgatev1alpha1.StreamEndpointList
		for _, list := range []client.ObjectList{&indexers, &gates, &videos, &endpoints} {
			if err := d.Client.List(ctx, list, client.InNamespace(Namespace)); err != nil {
				return false, "", err
			}
		}
		for _, o := range indexers.Items {
			add("chainindexer", o.Name, o.Status.Conditions, fmt.Sprintf(" (block %d of %d)", o.Status.IndexedBlock, o.Status.HeadBlock))
		}
		for _, o := range gates.Items {
			add("nftgate", o.Name, o.Status.Conditions, "")
		}
		for _, o := range videos.Items {
			add("video", o.Name, o.Status.Conditions, fmt.Sprintf(" (%s %d%%)", o.Status.Phase, o.Status.Progress))
		}
		for _, o := range endpoints.Items {
			add("streamendpoint", o.Name, o.Status.Conditions, fmt.Sprintf(" (%d/%d replicas)", o.Status.ReadyReplicas, o.Status.Replicas))
		}
		return all && len(lines) > 0, strings.Join(lines, ", "), nil
	})
}

// poll calls check every half second, printing its description when it
// changes, until it is done.
func (d *Demo) poll(ctx context.Context, timeout time.Duration, check func(context.Context) (bool, string, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	last := ""
	err := wait.PollUntilContextCancel(ctx, 500*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		done, description, err := check(ctx)
		if err != nil {
			return false, err
		}
		if description != last && description != "" {
			_, _ = fmt.Fprintf(d.out, "    %s\n", description)
			last = description
		}
		return done, nil
	})
	if err != nil {
		return fmt.Errorf("waiting (last state: %s): %w; logs: %s", last, err, filepath.Join(d.Cluster.Dir, "logs"))
	}
	return nil
}

// Check signs in as the holder and fetches every playlist and segment of
// the video, then checks that a wallet without the NFT is refused.
func (d *Demo) Check(ctx context.Context) error {
	for _, video := range []string{Video, StoredVideo} {
		if err := d.checkVideo(video); err != nil {
			return fmt.Errorf("%s: %w", video, err)
		}
	}
	return nil
}

func (d *Demo) checkVideo(video string) error {
	holder := viewer.New(d.EndpointURL, d.Holder)
	status, grant, _, err := holder.SignIn(video)
	if err != nil {
		return fmt.Errorf("holder sign-in: %w", err)
	}
	if status != http.StatusOK || grant["token"] == "" {
		return fmt.Errorf("holder sign-in: %d %v, want 200 and a token", status, grant)
	}
	// A fresh client, without the sign-in cookie: the token in the
	// playlists alone must carry the player through.
	playback, err := viewer.New(d.EndpointURL, d.Holder).Watch(video, grant["token"])
	if err != nil {
		return fmt.Errorf("holder playback: %w", err)
	}
	if playback.Renditions < 2 || playback.Files < 2*6 {
		return fmt.Errorf("holder playback fetched %d renditions and %d files, want the whole ladder", playback.Renditions, playback.Files)
	}
	d.say("%s: holder %s signed in and fetched %d renditions, %d segments, %d bytes", video,
		crypto.PubkeyToAddress(d.Holder.PublicKey).Hex(), playback.Renditions, playback.Files, playback.Bytes)
	status, answer, _, err := viewer.New(d.EndpointURL, d.Stranger).SignIn(video)
	if err != nil {
		return fmt.Errorf("non-holder sign-in: %w", err)
	}
	if status != http.StatusForbidden {
		return fmt.Errorf("non-holder sign-in: %d %v, want 403", status, answer)
	}
	resp, _, err := viewer.New(d.EndpointURL, d.Stranger).Get("/v/" + video + "/master.m3u8")
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusUnauthorized {
		return fmt.Errorf("playlist without a token: %d, want 401", resp.StatusCode)
	}
	d.say("%s: non-holder %s refused: %d %s", video, crypto.PubkeyToAddress(d.Stranger.PublicKey).Hex(), status, answer["reason"])
	return nil
}

// Instructions say how to watch and inspect the running demo.
func (d *Demo) Instructions() string {
	return fmt.Sprintf(`
StreamGate demo is running.

  Watch:       %s/watch/%s
               %s/watch/%s (from IPFS, served from S3)
  Wallet:      import this key into a browser wallet (it holds the NFT):
               %s
               network: RPC %s, chain id %d
  kubectl:     export KUBECONFIG=%s
               %s get streamgate -A
  Logs:        %s

Ctrl-C stops everything.
`, d.EndpointURL, Video, d.EndpointURL, StoredVideo, hex.EncodeToString(crypto.FromECDSA(d.Holder)), d.Chain.URL, d.Chain.ChainID,
		d.Cluster.Kubeconfig, d.kubectl, filepath.Join(d.Cluster.Dir, "logs"))
}

func scheme() *k8sruntime.Scheme {
	s := k8sruntime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(streamgatev1alpha1.AddToScheme(s))
	return s
}

func ptrInt(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

type tenantValues struct {
	Namespace, RPC, Contract, Source, SHA256       string
	S3Endpoint, S3Region, S3AccessKey, S3SecretKey string
	Bucket, IPFSSource, IPFSGateway                string
}

var tenantTemplate = template.Must(template.New("tenant").Parse(`apiVersion: v1
kind: Namespace
metadata:
  name: {{.Namespace}}
---
apiVersion: v1
kind: Secret
metadata:
  name: chain-rpc
  namespace: {{.Namespace}}
stringData:
  url: {{.RPC}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: media
  namespace: {{.Namespace}}
spec:
  accessModes: [ReadWriteMany]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: streamgate.io/v1alpha1
kind: ChainIndexer
metadata:
  name: local-nfts
  namespace: {{.Namespace}}
spec:
  chain:
    family: evm
    chainId: 31337
    rpc:
      secretRef: {name: chain-rpc, key: url}
  contracts:
  - {address: "{{.Contract}}", standard: ERC721, fromBlock: 0}
  confirmations: 0
  pollInterval: 500ms
---
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata:
  name: holders
  namespace: {{.Namespace}}
spec:
  chain:
    family: evm
    chainId: 31337
    rpc:
      secretRef: {name: chain-rpc, key: url}
  anyOf:
  - {standard: ERC721, contract: "{{.Contract}}"}
  indexerRef: {name: local-nfts}
  cacheTTL: 1s
---
apiVersion: streamgate.io/v1alpha1
kind: Video
metadata:
  name: clip
  namespace: {{.Namespace}}
  labels: {streamgate.io/endpoint: main}
spec:
  source:
    url: {{.Source}}
    sha256: {{.SHA256}}
  ladder:
  - {name: 360p, height: 360, videoKbps: 800}
  - {name: 240p, height: 240, videoKbps: 400}
  segmentSeconds: 2
  output:
    volume: {claimName: media, path: clip}
  gateRef: {name: holders}
---
apiVersion: v1
kind: Secret
metadata:
  name: s3-media
  namespace: {{.Namespace}}
stringData:
  accessKeyID: {{.S3AccessKey}}
  secretAccessKey: {{.S3SecretKey}}
---
apiVersion: streamgate.io/v1alpha1
kind: Video
metadata:
  name: stored
  namespace: {{.Namespace}}
  labels: {streamgate.io/endpoint: main}
spec:
  source:
    url: {{.IPFSSource}}
    ipfs: {gateway: "{{.IPFSGateway}}"}
  ladder:
  - {name: 360p, height: 360, videoKbps: 800}
  - {name: 240p, height: 240, videoKbps: 400}
  segmentSeconds: 2
  output:
    objectStore:
      endpoint: "{{.S3Endpoint}}"
      region: {{.S3Region}}
      bucket: {{.Bucket}}
      prefix: stored
      credentialsSecretRef: {name: s3-media}
  gateRef: {name: holders}
---
apiVersion: streamgate.io/v1alpha1
kind: StreamEndpoint
metadata:
  name: main
  namespace: {{.Namespace}}
spec:
  videoSelector:
    matchLabels: {streamgate.io/endpoint: main}
  replicas: 1
  tokenTTL: 10m
`))

func renderTenant(v tenantValues) ([]byte, error) {
	var b bytes.Buffer
	if err := tenantTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sha256File is the hex SHA-256 of a file.
func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
