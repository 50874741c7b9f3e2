// Command kustomize renders a kustomization with the kustomize library that
// the project already depends on, so no kustomize binary has to be fetched.
//
//	go run ./hack/kustomize build DIR [--image NAME=REF]...
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

type imageFlags []string

func (f *imageFlags) String() string     { return strings.Join(*f, ",") }
func (f *imageFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	if len(os.Args) < 3 || os.Args[1] != "build" {
		fmt.Fprintln(os.Stderr, "usage: kustomize build DIR [--image NAME=REF]...")
		os.Exit(2)
	}
	dir := os.Args[2]
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	var images imageFlags
	fs.Var(&images, "image", "override an image: NAME=REGISTRY/REPO:TAG (repeatable)")
	_ = fs.Parse(os.Args[3:])

	out, err := build(dir, images)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kustomize:", err)
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(out)
}

func build(dir string, images []string) ([]byte, error) {
	target, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	opts := krusty.MakeDefaultOptions()
	if len(images) > 0 {
		// Wrap the target in a throwaway kustomization that only sets images,
		// so the committed kustomizations are never edited in place.
		wrapper, err := os.MkdirTemp("", "kustomize-images-")
		if err != nil {
			return nil, err
		}
		defer func() { _ = os.RemoveAll(wrapper) }()
		k := types.Kustomization{Resources: []string{target}}
		for _, img := range images {
			name, ref, ok := strings.Cut(img, "=")
			if !ok {
				return nil, fmt.Errorf("--image %q: want NAME=REF", img)
			}
			k.Images = append(k.Images, parseImage(name, ref))
		}
		data, err := yaml.Marshal(k)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(wrapper, "kustomization.yaml"), data, 0o600); err != nil {
			return nil, err
		}
		target = wrapper
		opts.LoadRestrictions = types.LoadRestrictionsNone
	}
	resources, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), target)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", dir, err)
	}
	return resources.AsYaml()
}

// parseImage splits REPO[:TAG][@DIGEST] into a kustomize image override.
func parseImage(name, ref string) types.Image {
	img := types.Image{Name: name}
	if repo, digest, ok := strings.Cut(ref, "@"); ok {
		img.NewName, img.Digest = repo, digest
		return img
	}
	// A colon after the last slash separates the tag (a registry port does not).
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		img.NewName, img.NewTag = ref[:i], ref[i+1:]
		return img
	}
	img.NewName = ref
	return img
}
