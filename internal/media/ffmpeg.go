package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Output names inside a published ladder folder.
const (
	MasterPlaylistName  = "master.m3u8"
	VariantPlaylistName = "index.m3u8"
	PosterName          = "poster.jpg"
)

// EncodeOptions describe one ffmpeg run.
type EncodeOptions struct {
	Input          string
	Source         *SourceInfo
	Renditions     []PlannedRendition
	AudioKbps      int
	SegmentSeconds int
	OutDir         string
	// Preset is the x264 speed/quality trade-off (default "veryfast").
	Preset string
}

// FFmpegArgs builds a single ffmpeg run that decodes the source once and
// splits it into every rendition: H.264 + AAC in CMAF/fMP4 HLS with a master
// playlist, keyframes at every segment boundary in every rendition (fixed
// GOP, no scene-cut keyframes) so players can switch, and a poster JPEG.
func FFmpegArgs(o EncodeOptions) []string {
	preset := o.Preset
	if preset == "" {
		preset = "veryfast"
	}
	n := len(o.Renditions)
	gop := max(int(math.Round(o.Source.FrameRate*float64(o.SegmentSeconds))), 1)

	// ffmpeg rotates by the display matrix itself, so scaling sees the
	// picture as displayed; setsar=1 makes pixels square.
	var graph strings.Builder
	fmt.Fprintf(&graph, "[0:v:0]split=%d", n+1)
	for i := 0; i <= n; i++ {
		fmt.Fprintf(&graph, "[s%d]", i)
	}
	for i, r := range o.Renditions {
		fmt.Fprintf(&graph, ";[s%d]scale=%d:%d,setsar=1,format=yuv420p[v%d]", i, r.Width, r.Height, i)
	}
	posterAt := math.Min(o.Source.DurationSeconds/10, 5)
	fmt.Fprintf(&graph, ";[s%d]select='gte(t,%s)',scale=-2:'min(ih,720)',setsar=1[poster]", n, fmtFloat(posterAt))

	args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
		"-i", o.Input, "-filter_complex", graph.String()}
	var streamMap []string
	for i, r := range o.Renditions {
		args = append(args, "-map", fmt.Sprintf("[v%d]", i))
		entry := fmt.Sprintf("v:%d", i)
		if o.Source.HasAudio {
			args = append(args, "-map", "0:a:0")
			entry += fmt.Sprintf(",a:%d", i)
		}
		streamMap = append(streamMap, entry+",name:"+r.Name)
		args = append(args,
			fmt.Sprintf("-b:v:%d", i), fmt.Sprintf("%dk", r.VideoKbps),
			fmt.Sprintf("-maxrate:v:%d", i), fmt.Sprintf("%dk", r.MaxKbps),
			fmt.Sprintf("-bufsize:v:%d", i), fmt.Sprintf("%dk", r.BufferKbits))
	}
	args = append(args,
		"-c:v", "libx264", "-preset", preset, "-profile:v", "high",
		"-g", strconv.Itoa(gop), "-keyint_min", strconv.Itoa(gop), "-sc_threshold", "0",
		"-force_key_frames", fmt.Sprintf("expr:gte(t,n_forced*%d)", o.SegmentSeconds))
	if o.Source.HasAudio {
		args = append(args, "-c:a", "aac", "-b:a", fmt.Sprintf("%dk", o.AudioKbps), "-ac", "2", "-ar", "48000")
	}
	args = append(args,
		"-f", "hls", "-hls_time", strconv.Itoa(o.SegmentSeconds), "-hls_playlist_type", "vod",
		"-hls_segment_type", "fmp4", "-hls_flags", "independent_segments",
		"-hls_fmp4_init_filename", "init.mp4", // ffmpeg numbers it per variant: init_0.mp4, ...
		"-hls_segment_filename", filepath.Join(o.OutDir, "%v", "seg_%05d.m4s"),
		"-master_pl_name", MasterPlaylistName,
		"-var_stream_map", strings.Join(streamMap, " "),
		filepath.Join(o.OutDir, "%v", VariantPlaylistName),
		"-map", "[poster]", "-frames:v", "1", "-update", "1", "-q:v", "3",
		filepath.Join(o.OutDir, PosterName))
	return args
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

// RunFFmpeg runs ffmpeg with args, feeding its progress to onProgress, and
// classifies a failure by what ffmpeg printed.
func RunFFmpeg(ctx context.Context, args []string, durationSeconds float64, onProgress func(int)) error {
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return failure(ReasonTranscodeFailed, true, err, "ffmpeg stdout")
	}
	stderr := &tailBuffer{max: 8 << 10}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return failure(ReasonTranscodeFailed, true, err, "start ffmpeg")
	}
	if onProgress == nil {
		onProgress = func(int) {}
	}
	ReadProgress(stdout, durationSeconds, onProgress)
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return failure(ReasonTimeout, true, ctx.Err(), "ffmpeg did not finish in time")
		}
		return classifyFFmpegFailure(err, stderr.String())
	}
	return nil
}

func classifyFFmpegFailure(err error, stderr string) error {
	msg := lastLines(stderr, 3)
	lower := strings.ToLower(stderr)
	switch {
	case containsAny(lower, "permission denied", "read-only file system"):
		return failure(ReasonOutputNotWritable, false, err, "ffmpeg cannot write the output: %s", msg)
	case containsAny(lower, "no space left on device", "disk quota exceeded"):
		return failure(ReasonOutputNotWritable, true, err, "the output volume is full: %s", msg)
	case containsAny(lower, "invalid data found", "error while decoding", "moov atom not found",
		"corrupt", "truncat", "invalid nal unit", "decode_slice_header error"):
		return failure(ReasonCorruptSource, false, err, "ffmpeg cannot decode the source: %s", msg)
	case strings.Contains(lower, "decoder (") && strings.Contains(lower, "not found"),
		containsAny(lower, "unknown decoder", "could not find codec parameters", "unsupported codec"):
		return failure(ReasonUnsupportedCodec, false, err, "%s", msg)
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() < 0 {
		return failure(ReasonTranscodeFailed, true, err, "ffmpeg was killed (out of memory?): %s", msg)
	}
	return failure(ReasonTranscodeFailed, true, err, "ffmpeg failed: %s", msg)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf.Write(p)
	if extra := t.buf.Len() - t.max; extra > 0 {
		t.buf.Next(extra)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return t.buf.String() }
