package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/streamgate-io/streamgate/internal/loopback"
)

// Clips are made once per test run with ffmpeg's lavfi sources.
var (
	clipDir   string
	clipsOnce sync.Map // name -> *clipResult
)

type clipResult struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "%s is required (apt-get install -y ffmpeg)\n", tool)
			os.Exit(1)
		}
	}
	dir, err := os.MkdirTemp("", "media-clips-")
	if err != nil {
		panic(err)
	}
	clipDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// clip makes (once) a test clip: size WxH, seconds long, with or without a
// sine tone, and extra ffmpeg output options.
func clip(t *testing.T, name string, width, height int, seconds float64, audio bool, extra ...string) string {
	t.Helper()
	v, _ := clipsOnce.LoadOrStore(name, &clipResult{})
	c := v.(*clipResult)
	c.once.Do(func() {
		c.path = filepath.Join(clipDir, name+".mp4")
		args := []string{"-hide_banner", "-loglevel", "error", "-y",
			"-f", "lavfi", "-i", fmt.Sprintf("%s=size=%dx%d:rate=30:duration=%g", pattern(width, height), width, height, seconds)}
		if audio {
			args = append(args, "-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:sample_rate=48000:duration=%g", seconds))
		}
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
		if audio {
			args = append(args, "-c:a", "aac", "-shortest")
		}
		args = append(args, extra...)
		args = append(args, c.path)
		if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
			c.err = fmt.Errorf("make clip %s: %v\n%s", name, err, out)
		}
	})
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.path
}

// pattern picks a lavfi test source: testsrc2 crops odd sizes to even ones,
// testsrc keeps them.
func pattern(width, height int) string {
	if width%2 == 1 || height%2 == 1 {
		return "testsrc"
	}
	return "testsrc2"
}

func transcodeClip(t *testing.T, src string, ladder []Rendition) (*Result, string, []int) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tenant", "video")
	var progress []int
	res, err := Transcode(context.Background(), Job{
		SourcePath: src, Ladder: ladder, AudioKbps: 96, SegmentSeconds: 2,
		OutputDir: out, Preset: "ultrafast",
		OnProgress: func(p int) { progress = append(progress, p) },
	})
	if err != nil {
		t.Fatalf("transcode %s: %v", filepath.Base(src), err)
	}
	return res, out, progress
}

func TestTranscode1080pWithAudioMakesTheDefaultLadder(t *testing.T) {
	src := clip(t, "1080p-audio", 1920, 1080, 5, true)
	res, out, progress := transcodeClip(t, src, DefaultLadder())

	want := []string{"1080p 1920x1080", "720p 1280x720", "480p 854x480", "360p 640x360"}
	if got := renditionSizes(res); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("renditions = %v, want %v", got, want)
	}
	if len(res.Dropped) != 0 {
		t.Errorf("dropped %v from a 1080p source", res.Dropped)
	}
	if res.DurationSeconds < 4.9 || res.DurationSeconds > 5.2 {
		t.Errorf("duration = %.2f, want about 5", res.DurationSeconds)
	}
	master := readFile(t, filepath.Join(out, MasterPlaylistName))
	if !strings.Contains(master, "mp4a.40.2") {
		t.Errorf("master playlist does not announce AAC audio:\n%s", master)
	}
	parsed, err := ParseMaster([]byte(master))
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed.Alternates) != 1 || parsed.Alternates[0].Type != "AUDIO" || parsed.Alternates[0].URI != AudioFolder+"/index.m3u8" {
		t.Errorf("want one shared audio rendition, got %+v", parsed.Alternates)
	}
	for _, v := range parsed.Variants {
		if v.Width == 0 || !strings.Contains(v.Attributes, `AUDIO="`) {
			t.Errorf("variant %s has no picture or no audio group: %s", v.URI, v.Attributes)
		}
	}
	for i := 1; i < len(res.Renditions); i++ {
		if res.Renditions[i].Bandwidth >= res.Renditions[i-1].Bandwidth {
			t.Errorf("bandwidths do not fall down the ladder: %+v", res.Renditions)
		}
	}
	assertAlignedSegments(t, out)
	assertSegmentStartsWithKeyframe(t, filepath.Join(out, "360p"), 1)
	assertPoster(t, out)
	assertNoStagingLeft(t, out)
	if len(progress) < 2 || progress[len(progress)-1] != 100 {
		t.Errorf("progress = %v, want growing values ending at 100", progress)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] <= progress[i-1] {
			t.Errorf("progress does not grow: %v", progress)
		}
	}
}

