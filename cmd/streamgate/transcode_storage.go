package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// Credentials reach the worker as environment variables from the tenant's
// Secrets (secretKeyRef), never as arguments or in the TranscodeJob.
const (
	envSourceAccessKey = "SOURCE_S3_ACCESS_KEY_ID"
	envSourceSecretKey = "SOURCE_S3_SECRET_ACCESS_KEY"
	envOutputAccessKey = "OUTPUT_S3_ACCESS_KEY_ID"
	envOutputSecretKey = "OUTPUT_S3_SECRET_ACCESS_KEY"
)

// uploadParallelism bounds the uploads of a ladder in flight.
const uploadParallelism = 8

// storageOptions are the cluster's IPFS defaults and timeouts.
type storageOptions struct {
	ipfsAPI, ipfsGateway string
	ipfsTimeout          time.Duration
}

func s3Client(conn streamgatev1alpha1.S3Connection, bucket, accessEnv, secretEnv string) (*storage.S3, error) {
	return storage.NewS3(storage.S3Config{
		Endpoint: conn.Endpoint, Region: conn.Region, PathStyle: conn.PathStyleOrDefault(), Bucket: bucket,
		AccessKeyID: os.Getenv(accessEnv), SecretAccessKey: os.Getenv(secretEnv),
	})
}

// remoteSource resolves an s3:// or ipfs:// source; nil for others.
func (o storageOptions) remoteSource(src streamgatev1alpha1.MediaSource) (*media.RemoteSource, error) {
	switch {
	case strings.HasPrefix(src.URL, "s3://"):
		if src.S3 == nil {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "an s3:// source needs source.s3"}
		}
		bucket, key, _ := strings.Cut(strings.TrimPrefix(src.URL, "s3://"), "/")
		client, err := s3Client(*src.S3, bucket, envSourceAccessKey, envSourceSecretKey)
		if err != nil {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "source.s3", Err: err}
		}
		return &media.RemoteSource{Reader: client, Key: key, Name: "s3://" + bucket + "/" + key}, nil
	case strings.HasPrefix(src.URL, "ipfs://"):
		api, gateway := o.ipfsAPI, o.ipfsGateway
		if src.IPFS != nil {
			api, gateway = src.IPFS.API, src.IPFS.Gateway
		}
		if api == "" && gateway == "" {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "an ipfs:// source needs source.ipfs, or a cluster default IPFS node (the manager's --ipfs-gateway or --ipfs-api)"}
		}
		node, err := storage.NewIPFS(api, gateway, o.ipfsTimeout)
		if err != nil {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "source.ipfs", Err: err}
		}
		key := strings.TrimPrefix(src.URL, "ipfs://")
		return &media.RemoteSource{Reader: node, Key: key, Name: src.URL}, nil
	}
	return nil, nil
}

// publisher resolves an object store or IPFS output; nil for a volume.
func (o storageOptions) publisher(spec *streamgatev1alpha1.TranscodeJobSpec) (media.Publisher, error) {
	switch out := spec.Output; {
	case out.ObjectStore != nil:
		client, err := s3Client(out.ObjectStore.S3Connection, out.ObjectStore.Bucket, envOutputAccessKey, envOutputSecretKey)
		if err != nil {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "output.objectStore", Err: err}
		}
		return &media.S3Publisher{Store: client, Prefix: spec.OutputFolder(), Parallel: uploadParallelism}, nil
	case out.IPFS != nil:
		node, err := storage.NewIPFS(out.IPFS.API, "", o.ipfsTimeout)
		if err != nil {
			return nil, &media.Error{Reason: media.ReasonInvalidInput, Message: "output.ipfs", Err: err}
		}
		return &media.IPFSPublisher{Node: node, Pin: out.IPFS.PinOrDefault()}, nil
	}
	return nil, nil
}

// removeStoredOutput removes a superseded or deleted ladder from a store:
// s3://bucket/prefix/ (every object beneath it) or ipfs://CID (unpinned,
// for the node's garbage collection).
func (o storageOptions) removeStoredOutput(ctx context.Context, target string, conn streamgatev1alpha1.S3Connection) error {
	switch {
	case strings.HasPrefix(target, "s3://"):
		bucket, prefix, _ := strings.Cut(strings.TrimPrefix(target, "s3://"), "/")
		client, err := s3Client(conn, bucket, envOutputAccessKey, envOutputSecretKey)
		if err != nil {
			return err
		}
		return client.RemovePrefix(ctx, prefix)
	case strings.HasPrefix(target, "ipfs://"):
		node, err := storage.NewIPFS(o.ipfsAPI, "", o.ipfsTimeout)
		if err != nil {
			return err
		}
		return node.Unpin(ctx, strings.TrimPrefix(target, "ipfs://"))
	}
	return fmt.Errorf("remove %s: not an s3:// or ipfs:// output", target)
}
