//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/demo"
	"github.com/streamgate-io/streamgate/internal/devchain"
	"github.com/streamgate-io/streamgate/internal/storage"
	"github.com/streamgate-io/streamgate/internal/viewer"
)

// storedVideo is a public Video of one small rendition, labelled
// app=<name>, from source (its YAML: url and connection) into output.
func storedVideo(name, source, output string) string {
	return fmt.Sprintf(`apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: %[1]s, namespace: %[2]s, labels: {app: %[1]s}}
spec:
  source: %[3]s
  ladder:
  - {name: 240p, height: 240, videoKbps: 300}
  segmentSeconds: 2
  output: %[4]s
`, name, demo.Namespace, source, output)
}

// objectStoreOutput is the demo's bucket, beneath prefix.
func objectStoreOutput(prefix string) string {
	return fmt.Sprintf(`{objectStore: {endpoint: %q, region: %s, bucket: %s, prefix: %s, credentialsSecretRef: {name: s3-media}}}`,
		d.S3.Endpoint, d.S3.Region, demo.StoreBucket, prefix)
}

// uploadSource makes a clip of seconds and puts it into the uploads bucket.
func uploadSource(t *testing.T, name string, seconds int) {
	t.Helper()
	ctx := context.Background()
	if err := d.S3.MakeBucket(ctx, "uploads"); err != nil && !strings.Contains(err.Error(), "already") {
		t.Fatal(err)
	}
	if _, err := d.Origin.MakeClip(ctx, name, seconds); err != nil {
		t.Fatal(err)
	}
	if err := d.S3.PutFile(ctx, "uploads", name, d.Origin.Path(name)); err != nil {
		t.Fatal(err)
	}
}

func s3Source(key, secret string) string {
	return fmt.Sprintf(`{url: "s3://uploads/%s", s3: {endpoint: %q, region: %s, credentialsSecretRef: {name: %s}}}`, key, d.S3.Endpoint, d.S3.Region, secret)
}

// endpointCondition is a condition of a demo StreamEndpoint (nil if unset).
func endpointCondition(ctx context.Context, name, conditionType string) (*metav1.Condition, error) {
	var se streamgatev1alpha1.StreamEndpoint
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: name}, &se); err != nil {
		return nil, err
	}
	return meta.FindStatusCondition(se.Status.Conditions, conditionType), nil
}

// A video whose source is an ipfs:// CID and whose ladder is in a bucket
// is served by two replicas with no volume at all: each pod answers the
// whole ladder on its own.
func TestIPFSSourceIntoS3ServedByTwoReplicas(t *testing.T) {
	ctx := context.Background()
	source := fmt.Sprintf(`{url: "ipfs://%s/clip.mp4", ipfs: {gateway: %q}}`, d.StoredSourceCID, d.IPFS.Gateway)
	apply(t, storedVideo("ipfs-to-s3", source, objectStoreOutput("ipfs-to-s3")))
	apply(t, fmt.Sprintf(`apiVersion: streamgate.io/v1alpha1
kind: StreamEndpoint
metadata: {name: stored, namespace: %s}
spec:
  videoSelector: {matchLabels: {app: ipfs-to-s3}}
  replicas: 2
`, demo.Namespace))
	waitForPhase(t, "ipfs-to-s3", streamgatev1alpha1.VideoPhaseReady, 4*time.Minute)
	v, err := getVideo(ctx, demo.Namespace, "ipfs-to-s3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.Status.Playback.MasterPlaylist, "ipfs-to-s3/"+v.Status.Playback.Revision+"/") {
		t.Fatalf("playback %+v is not in the bucket's prefix", v.Status.Playback)
	}
	var pods corev1.PodList
	eventually(t, 2*time.Minute, "two Ready serving pods", func(ctx context.Context) error {
		if err := d.Client.List(ctx, &pods, client.InNamespace(demo.Namespace), client.MatchingLabels{"streamgate.io/streamendpoint": "stored"}); err != nil {
			return err
		}
		ready := 0
		for _, pod := range pods.Items {
			if pod.DeletionTimestamp == nil && podReady(&pod) {
				ready++
			}
		}
		if ready != 2 {
			return fmt.Errorf("%d of %d pods Ready", ready, len(pods.Items))
		}
		return nil
	})
	eventually(t, time.Minute, "the endpoint Ready, its pods reaching the bucket", func(ctx context.Context) error {
		var se streamgatev1alpha1.StreamEndpoint
		if err := d.Client.Get(ctx, client.ObjectKey{Namespace: demo.Namespace, Name: "stored"}, &se); err != nil {
			return err
		}
		ready := meta.FindStatusCondition(se.Status.Conditions, streamgatev1alpha1.ConditionReady)
		storage := meta.FindStatusCondition(se.Status.Conditions, streamgatev1alpha1.ConditionStorageReachable)
		if se.Status.Videos != 1 || ready == nil || ready.Status != "True" || storage == nil || storage.Status != "True" {
			return fmt.Errorf("videos %d, Ready %+v, StorageReachable %+v", se.Status.Videos, ready, storage)
		}
		t.Logf("StorageReachable: %s", storage.Message)
		return nil
	})
	for _, pod := range pods.Items {
		if pod.DeletionTimestamp != nil {
			continue
		}
		for _, vol := range pod.Spec.Volumes {
			if vol.PersistentVolumeClaim != nil {
				t.Errorf("pod %s mounts claim %s: a bucket's videos need none", pod.Name, vol.PersistentVolumeClaim.ClaimName)
			}
		}
		var playback *viewer.Playback
		// The pod's catalog follows the Video's Ready within a second or so.
		eventually(t, 30*time.Second, "pod "+pod.Name+" serving the video", func(context.Context) error {
			var err error
			playback, err = viewer.New("http://"+pod.Status.PodIP+":8080", devchain.Key(0)).Watch(demo.Namespace+"/ipfs-to-s3", "")
			return err
		})
		if playback.Renditions != 1 || playback.Files < 4 {
			t.Errorf("pod %s served %d renditions and %d files", pod.Name, playback.Renditions, playback.Files)
		}
		t.Logf("pod %s (%s) served %d files, %d bytes from the bucket", pod.Name, pod.Status.PodIP, playback.Files, playback.Bytes)
	}
}

