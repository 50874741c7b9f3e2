package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// staleStageAge is how old an abandoned staging folder (from a killed run)
// must be before a new run removes it; younger ones may belong to a run that
// is still going.
const staleStageAge = 24 * time.Hour

// NewStage makes an empty staging folder beside target, on the same file
// system, so that Publish can move it into place with a rename.
func NewStage(target string) (string, error) {
	parent, base := filepath.Dir(target), filepath.Base(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", failure(ReasonOutputNotWritable, false, err, "create the output folder %s", parent)
	}
	removeStaleStages(parent, base)
	stage, err := os.MkdirTemp(parent, "."+base+".staging-")
	if err != nil {
		retriable := errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.EDQUOT)
		return "", failure(ReasonOutputNotWritable, retriable, err, "create a staging folder beside %s", target)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return "", failure(ReasonOutputNotWritable, false, err, "chmod %s", stage)
	}
	return stage, nil
}

func removeStaleStages(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := "." + base + ".staging-"
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleStageAge {
			_ = os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// Publish moves a complete staging folder to target. A reader sees the old
// ladder or the new one, never a mix: when target exists the two folders are
// swapped in one renameat2(RENAME_EXCHANGE), then the old one is removed.
func Publish(stage, target string) error {
	err := unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		if err := os.RemoveAll(stage); err != nil {
			return fmt.Errorf("remove the previous ladder (now at %s): %w", stage, err)
		}
		return nil
	case errors.Is(err, unix.ENOENT):
		// Nothing published yet.
		if err := os.Rename(stage, target); err != nil {
			return failure(ReasonOutputNotWritable, false, err, "publish %s", target)
		}
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		// A file system without RENAME_EXCHANGE: move the old ladder aside
		// first; readers may see no ladder for an instant, never half of one.
		old := stage + ".old"
		if err := os.Rename(target, old); err != nil {
			return failure(ReasonOutputNotWritable, false, err, "move the previous ladder aside")
		}
		if err := os.Rename(stage, target); err != nil {
			_ = os.Rename(old, target)
			return failure(ReasonOutputNotWritable, false, err, "publish %s", target)
		}
		return os.RemoveAll(old)
	default:
		return failure(ReasonOutputNotWritable, false, err, "publish %s", target)
	}
}

// RemoveOutput deletes a published ladder and any staging folders beside it
// that were meant for it, refusing any folder that is not strictly inside
// root (the claims' mount point). A missing folder is no error.
func RemoveOutput(root, folder string) error {
	rel, err := filepath.Rel(root, folder)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) || !strings.Contains(rel, "/") {
		return fmt.Errorf("remove output %s: not a folder inside a claim under %s", folder, root)
	}
	parent, base := filepath.Dir(folder), filepath.Base(folder)
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+base+".staging-") {
			if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
				return fmt.Errorf("remove staging folder %s: %w", e.Name(), err)
			}
		}
	}
	if err := os.RemoveAll(folder); err != nil {
		return fmt.Errorf("remove output %s: %w", folder, err)
	}
	return nil
}
