package controller

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/repo"
)

// TestWholePipelineWithTheRealWorker plays the kubelet: it runs
// `streamgate transcode` as a local process with the Job's own command,
// arguments and environment (volume paths mapped to folders), lets it report
// progress through the real API server, then marks the Job complete with
// the worker's termination message. The Video must end Ready with a
// playable ladder on disk.
func TestWholePipelineWithTheRealWorker(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg is required (apt-get install -y ffmpeg)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	claims := filepath.Join(dir, "claims")
	source := filepath.Join(claims, "uploads", "raw", "clip.mp4")
	if err := os.MkdirAll(filepath.Dir(source), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6",
		"-f", "lavfi", "-i", "sine=frequency=440:duration=6",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source).CombinedOutput(); err != nil {
		t.Fatalf("make clip: %v\n%s", err, out)
	}
	binary, kubeconfig := workerAndKubeconfig(t, dir)

	ns := newNamespace(t)
	video := newVideo(ns, "clip")
	video.Spec.Source.Volume.Path = "raw/clip.mp4"
	video.Spec.SegmentSeconds = 2
	if err := k8s.Create(ctx, video); err != nil {
		t.Fatal(err)
	}
	tj, job := waitForJob(t, video)
	pod := startJobPod(t, job)

	scratch := filepath.Join(dir, "scratch")
	termination := filepath.Join(dir, "termination-log")
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := kubeletCommand(job, binary, map[string]string{claimsRoot: claims, scratchDir: scratch}, ns)
	cmd.Args = append(cmd.Args, "--termination-log="+termination, "--kubeconfig="+kubeconfig, "--progress-interval=50ms")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("worker: %v\n%s", err, out)
	}

	// The worker itself reported progress, through the status subresource.
	var running streamgatev1alpha1.TranscodeJob
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(tj), &running); err != nil {
		t.Fatal(err)
	}
	if running.Status.Progress != 100 {
		t.Errorf("progress reported by the worker = %d, want 100", running.Status.Progress)
	}

	message, err := os.ReadFile(termination)
	if err != nil {
		t.Fatal(err)
	}
	completeJob(t, job, pod, string(message))
	eventually(t, "Video Ready with the worker's playback", func() error {
		v := getVideo(t, video)
		if v.Status.Phase != streamgatev1alpha1.VideoPhaseReady || v.Status.Playback == nil {
			return fmt.Errorf("phase %s", v.Status.Phase)
		}
		var names []string
		for _, r := range v.Status.Playback.Renditions {
			names = append(names, fmt.Sprintf("%s:%dx%d", r.Name, r.Width, r.Height))
		}
		if got, want := strings.Join(names, ","), "720p:1280x720,480p:854x480,360p:640x360"; got != want {
			return fmt.Errorf("renditions %s, want %s", got, want)
		}
		if d := v.Status.Playback.DurationSeconds; d < 5.9 || d > 6.2 {
			return fmt.Errorf("duration %.2f", d)
		}
		return nil
	})
	// Published in a folder of its own, named by the spec's hash, which
	// the status and the Video's playback name.
	published := filepath.Join(claims, "media", "tenant", "clip", tj.Spec.Hash())
	if _, err := media.CheckLadder(published, 6, 2); err != nil {
		t.Errorf("the published ladder is not playable: %v", err)
	}
	if pb := getVideo(t, video).Status.Playback; pb.Revision != tj.Spec.Hash() || pb.MasterPlaylist != "tenant/clip/"+tj.Spec.Hash()+"/master.m3u8" {
		t.Errorf("playback %+v does not name the revision folder", pb)
	}
}

// workerAndKubeconfig builds the streamgate binary into dir and writes a
// kubeconfig for the test's API server beside it.
func workerAndKubeconfig(t *testing.T, dir string) (binary, kubeconfig string) {
	t.Helper()
	binary = filepath.Join(dir, "streamgate")
	build := exec.Command("go", "build", "-o", binary, "./cmd/streamgate")
	build.Dir = repo.Root()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build streamgate: %v\n%s", err, out)
	}
	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig, 0o600); err != nil {
		t.Fatal(err)
	}
	return binary, kubeconfig
}

// kubeletCommand turns the Job's container into a local command: the image's
// binary becomes the built one, mount paths become folders, and the
// downward API namespace is filled in.
func kubeletCommand(job *batchv1.Job, binary string, mounts map[string]string, namespace string) *exec.Cmd {
	c := job.Spec.Template.Spec.Containers[0]
	remap := func(s string) string {
		for from, to := range mounts {
			s = strings.ReplaceAll(s, from, to)
		}
		return s
	}
	args := make([]string, 0, len(c.Args))
	for _, a := range c.Args {
		args = append(args, remap(a))
	}
	if c.Command[0] != workerBinary {
		panic("unexpected command " + c.Command[0])
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace":
			cmd.Env = append(cmd.Env, e.Name+"="+namespace)
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
			// As the kubelet does: the value from the pod's namespace.
			var secret corev1.Secret
			ref := e.ValueFrom.SecretKeyRef
			if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: ref.Name}, &secret); err != nil {
				panic("secretKeyRef " + ref.Name + ": " + err.Error())
			}
			cmd.Env = append(cmd.Env, e.Name+"="+string(secret.Data[ref.Key]))
		case e.ValueFrom == nil:
			cmd.Env = append(cmd.Env, e.Name+"="+remap(e.Value))
		}
	}
	return cmd
}
