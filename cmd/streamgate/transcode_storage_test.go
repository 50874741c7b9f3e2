package main

import (
	"strings"
	"testing"
	"time"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/storage"
)

const testCID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"

// An ipfs:// source without source.ipfs reads through the cluster's
// default node; with one, through its own; with neither, it fails as
// InvalidInput with what to set.
func TestIPFSSourcesUseTheClusterDefaultUnlessTheyNameANode(t *testing.T) {
	defaults := storageOptions{ipfsGateway: "http://gateway.storage:8080", ipfsTimeout: time.Minute}
	src := streamgatev1alpha1.MediaSource{URL: "ipfs://" + testCID + "/films/intro.mp4"}
	remote, err := defaults.remoteSource(src)
	if err != nil {
		t.Fatal(err)
	}
	node := remote.Reader.(*storage.IPFS)
	if node.Gateway != "http://gateway.storage:8080" || remote.Key != testCID+"/films/intro.mp4" || remote.Name != src.URL {
		t.Fatalf("default node: %+v, key %s", node, remote.Key)
	}
	src.IPFS = &streamgatev1alpha1.IPFSConnection{API: "http://kubo.tenant:5001"}
	remote, err = defaults.remoteSource(src)
	if err != nil {
		t.Fatal(err)
	}
	if node := remote.Reader.(*storage.IPFS); node.API != "http://kubo.tenant:5001" || node.Gateway != "" {
		t.Fatalf("the Video's own node was not used: %+v", node)
	}
	_, err = storageOptions{}.remoteSource(streamgatev1alpha1.MediaSource{URL: "ipfs://" + testCID})
	if e := media.AsError(err); e == nil || e.Reason != media.ReasonInvalidInput || !strings.Contains(e.Message, "--ipfs-gateway") {
		t.Fatalf("no node anywhere: %v", err)
	}
	// http(s) and volume sources are not stored sources.
	if remote, err := defaults.remoteSource(streamgatev1alpha1.MediaSource{URL: "https://media.example.com/a.mp4"}); remote != nil || err != nil {
		t.Fatalf("an https source: %+v %v", remote, err)
	}
}

// An s3:// source splits into bucket and key, with the credentials from
// the worker's environment (the Job's secretKeyRef), never the spec.
func TestS3SourcesReadTheirCredentialsFromTheEnvironment(t *testing.T) {
	t.Setenv(envSourceAccessKey, "AKIATEST")
	t.Setenv(envSourceSecretKey, "secret-from-env")
	conn := &streamgatev1alpha1.S3Connection{Endpoint: "http://versitygw.storage:7070", Region: "us-east-1",
		CredentialsSecretRef: streamgatev1alpha1.LocalObjectReference{Name: "s3"}}
	remote, err := storageOptions{}.remoteSource(streamgatev1alpha1.MediaSource{URL: "s3://uploads/raw/intro.mp4", S3: conn})
	if err != nil {
		t.Fatal(err)
	}
	if remote.Key != "raw/intro.mp4" || remote.Name != "s3://uploads/raw/intro.mp4" || !strings.Contains(remote.Reader.(*storage.S3).String(), "s3://uploads") {
		t.Fatalf("remote %+v", remote)
	}
	if _, err := (storageOptions{}).remoteSource(streamgatev1alpha1.MediaSource{URL: "s3://uploads/raw/intro.mp4"}); media.AsError(err).Reason != media.ReasonInvalidInput {
		t.Fatalf("an s3:// source without source.s3: %v", err)
	}
}