// A video from an s3:// source whose ladder goes to IPFS reports the
// ladder's root CID, and the CID is the ladder.
func TestS3SourceIntoIPFSReportsTheCID(t *testing.T) {
	ctx := context.Background()
	uploadSource(t, "to-ipfs.mp4", 6)
	apply(t, storedVideo("s3-to-ipfs", s3Source("to-ipfs.mp4", "s3-media"),
		fmt.Sprintf(`{ipfs: {api: %q, gateway: %q}}`, d.IPFS.API, d.IPFS.Gateway)))
	waitForPhase(t, "s3-to-ipfs", streamgatev1alpha1.VideoPhaseReady, 4*time.Minute)
	v, err := getVideo(ctx, demo.Namespace, "s3-to-ipfs")
	if err != nil {
		t.Fatal(err)
	}
	cid := v.Status.Playback.CID
	if !storage.ValidCID(cid) || v.Status.Playback.MasterPlaylist != cid+"/master.m3u8" {
		t.Fatalf("playback %+v", v.Status.Playback)
	}
	out, err := d.KubectlOutput(ctx, "get", "video", "s3-to-ipfs", "-n", demo.Namespace, "-o", "jsonpath={.status.playback.cid}")
	if err != nil || strings.TrimSpace(out) != cid {
		t.Errorf("kubectl shows CID %q (%v), want %s", out, err, cid)
	}
	gateway, _ := storage.NewIPFS("", d.IPFS.Gateway, 30*time.Second)
	for _, file := range []string{"master.m3u8", "240p/index.m3u8", "poster.jpg"} {
		if _, err := gateway.Stat(ctx, cid+"/"+file); err != nil {
			t.Errorf("%s/%s: %v", cid, file, err)
		}
	}
}

