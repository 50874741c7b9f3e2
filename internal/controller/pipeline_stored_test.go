package controller

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/catalog"
	"github.com/streamgate-io/streamgate/internal/devstorage"
	"github.com/streamgate-io/streamgate/internal/storage"
)

// TestStoredPipelineWithTheRealWorker runs the worker of real Jobs (as the
// kubelet would: credentials from the tenant's Secret by secretKeyRef)
// against a real S3 server and a real IPFS node: an s3:// source to an
// IPFS output, whose CID reaches the Video's status, and to an object-store
// output, which the StreamEndpoint's catalog names with the credentials
// copied into the endpoint's Secret. Deleting the second ladder's
// TranscodeJob removes its objects through the cleanup Job.
func TestStoredPipelineWithTheRealWorker(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s3srv := devstorage.StartS3(t, filepath.Join(dir, "s3"))
	for _, b := range []string{"uploads", "media"} {
		if err := s3srv.MakeBucket(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	node := devstorage.StartIPFS(t, filepath.Join(dir, "ipfs"))
	clip := filepath.Join(dir, "clip.mp4")
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=4",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip).CombinedOutput(); err != nil {
		t.Fatalf("make clip: %v\n%s", err, out)
	}
	if err := s3srv.PutFile(ctx, "uploads", "raw/clip.mp4", clip); err != nil {
		t.Fatal(err)
	}
	binary, kubeconfig := workerAndKubeconfig(t, dir)

	ns := newNamespace(t)
	creds := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "s3-creds"}, Data: map[string][]byte{
		streamgatev1alpha1.S3AccessKeyIDKey: []byte(s3srv.AccessKey), streamgatev1alpha1.S3SecretAccessKeyKey: []byte(s3srv.SecretKey)}}
	if err := k8s.Create(ctx, creds); err != nil {
		t.Fatal(err)
	}
	conn := streamgatev1alpha1.S3Connection{Endpoint: s3srv.Endpoint, Region: s3srv.Region, CredentialsSecretRef: streamgatev1alpha1.LocalObjectReference{Name: "s3-creds"}}
	source := streamgatev1alpha1.MediaSource{URL: "s3://uploads/raw/clip.mp4", S3: &conn}
	labels := map[string]string{"streamgate.io/endpoint": "stored"}
	toIPFS := &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "to-ipfs", Labels: labels}, Spec: streamgatev1alpha1.VideoSpec{
		Source: source, SegmentSeconds: 2, Output: streamgatev1alpha1.MediaOutput{IPFS: &streamgatev1alpha1.IPFSOutput{API: node.API, Gateway: node.Gateway}}}}
	toS3 := &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "to-s3", Labels: labels}, Spec: streamgatev1alpha1.VideoSpec{
		Source: source, SegmentSeconds: 2, Output: streamgatev1alpha1.MediaOutput{ObjectStore: &streamgatev1alpha1.ObjectStoreOutput{
			S3Connection: conn, Bucket: "media", Prefix: "tenant/clip"}}}}

	run := func(video *streamgatev1alpha1.Video) *streamgatev1alpha1.TranscodeJob {
		t.Helper()
		if err := k8s.Create(ctx, video); err != nil {
			t.Fatal(err)
		}
		tj, job := waitForJob(t, video)
		spec := job.Spec.Template.Spec
		for _, v := range spec.Volumes {
			if v.PersistentVolumeClaim != nil {
				t.Errorf("a stored video's Job mounts claim %s", v.PersistentVolumeClaim.ClaimName)
			}
		}
		for _, e := range spec.Containers[0].Env {
			if e.Value != "" && (strings.Contains(e.Value, s3srv.SecretKey) || strings.Contains(e.Value, s3srv.AccessKey)) {
				t.Errorf("a credential is written into the Job: %s", e.Name)
			}
		}
		pod := startJobPod(t, job)
		scratch, termination := filepath.Join(dir, video.Name+"-scratch"), filepath.Join(dir, video.Name+"-termination")
		if err := os.MkdirAll(scratch, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := kubeletCommand(job, binary, map[string]string{scratchDir: scratch}, ns)
		cmd.Args = append(cmd.Args, "--termination-log="+termination, "--kubeconfig="+kubeconfig, "--progress-interval=50ms")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("worker: %v\n%s", err, out)
		} else if strings.Contains(string(out), s3srv.SecretKey) {
			t.Fatal("the worker logged the secret key")
		}
		message, err := os.ReadFile(termination)
		if err != nil {
			t.Fatal(err)
		}
		completeJob(t, job, pod, string(message))
		eventually(t, "Video "+video.Name+" Ready", func() error {
			if v := getVideo(t, video); v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.Playback == nil {
				return fmt.Errorf("phase %s", v.Status.Phase)
			}
			return nil
		})
		return tj
	}

	run(toIPFS)
	pb := getVideo(t, toIPFS).Status.Playback
	if !storage.ValidCID(pb.CID) || pb.MasterPlaylist != pb.CID+"/master.m3u8" {
		t.Fatalf("IPFS playback %+v", pb)
	}
	gateway, _ := storage.NewIPFS("", node.Gateway, 10*time.Second)
	if _, err := gateway.Stat(ctx, pb.CID+"/master.m3u8"); err != nil {
		t.Fatalf("the CID in status is not the ladder: %v", err)
	}

	tj := run(toS3)
	pb = getVideo(t, toS3).Status.Playback
	if pb.MasterPlaylist != "tenant/clip/"+tj.Spec.Hash()+"/master.m3u8" || pb.CID != "" {
		t.Fatalf("object-store playback %+v", pb)
	}
	bucket, _ := storage.NewS3(storage.S3Config{Endpoint: s3srv.Endpoint, Region: s3srv.Region, PathStyle: true,
		AccessKeyID: s3srv.AccessKey, SecretAccessKey: s3srv.SecretKey, Bucket: "media"})
	if _, err := bucket.Stat(ctx, pb.MasterPlaylist); err != nil {
		t.Fatalf("the master playlist is not in the bucket: %v", err)
	}

	// The StreamEndpoint serves both: the catalog names the stores, and
	// the endpoint's own Secret carries the bucket's credentials.
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "stored"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: labels}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a catalog of both stored videos", func() error {
		cat, err := readCatalog(se)
		if err != nil {
			return err
		}
		stores := map[string]*catalog.Store{}
		for _, v := range cat.Videos {
			stores[v.Name] = v.Store
			if v.Claim != "" {
				return fmt.Errorf("video %s names claim %q", v.Name, v.Claim)
			}
		}
		if s := stores["to-ipfs"]; s == nil || s.Kind != catalog.StoreIPFS || s.Gateway != node.Gateway {
			return fmt.Errorf("to-ipfs store %+v", s)
		}
		if s := stores["to-s3"]; s == nil || s.Kind != catalog.StoreS3 || s.Bucket != "media" || !s.PathStyle || s.CredentialsKey != "s3.s3-creds" {
			return fmt.Errorf("to-s3 store %+v", s)
		}
		var keys corev1.Secret
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "stored-keys"}, &keys); err != nil {
			return err
		}
		if string(keys.Data["s3.s3-creds.accessKeyID"]) != s3srv.AccessKey || string(keys.Data["s3.s3-creds.secretAccessKey"]) != s3srv.SecretKey {
			return fmt.Errorf("the endpoint's Secret lacks the bucket's credentials: %v", keys.Data)
		}
		return nil
	})
	var cm corev1.ConfigMap
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "stored-catalog"}, &cm); err != nil || strings.Contains(cm.Data[catalog.FileName], s3srv.SecretKey) {
		t.Fatalf("the catalog ConfigMap carries the secret key (or is missing: %v)", err)
	}

	// Deleting the TranscodeJob (as garbage collection does when its Video
	// goes) runs the cleanup Job, which removes the ladder's objects with
	// the output's credentials.
	if err := k8s.Delete(ctx, tj); err != nil {
		t.Fatal(err)
	}
	var cleanup = waitForCleanupJob(t, tj)
	args := strings.Join(cleanup.Spec.Template.Spec.Containers[0].Args, " ")
	if !strings.Contains(args, "--remove-output=s3://media/tenant/clip/"+tj.Spec.Hash()+"/") || len(cleanup.Spec.Template.Spec.Volumes) != 0 {
		t.Fatalf("cleanup Job: %s %+v", args, cleanup.Spec.Template.Spec.Volumes)
	}
	if out, err := kubeletCommand(cleanup, binary, nil, ns).CombinedOutput(); err != nil {
		t.Fatalf("cleanup worker: %v\n%s", err, out)
	}
	if _, err := bucket.Stat(ctx, pb.MasterPlaylist); storage.KindOf(err) != storage.NotFound {
		t.Fatalf("the ladder is still in the bucket: %v", err)
	}
	waitForEvent(t, ns, tj.Name, "RemovingOutput")
}

// waitForCleanupJob waits for the Job that removes tj's ladder.
func waitForCleanupJob(t *testing.T, tj *streamgatev1alpha1.TranscodeJob) *batchv1.Job {
	t.Helper()
	var cleanup batchv1.Job
	eventually(t, "a Job removes the ladder of "+tj.Name, func() error {
		return k8s.Get(context.Background(), client.ObjectKey{Namespace: tj.Namespace, Name: outputCleanupJobName(tj)}, &cleanup)
	})
	return &cleanup
}