func TestTranscode720pWithoutAudio(t *testing.T) {
	src := clip(t, "720p-silent", 1280, 720, 4, false)
	res, out, _ := transcodeClip(t, src, DefaultLadder())
	if got, want := strings.Join(renditionSizes(res), ","), "720p 1280x720,480p 854x480,360p 640x360"; got != want {
		t.Errorf("renditions = %s, want %s", got, want)
	}
	if len(res.Dropped) != 1 || res.Dropped[0] != "1080p" {
		t.Errorf("dropped = %v, want [1080p] (never upscale)", res.Dropped)
	}
	if master := readFile(t, filepath.Join(out, MasterPlaylistName)); strings.Contains(master, "mp4a") {
		t.Errorf("master playlist announces audio for a silent source:\n%s", master)
	}
	assertAlignedSegments(t, out)
}

func TestTranscodePortrait(t *testing.T) {
	src := clip(t, "portrait", 1080, 1920, 2, true)
	res, _, _ := transcodeClip(t, src, []Rendition{{Name: "720p", Height: 720, VideoKbps: 1500}, {Name: "360p", Height: 360, VideoKbps: 500}})
	if got, want := strings.Join(renditionSizes(res), ","), "720p 406x720,360p 202x360"; got != want {
		t.Errorf("renditions = %s, want %s (aspect kept, even widths)", got, want)
	}
}

func TestTranscodeOddSize(t *testing.T) {
	// 4:2:0 H.264 cannot store odd sides (ffmpeg would crop); 4:4:4 can.
	src := clip(t, "odd", 853, 481, 2, true, "-pix_fmt", "yuv444p")
	if info, err := Probe(context.Background(), src); err != nil || info.Width != 853 || info.Height != 481 {
		t.Fatalf("odd clip probes as %v (%v), want 853x481", info, err)
	}
	res, out, _ := transcodeClip(t, src, DefaultLadder())
	for _, r := range res.Renditions {
		if r.Width%2 != 0 || r.Height%2 != 0 {
			t.Errorf("rendition %s is %dx%d, want even sides", r.Name, r.Width, r.Height)
		}
	}
	if got, want := strings.Join(renditionSizes(res), ","), "480p 852x480,360p 638x360"; got != want {
		t.Errorf("renditions = %s, want %s", got, want)
	}
	assertAlignedSegments(t, out)
}

func TestTranscodeRotatedPhoneClip(t *testing.T) {
	// A phone stores landscape pixels and a display matrix saying "turn 90°".
	landscape := clip(t, "landscape", 1280, 720, 2, true)
	src := filepath.Join(t.TempDir(), "rotated.mp4")
	// The mp4 muxer writes the rotate tag as a display matrix on a stream copy.
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", landscape,
		"-c", "copy", "-metadata:s:v:0", "rotate=90", src).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	info, err := Probe(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if info.Rotation != 90 && info.Rotation != 270 {
		t.Fatalf("rotation = %d, want 90 or 270", info.Rotation)
	}
	if info.Width != 720 || info.Height != 1280 {
		t.Fatalf("display size = %dx%d, want 720x1280", info.Width, info.Height)
	}
	res, _, _ := transcodeClip(t, src, []Rendition{{Name: "720p", Height: 720, VideoKbps: 1500}})
	if got, want := strings.Join(renditionSizes(res), ","), "720p 406x720"; got != want {
		t.Errorf("renditions = %s, want %s (portrait after rotation)", got, want)
	}
}

func TestTranscodeShortClipAndSmallSource(t *testing.T) {
	// A 2-second 320x240 clip: every default rung is taller than the source,
	// so one rendition at the source's height is made.
	src := clip(t, "tiny", 320, 240, 2, true)
	res, out, _ := transcodeClip(t, src, DefaultLadder())
	if got, want := strings.Join(renditionSizes(res), ","), "240p 320x240"; got != want {
		t.Errorf("renditions = %s, want %s", got, want)
	}
	if len(res.Dropped) != 4 {
		t.Errorf("dropped = %v, want all four default rungs", res.Dropped)
	}
	assertPoster(t, out)
}

func TestRerunReplacesThePublishedLadder(t *testing.T) {
	src := clip(t, "720p-silent", 1280, 720, 4, false)
	out := filepath.Join(t.TempDir(), "v")
	run := func(ladder []Rendition) {
		t.Helper()
		if _, err := Transcode(context.Background(), Job{SourcePath: src, Ladder: ladder, AudioKbps: 64,
			SegmentSeconds: 2, OutputDir: out, Preset: "ultrafast"}); err != nil {
			t.Fatal(err)
		}
	}
	run([]Rendition{{Name: "720p", Height: 720, VideoKbps: 2000}, {Name: "360p", Height: 360, VideoKbps: 500}})
	run([]Rendition{{Name: "480p", Height: 480, VideoKbps: 1000}})
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, ","), "480p,master.m3u8,poster.jpg"; got != want {
		t.Errorf("output holds %s, want only the second ladder: %s", got, want)
	}
	assertNoStagingLeft(t, out)
}

