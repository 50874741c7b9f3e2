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
	"sort"
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

// AudioFolder holds the audio rendition's playlist and segments. The
// underscore keeps it apart from rendition names, which cannot have one.
const AudioFolder = "_audio"

// FFmpegArgs builds a single ffmpeg run that decodes the source once and
// encodes every rendition from it: H.264 in CMAF/fMP4 HLS with a master
// playlist, keyframes at every segment boundary in every rendition (fixed
// GOP, no scene-cut keyframes) so players can switch, one AAC audio
// rendition shared by all video renditions (an HLS audio group, encoded
// once), and a poster JPEG.
//
// Scaling cascades down the ladder (1080p -> 720p -> 480p -> ...): each
// rendition is scaled from the next larger one rather than from the source,
// which costs a fraction of the pixels.
func FFmpegArgs(o EncodeOptions) []string {
	preset := o.Preset
	if preset == "" {
		preset = "veryfast"
	}
	gop := max(int(math.Round(o.Source.FrameRate*float64(o.SegmentSeconds))), 1)

	args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
		"-i", o.Input, "-filter_complex", cascadeGraph(o.Renditions, o.Source.DurationSeconds)}
	var streamMap []string
	group := ""
	if o.Source.HasAudio {
		group = ",agroup:audio"
	}
	for i, r := range o.Renditions {
		args = append(args, "-map", fmt.Sprintf("[v%d]", i),
			fmt.Sprintf("-b:v:%d", i), fmt.Sprintf("%dk", r.VideoKbps),
			fmt.Sprintf("-maxrate:v:%d", i), fmt.Sprintf("%dk", r.MaxKbps),
			fmt.Sprintf("-bufsize:v:%d", i), fmt.Sprintf("%dk", r.BufferKbits))
		streamMap = append(streamMap, fmt.Sprintf("v:%d%s,name:%s", i, group, r.Name))
	}
	args = append(args,
		"-c:v", "libx264", "-preset", preset, "-profile:v", "high",
		"-g", strconv.Itoa(gop), "-keyint_min", strconv.Itoa(gop), "-sc_threshold", "0",
		"-force_key_frames", fmt.Sprintf("expr:gte(t,n_forced*%d)", o.SegmentSeconds))
	if o.Source.HasAudio {
		args = append(args, "-map", "0:a:0", "-c:a", "aac", "-b:a", fmt.Sprintf("%dk", o.AudioKbps), "-ac", "2", "-ar", "48000")
		streamMap = append(streamMap, "a:0,agroup:audio,default:yes,name:"+AudioFolder)
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

// cascadeGraph scales the source to the largest rendition, then each next
// rendition from the one before, largest first; outputs are labelled [vI]
// by the rendition's index in renditions, and [poster].
func cascadeGraph(renditions []PlannedRendition, duration float64) string {
	order := make([]int, len(renditions))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return renditions[order[a]].Height > renditions[order[b]].Height })

	var g strings.Builder
	// ffmpeg has already applied the rotation; setsar=1 makes pixels square
	// (widths were planned from the display aspect). scale passes frames
	// through untouched when the size does not change.
	top := renditions[order[0]]
	fmt.Fprintf(&g, "[0:v:0]scale=%d:%d,setsar=1,format=yuv420p,split=3[v%d][c0][poster_in]", top.Width, top.Height, order[0])
	posterAt := math.Min(duration/10, 5)
	fmt.Fprintf(&g, ";[poster_in]select='gte(t,%s)'[poster]", fmtFloat(posterAt))
	for k := 1; k < len(order); k++ {
		r := renditions[order[k]]
		fmt.Fprintf(&g, ";[c%d]scale=%d:%d", k-1, r.Width, r.Height)
		if k < len(order)-1 {
			fmt.Fprintf(&g, ",split=2[v%d][c%d]", order[k], k)
		} else {
			fmt.Fprintf(&g, "[v%d]", order[k])
		}
	}
	if len(order) == 1 {
		// One rendition: the cascade branch has no taker.
		g.WriteString(";[c0]nullsink")
	}
	return g.String()
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
