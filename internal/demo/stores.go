package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// startStores runs the S3 server and the IPFS node on host, makes the
// ladders' bucket, and adds a clip to IPFS as the stored video's source.
func (d *Demo) startStores(ctx context.Context, dir, host string) error {
	var err error
	if d.S3, err = devstorage.LaunchS3(filepath.Join(dir, "s3"), host); err != nil {
		return err
	}
	d.stops = append(d.stops, d.S3.Stop)
	if err := d.S3.MakeBucket(ctx, StoreBucket); err != nil {
		return fmt.Errorf("make bucket %s: %w", StoreBucket, err)
	}
	if d.IPFS, err = devstorage.LaunchIPFS(filepath.Join(dir, "ipfs"), host); err != nil {
		return err
	}
	d.stops = append(d.stops, d.IPFS.Stop)
	if _, err := d.Origin.MakeClip(ctx, "stored.mp4", 8); err != nil {
		return err
	}
	folder := filepath.Join(dir, "ipfs-source")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(d.Origin.Path("stored.mp4"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(folder, "clip.mp4"), data, 0o644); err != nil {
		return err
	}
	node, err := storage.NewIPFS(d.IPFS.API, "", time.Minute)
	if err != nil {
		return err
	}
	if d.StoredSourceCID, err = node.AddFolder(ctx, folder, true); err != nil {
		return fmt.Errorf("add the stored clip to IPFS: %w", err)
	}
	return nil
}
