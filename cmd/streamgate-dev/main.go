// Command streamgate-dev runs a local Kubernetes cluster for trying and
// testing StreamGate on one machine, with no container runtime: the real
// control plane built from source and a node whose pods are local processes
// (internal/devcluster).
//
//	streamgate-dev up [--dir DIR]      start the cluster; Ctrl-C stops everything
//	streamgate-dev demo [--check]      the cluster, a chain, StreamGate and a
//	                                   gated video; --check verifies it as a
//	                                   viewer and exits 0/1 instead of staying up
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-logr/logr"
	"github.com/go-logr/zapr"
	"go.uber.org/zap"

	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/devcluster"
	"github.com/streamgate-io/streamgate/internal/devcluster/localnode"
	"github.com/streamgate-io/streamgate/internal/repo"
)

func main() {
	commands := map[string]func(context.Context, []string) error{"up": up, "demo": runDemo}
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: streamgate-dev up|demo [flags]   (see streamgate-dev up -h)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := commands[os.Args[1]](ctx, os.Args[2:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "streamgate-dev:", err)
		os.Exit(1)
	}
}

// clusterFlags registers the flags of the local cluster; call the returned
// function after parsing.
func clusterFlags(fs *flag.FlagSet) (*devcluster.Options, func() error) {
	opts := DefaultOptions()
	fs.StringVar(&opts.Dir, "dir", "", "folder for certificates, kubeconfigs, logs, pods and volumes (default: a new temporary folder)")
	fs.StringVar(&opts.BinDir, "k8s-bin", opts.BinDir, "folder with etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl")
	fs.StringVar(&opts.Node.Binary, "binary", opts.Node.Binary, "the streamgate binary that runs in place of the StreamGate image")
	images := fs.String("images", strings.Join(opts.Node.Images, ","), "image repositories the process node runs (comma-separated)")
	node := fs.String("node", "process", "the node: process (pods are local processes) or real (kubelet, kube-proxy and containerd; root; make image node-images)")
	verbose := fs.Bool("v", false, "log what the node and the forwarder do")
	return &opts, func() error {
		opts.Node.Images = strings.Split(*images, ",")
		switch *node {
		case "process":
		case "real":
			archives, _ := filepath.Glob(filepath.Join(repo.Root(), "bin", "images", "*.tar"))
			opts.Real = &devcluster.RealNode{Images: archives}
		default:
			return fmt.Errorf("--node is process or real, not %q", *node)
		}
		if *verbose {
			zapLog, _ := zap.NewDevelopment()
			opts.Log = zapr.NewLogger(zapLog)
		}
		if opts.Dir == "" {
			dir, err := os.MkdirTemp("", "streamgate-dev-")
			if err != nil {
				return err
			}
			opts.Dir = dir
		}
		return os.MkdirAll(opts.Dir, 0o755)
	}
}

func up(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	opts, parsed := clusterFlags(fs)
	_ = fs.Parse(args)
	if err := parsed(); err != nil {
		return err
	}
	cluster, err := devcluster.Start(ctx, *opts)
	if err != nil {
		return err
	}
	defer cluster.Stop()
	fmt.Printf("local cluster up; logs in %s/logs\n  export KUBECONFIG=%s\nCtrl-C stops it.\n", opts.Dir, cluster.Kubeconfig)
	<-ctx.Done()
	fmt.Println("stopping")
	return nil
}

func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	opts, parsed := clusterFlags(fs)
	check := fs.Bool("check", false, "verify the demo as a viewer would, stop everything and exit 0 (passed) or 1")
	_ = fs.Parse(args)
	if err := parsed(); err != nil {
		return err
	}
	d, err := demo.Start(ctx, demo.Options{RepoRoot: repo.Root(), Cluster: *opts, Out: os.Stdout})
	if err != nil {
		return err
	}
	defer d.Stop()
	if err := d.Check(ctx); err != nil {
		return fmt.Errorf("demo check failed: %w", err)
	}
	if *check {
		fmt.Println("demo check passed")
		return nil
	}
	if table, err := d.KubectlOutput(ctx, "get", "streamgate", "-n", demo.Namespace); err == nil {
		fmt.Printf("\n$ kubectl get streamgate -n %s\n%s", demo.Namespace, table)
	}
	fmt.Print(d.Instructions())
	<-ctx.Done()
	fmt.Println("stopping")
	return nil
}

// DefaultOptions take the binaries from the repository's bin/, where make
// builds them.
func DefaultOptions() devcluster.Options {
	binary := filepath.Join(repo.Root(), "bin", "streamgate")
	k8s := repo.AssetsDir()
	return devcluster.Options{BinDir: k8s, Log: logr.Discard(),
		Node: localnode.Options{Binary: binary, Images: []string{"streamgate", "streamgate-transcoder", "ghcr.io/streamgate-io/streamgate", "ghcr.io/streamgate-io/streamgate-transcoder"}}}
}
