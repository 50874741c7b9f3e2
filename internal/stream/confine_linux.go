package stream

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Linux confines a path in the kernel: openat2 with RESOLVE_BENEATH
// refuses "..", absolute symlinks and any symlink that would leave the
// directory it starts from, in one call. A segment request opens the
// video's folder beneath the claim, then the file beneath that folder: two
// opens and a close, where os.Root walks one component at a time.
const beneath = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS

// noOpenat2 is set once openat2 turns out to be missing (a kernel before
// 5.6, or a seccomp profile that refuses it); os.Root is used from then on.
var noOpenat2 atomic.Bool

// claimDir is a claim's mount, opened for path resolution only.
type claimDir struct{ fd int }

func openClaimDir(path string) (*claimDir, error) {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return &claimDir{fd: fd}, nil
}

// open opens file inside the video's own folder.
func (v *videoEntry) open(file string) (*os.File, error) {
	if v.claim == nil || noOpenat2.Load() {
		return v.openWithRoot(file)
	}
	folder, err := openat2(v.claim.fd, v.dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
		noOpenat2.Store(true)
		return v.openWithRoot(file)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: v.dir, Err: err}
	}
	defer func() { _ = unix.Close(folder) }()
	fd, err := openat2(folder, file, unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: filepath.Join(v.dir, file), Err: err}
	}
	return os.NewFile(uintptr(fd), file), nil
}

// openat2 retries EAGAIN, which the kernel answers when a rename raced
// the resolution (a ladder being swapped in).
func openat2(dirfd int, path string, flags int) (int, error) {
	how := &unix.OpenHow{Flags: uint64(flags), Resolve: beneath}
	for range 8 {
		fd, err := unix.Openat2(dirfd, path, how)
		if !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
	return -1, unix.EAGAIN
}