// The S3 server stops while the worker reads the source: the attempt fails
// as StorageUnreachable, the Job retries it, and once the server is back
// the Video becomes Ready: nothing is failed for good.
func TestStorageStoppedMidTranscodeIsRetried(t *testing.T) {
	// Long enough that the transcode is still reading when it is stopped.
	uploadSource(t, "long.mp4", 60)
	// Two renditions, and room for the retries of a long outage.
	apply(t, strings.Replace(storedVideo("store-outage", s3Source("long.mp4", "s3-media"), objectStoreOutput("store-outage")),
		"  - {name: 240p, height: 240, videoKbps: 300}\n", "  - {name: 360p, height: 360, videoKbps: 800}\n  - {name: 240p, height: 240, videoKbps: 300}\n", 1)+
		"  transcode: {backoffLimit: 6}\n")
	eventually(t, 3*time.Minute, "the transcode under way", func(ctx context.Context) error {
		v, err := getVideo(ctx, demo.Namespace, "store-outage")
		if err != nil {
			return err
		}
		if v.Status.Phase == streamgatev1alpha1.VideoPhaseReady {
			t.Fatal("the transcode ended before the store could be stopped: make the clip longer")
		}
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseTranscoding || v.Status.Progress == 0 {
			return fmt.Errorf("phase %s, %d%%", v.Status.Phase, v.Status.Progress)
		}
		return nil
	})
	d.S3.Stop()
	stopped := true
	defer func() {
		if stopped {
			_ = d.S3.Start()
		}
	}()
	var message string
	eventually(t, 2*time.Minute, "the attempt failing as StorageUnreachable", func(ctx context.Context) error {
		v, err := getVideo(ctx, demo.Namespace, "store-outage")
		if err != nil {
			return err
		}
		if v.Status.Phase == streamgatev1alpha1.VideoPhaseFailed {
			t.Fatalf("a store outage failed the Video for good: %+v", v.Status.Conditions)
		}
		c := meta.FindStatusCondition(v.Status.Conditions, streamgatev1alpha1.ConditionReady)
		if c == nil || !strings.Contains(c.Message, "failed: StorageUnreachable") {
			return fmt.Errorf("Ready condition %+v", c)
		}
		message = c.Message
		return nil
	})
	t.Logf("while the store is down: %s", message)
	// The demo's endpoint serves a video from this bucket: its pods see
	// the store go, and the endpoint says so.
	eventually(t, time.Minute, "the demo endpoint reporting the bucket unreachable", func(ctx context.Context) error {
		c, err := endpointCondition(ctx, "main", streamgatev1alpha1.ConditionStorageReachable)
		if err != nil {
			return err
		}
		if c == nil || c.Status != "False" || c.Reason != "StorageUnreachable" {
			return fmt.Errorf("StorageReachable %+v", c)
		}
		t.Logf("StorageReachable=False %s: %s", c.Reason, c.Message)
		return nil
	})

	if strings.Contains(message, d.S3.SecretKey) || strings.Contains(message, d.S3.AccessKey) {
		t.Fatal("the condition carries a credential")
	}
	if err := d.S3.Start(); err != nil {
		t.Fatal(err)
	}
	stopped = false
	waitForPhase(t, "store-outage", streamgatev1alpha1.VideoPhaseReady, 5*time.Minute)
	eventually(t, time.Minute, "the demo endpoint reaching the bucket again", func(ctx context.Context) error {
		c, err := endpointCondition(ctx, "main", streamgatev1alpha1.ConditionStorageReachable)
		if err != nil {
			return err
		}
		if c == nil || c.Status != "True" {
			return fmt.Errorf("StorageReachable %+v", c)
		}
		return nil
	})
	// Each attempt while the store was down failed and was retried.
	job := jobOf(t, "store-outage")
	if job.Status.Failed < 1 || job.Status.Succeeded != 1 {
		t.Errorf("Job: %d failed and %d succeeded pods, want at least 1 and 1", job.Status.Failed, job.Status.Succeeded)
	}
	t.Logf("Job: %d failed attempts while the store was down, then 1 succeeded", job.Status.Failed)
}

// Wrong credentials fail the Video at once with the reason, and the Job
// is not retried: retrying cannot fix a refused key.
func TestWrongStoreCredentialsSayWhy(t *testing.T) {
	ctx := context.Background()
	uploadSource(t, "denied.mp4", 2)
	apply(t, fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: s3-wrong, namespace: %s}
stringData: {accessKeyID: %s, secretAccessKey: not-the-secret}
`, demo.Namespace, d.S3.AccessKey))
	apply(t, storedVideo("denied", s3Source("denied.mp4", "s3-wrong"), objectStoreOutput("denied")))
	waitForPhase(t, "denied", streamgatev1alpha1.VideoPhaseFailed, 3*time.Minute)
	v, err := getVideo(ctx, demo.Namespace, "denied")
	if err != nil {
		t.Fatal(err)
	}
	c := meta.FindStatusCondition(v.Status.Conditions, streamgatev1alpha1.ConditionReady)
	if c == nil || c.Reason != "CredentialsRefused" {
		t.Fatalf("Ready condition %+v, want reason CredentialsRefused", c)
	}
	t.Logf("Ready=False %s: %s", c.Reason, c.Message)
	if job := jobOf(t, "denied"); job.Status.Failed != 1 {
		t.Errorf("the Job ran %d failed pods, want 1 (no retry)", job.Status.Failed)
	}
	var events corev1.EventList
	if err := d.Client.List(ctx, &events, client.InNamespace(demo.Namespace)); err != nil {
		t.Fatal(err)
	}
	for _, e := range events.Items {
		if strings.Contains(e.Message, "not-the-secret") {
			t.Fatalf("an Event carries the secret: %s", e.Message)
		}
	}
}
