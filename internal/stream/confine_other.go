//go:build !linux

package stream

import "os"

type claimDir struct{}

func openClaimDir(string) (*claimDir, error) { return nil, nil }

// open opens file inside the video's own folder.
func (v *videoEntry) open(file string) (*os.File, error) { return v.openWithRoot(file) }
