// Command streamgate is StreamGate's one binary. The first argument picks the
// role, as in one image that every StreamGate pod runs:
//
//	streamgate manager    the operator: reconcilers, metrics, probes, leader election
//	streamgate transcode  the worker of a TranscodeJob: ffmpeg into an HLS ladder
//	streamgate serve      a streaming pod: gated HLS, wallet sign-in, player page
//	streamgate index      an indexer pod: token holdings followed from the chain
//	streamgate pass       a creator's command line for StreamGatePass and PassSale
//	streamgate version    the build's version
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

// version is set at build time (-ldflags "-X main.version=v0.2.0").
var version = "dev"

type role struct {
	name  string
	short string
	run   func(args []string) error
}

func roles() []role {
	return []role{
		{name: "manager", short: "run the operator (all reconcilers, metrics, health probes, leader election)", run: runManager},
		{name: "serve", short: "serve a StreamEndpoint's videos: HLS, wallet sign-in, playback tokens, player page", run: runServe},
		{name: "index", short: "follow token transfers of a ChainIndexer's contracts and answer ownership queries", run: runIndex},
		{name: "transcode", short: "run one transcode (the worker of a TranscodeJob's Job, or standalone with flags)", run: runTranscode},
		{name: "pass", short: "a creator's passes on chain: deploy a pass and its sale, set the price, mint, rent, show", run: runPass},
	}
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name := os.Args[1]
	if name == "-h" || name == "--help" || name == "help" {
		usage(os.Stdout)
		return
	}
	if name == "version" || name == "--version" {
		fmt.Println(version)
		return
	}
	for _, r := range roles() {
		if r.name == name {
			err := r.run(os.Args[2:])
			if errors.Is(err, flag.ErrHelp) {
				return // -h asked for the flags, which the flag set printed: success
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "streamgate %s: %v\n", name, err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "streamgate: unknown role %q\n\n", name)
	usage(os.Stderr)
	os.Exit(2)
}

func usage(w *os.File) {
	fmt.Fprintln(w, "usage: streamgate <role> [flags]")
	fmt.Fprintln(w, "\nroles:")
	for _, r := range roles() {
		fmt.Fprintf(w, "  %-10s %s\n", r.name, r.short)
	}
	fmt.Fprintln(w, "\nRun 'streamgate <role> -h' for the flags of a role.")
}

// newFlagSet is a role's flag set. Its usage goes to standard output, so
// that `streamgate <role> --help | less` works; a parse error still ends
// in a message on standard error and exit code 1.
func newFlagSet(role string) *flag.FlagSet {
	fs := flag.NewFlagSet(role, flag.ContinueOnError)
	fs.SetOutput(os.Stdout)
	return fs
}
