// Package repo finds the project's own files from a binary built in, or
// run from, its checkout: the dev tool (streamgate-dev) and the tests use it
// to reach hack/, config/ and bin/.
package repo

import (
	"os"
	"path/filepath"
	"runtime"
)

// Root is the folder that holds go.mod: where this source file was
// compiled from, or — in a -trimpath build, which records no such path —
// the nearest folder with a go.mod above the working directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
		return root
	}
	dir, err := os.Getwd()
	if err != nil {
		return root
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return root
		}
		dir = parent
	}
}

// AssetsDir is where kube-apiserver and etcd are looked for.
func AssetsDir() string {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir
	}
	return filepath.Join(Root(), "bin", "k8s")
}
