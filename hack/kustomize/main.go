// Command kustomize renders a kustomization with the kustomize library that
// the project already depends on, so no kustomize binary has to be fetched.
//
//	go run ./hack/kustomize build DIR [--image NAME=REF]...
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/streamgate-io/streamgate/internal/kustomize"
)

type imageFlags []string

func (f *imageFlags) String() string     { return strings.Join(*f, ",") }
func (f *imageFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	if len(os.Args) < 3 || os.Args[1] != "build" {
		fmt.Fprintln(os.Stderr, "usage: kustomize build DIR [--image NAME=REF]...")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	var images imageFlags
	fs.Var(&images, "image", "override an image: NAME=REGISTRY/REPO:TAG (repeatable)")
	_ = fs.Parse(os.Args[3:])

	out, err := kustomize.Build(os.Args[2], images)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kustomize:", err)
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(out)
}