func TestTruncatedSourceIsCorrupt(t *testing.T) {
	src := clip(t, "1080p-audio", 1920, 1080, 5, true)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// ffmpeg writes the index (moov) last: cutting the file loses it.
	broken := filepath.Join(t.TempDir(), "truncated.mp4")
	if err := os.WriteFile(broken, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	expectFailure(t, Job{SourcePath: broken}, ReasonCorruptSource, false)
}

func TestSourceCutMidStreamIsCorrupt(t *testing.T) {
	// With the index first (faststart), a cut file still probes but holds
	// only part of the promised duration.
	src := clip(t, "faststart", 640, 360, 6, true, "-movflags", "+faststart")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "cut.mp4")
	if err := os.WriteFile(broken, data[:len(data)*2/5], 0o644); err != nil {
		t.Fatal(err)
	}
	expectFailure(t, Job{SourcePath: broken}, ReasonCorruptSource, false)
}

func TestNotAVideoIsCorrupt(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.mp4")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("not a video "), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	expectFailure(t, Job{SourcePath: junk}, ReasonCorruptSource, false)
}

func TestAudioOnlySourceIsUnsupported(t *testing.T) {
	audio := filepath.Join(t.TempDir(), "tone.m4a")
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
		"sine=duration=1", "-c:a", "aac", audio).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	expectFailure(t, Job{SourcePath: audio}, ReasonUnsupportedCodec, false)
}

func TestHTTPSourceWithChecksum(t *testing.T) {
	src := clip(t, "tiny", 320, 240, 2, true)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	server := loopback.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/clip.mp4" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	}))

	t.Run("matching checksum transcodes", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "v")
		res, err := Transcode(context.Background(), Job{SourceURL: server.URL + "/clip.mp4", SHA256: hex.EncodeToString(sum[:]),
			ScratchDir: t.TempDir(), Ladder: DefaultLadder(), AudioKbps: 64, SegmentSeconds: 2, OutputDir: out, Preset: "ultrafast"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Renditions) != 1 {
			t.Errorf("renditions = %+v", res.Renditions)
		}
	})
	t.Run("checksum mismatch", func(t *testing.T) {
		wrong := strings.Repeat("ab", 32)
		expectFailure(t, Job{SourceURL: server.URL + "/clip.mp4", SHA256: wrong, ScratchDir: t.TempDir()}, ReasonChecksumMismatch, false)
	})
	t.Run("missing file", func(t *testing.T) {
		expectFailure(t, Job{SourceURL: server.URL + "/gone.mp4", ScratchDir: t.TempDir()}, ReasonSourceUnreachable, false)
	})
	t.Run("server error is retriable", func(t *testing.T) {
		failing := loopback.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}))
		expectFailure(t, Job{SourceURL: failing.URL + "/clip.mp4", ScratchDir: t.TempDir()}, ReasonSourceUnreachable, true)
	})
}

func TestVolumeSourceChecks(t *testing.T) {
	src := clip(t, "tiny", 320, 240, 2, true)
	expectFailure(t, Job{SourcePath: src, SHA256: strings.Repeat("0", 64)}, ReasonChecksumMismatch, false)
	expectFailure(t, Job{SourcePath: filepath.Join(t.TempDir(), "absent.mp4")}, ReasonSourceUnreachable, false)
}

func TestUnwritableOutput(t *testing.T) {
	// A file where the output's parent folder should be fails even for root,
	// who ignores permission bits.
	src := clip(t, "tiny", 320, 240, 2, true)
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	expectFailure(t, Job{SourcePath: src, OutputDir: filepath.Join(blocker, "video")}, ReasonOutputNotWritable, false)
}

func TestExitCodes(t *testing.T) {
	if ExitCode(nil) != 0 {
		t.Error("success must exit 0")
	}
	if got := ExitCode(&Error{Reason: ReasonSourceUnreachable, Retriable: true}); got != ExitRetriable {
		t.Errorf("retriable failure exits %d, want %d", got, ExitRetriable)
	}
	seen := map[int32]bool{}
	for _, code := range PermanentExitCodes() {
		if code == ExitOK || code == ExitRetriable || seen[code] {
			t.Errorf("permanent exit code %d clashes", code)
		}
		seen[code] = true
	}
	if got := ExitCode(&Error{Reason: ReasonCorruptSource}); !seen[int32(got)] {
		t.Errorf("CorruptSource exits %d, not a permanent code", got)
	}
	if got := ExitCode(errors.New("surprise")); got != ExitRetriable {
		t.Errorf("unclassified error exits %d, want retriable", got)
	}
}

