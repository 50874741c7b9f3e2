// Package kustomize renders the project's kustomizations with the kustomize
// library, so neither the Makefile nor the tests need a kustomize binary.
package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// Build renders the kustomization in dir as multi-document YAML. Each image
// override is NAME=REF (REF is REPO[:TAG] or REPO@DIGEST).
func Build(dir string, images []string) ([]byte, error) {
	target, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	opts := krusty.MakeDefaultOptions()
	// Namespaces and CRDs first, as the kustomize CLI does, so that one
	// `kubectl apply` of the output works on an empty cluster.
	opts.Reorder = krusty.ReorderOptionLegacy
	if len(images) > 0 {
		// Wrap the target in a throwaway kustomization that only sets images,
		// so the committed kustomizations are never edited in place.
		wrapper, err := os.MkdirTemp("", "kustomize-images-")
		if err != nil {
			return nil, err
		}
		defer func() { _ = os.RemoveAll(wrapper) }()
		// kustomize refuses absolute resource paths; a relative one works
		// once load restrictions are lifted.
		rel, err := filepath.Rel(wrapper, target)
		if err != nil {
			return nil, err
		}
		k := types.Kustomization{Resources: []string{rel}}
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

// Decode splits multi-document YAML (or JSON) into objects, skipping empty
// documents.
func Decode(data []byte) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}
