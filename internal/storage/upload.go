package storage

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Putter writes objects.
type Putter interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType, cacheControl string) error
}

// UploadFolder copies every file under dir to prefix/<relative path>, at
// most parallel at a time, and the file named last (the master playlist)
// only after all others are stored: a reader that finds it finds the whole
// ladder. Every key is new for a new ladder (the prefix names its
// revision), so published files are immutable and say so.
func UploadFolder(ctx context.Context, store Putter, dir, prefix, last string, parallel int) (files int, bytes int64, err error) {
	type file struct {
		path, key string
		size      int64
	}
	var all []file
	var final *file
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f := file{path: p, key: path.Join(prefix, filepath.ToSlash(rel)), size: info.Size()}
		if filepath.ToSlash(rel) == last {
			final = &f
			return nil
		}
		all = append(all, f)
		return nil
	})
	if err != nil {
		return 0, 0, fail(Invalid, "read the ladder", err)
	}
	put := func(ctx context.Context, f file) error {
		r, err := os.Open(f.path)
		if err != nil {
			return fail(Invalid, "read "+f.path, err)
		}
		defer func() { _ = r.Close() }()
		return store.Put(ctx, f.key, r, f.size, ContentType(f.key), "public, max-age=31536000, immutable")
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(parallel, 1))
	for _, f := range all {
		g.Go(func() error { return put(gctx, f) })
		bytes += f.size
	}
	if err := g.Wait(); err != nil {
		return 0, 0, err
	}
	if final != nil {
		if err := put(ctx, *final); err != nil {
			return 0, 0, err
		}
		all = append(all, *final)
		bytes += final.size
	}
	return len(all), bytes, nil
}

// ContentType of an HLS file, by its extension.
func ContentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".m3u8"):
		return "application/vnd.apple.mpegurl"
	case strings.HasSuffix(name, ".m4s"):
		return "video/iso.segment"
	case strings.HasSuffix(name, ".mp4"):
		return "video/mp4"
	case strings.HasSuffix(name, ".ts"):
		return "video/mp2t"
	case strings.HasSuffix(name, ".jpg"), strings.HasSuffix(name, ".jpeg"):
		return "image/jpeg"
	case strings.HasSuffix(name, ".vtt"):
		return "text/vtt"
	}
	return "application/octet-stream"
}