// expectFailure fills in a runnable job around the fields the test sets and
// expects Transcode to fail with reason.
func expectFailure(t *testing.T, job Job, reason Reason, retriable bool) {
	t.Helper()
	if job.OutputDir == "" {
		job.OutputDir = filepath.Join(t.TempDir(), "out")
	}
	if job.Ladder == nil {
		job.Ladder = DefaultLadder()
	}
	job.AudioKbps, job.SegmentSeconds, job.Preset = 64, 2, "ultrafast"
	_, err := Transcode(context.Background(), job)
	if err == nil {
		t.Fatalf("transcode succeeded, want %s", reason)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *media.Error", err, err)
	}
	if e.Reason != reason || e.Retriable != retriable {
		t.Fatalf("err = %v (retriable %v), want %s (retriable %v)", err, e.Retriable, reason, retriable)
	}
	if _, statErr := os.Stat(filepath.Join(job.OutputDir, MasterPlaylistName)); statErr == nil {
		t.Errorf("a failed transcode published a master playlist")
	}
}

func renditionSizes(r *Result) []string {
	var out []string
	for _, v := range r.Renditions {
		out = append(out, fmt.Sprintf("%s %dx%d", v.Name, v.Width, v.Height))
	}
	return out
}

// assertAlignedSegments checks that every variant cuts segments at the same
// times, which players need to switch renditions at segment boundaries.
func assertAlignedSegments(t *testing.T, dir string) {
	t.Helper()
	master, err := ParseMaster([]byte(readFile(t, filepath.Join(dir, MasterPlaylistName))))
	if err != nil {
		t.Fatal(err)
	}
	// Audio segments follow AAC frame boundaries; only video must align.
	variants := master.Variants
	var first []Segment
	for i, v := range variants {
		media, err := ParseMedia([]byte(readFile(t, filepath.Join(dir, v.URI))))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = media.Segments
			continue
		}
		if len(media.Segments) != len(first) {
			t.Fatalf("%s has %d segments, %s has %d", v.URI, len(media.Segments), variants[0].URI, len(first))
		}
		for j := range first {
			if d := media.Segments[j].Duration - first[j].Duration; d > 0.001 || d < -0.001 {
				t.Errorf("segment %d lasts %.3fs in %s but %.3fs in %s", j, media.Segments[j].Duration, v.URI, first[j].Duration, variants[0].URI)
			}
		}
	}
}

// assertSegmentStartsWithKeyframe decodes init + segment n of a variant and
// checks that its first video frame is a keyframe.
func assertSegmentStartsWithKeyframe(t *testing.T, variantDir string, n int) {
	t.Helper()
	media, err := ParseMedia([]byte(readFile(t, filepath.Join(variantDir, VariantPlaylistName))))
	if err != nil {
		t.Fatal(err)
	}
	joined := filepath.Join(t.TempDir(), "joined.mp4")
	data := []byte(readFile(t, filepath.Join(variantDir, media.InitURI)))
	data = append(data, []byte(readFile(t, filepath.Join(variantDir, media.Segments[n].URI)))...)
	if err := os.WriteFile(joined, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
		"-show_entries", "frame=key_frame", "-of", "csv=p=0", joined).Output()
	if err != nil {
		t.Fatalf("ffprobe segment: %v", err)
	}
	if strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]) != "1" {
		t.Errorf("segment %d of %s does not start with a keyframe (ffprobe: %q)", n, variantDir, out)
	}
}

func assertPoster(t *testing.T, dir string) {
	t.Helper()
	data := readFile(t, filepath.Join(dir, PosterName))
	if !strings.HasPrefix(data, "\xff\xd8\xff") {
		t.Errorf("poster is not a JPEG")
	}
}

func assertNoStagingLeft(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".staging-") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestRemoveOutputStaysInsideTheClaims(t *testing.T) {
	root := t.TempDir()
	ladder := filepath.Join(root, "media", "tenant", "intro", "5f3a9c1e07")
	stage := filepath.Join(root, "media", "tenant", "intro", ".5f3a9c1e07.staging-123")
	other := filepath.Join(root, "media", "tenant", "intro", "0000000000")
	for _, d := range []string{filepath.Join(ladder, "720p"), stage, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveOutput(root, ladder); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{ladder, stage} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another revision was removed: %v", err)
	}
	if err := RemoveOutput(root, ladder); err != nil {
		t.Errorf("removing again: %v", err)
	}
	for _, bad := range []string{root, filepath.Join(root, "media"), filepath.Dir(root), filepath.Join(root, "..", "x", "y"), "/etc/x"} {
		if err := RemoveOutput(root, bad); err == nil {
			t.Errorf("RemoveOutput(%s) was allowed", bad)
		}
	}
}
