package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
)

// SourceInfo is what ffprobe tells of a source.
type SourceInfo struct {
	DurationSeconds float64
	// Width and Height are as displayed: after rotation and with square pixels.
	Width, Height int
	// CodedWidth and CodedHeight are the stored picture size.
	CodedWidth, CodedHeight int
	// Rotation in degrees, clockwise, as the display matrix asks.
	Rotation   int
	FrameRate  float64
	VideoCodec string
	AudioCodec string
	HasAudio   bool
}

type ffprobeOutput struct {
	Streams []struct {
		CodecType         string            `json:"codec_type"`
		CodecName         string            `json:"codec_name"`
		Width             int               `json:"width"`
		Height            int               `json:"height"`
		SampleAspectRatio string            `json:"sample_aspect_ratio"`
		AvgFrameRate      string            `json:"avg_frame_rate"`
		RFrameRate        string            `json:"r_frame_rate"`
		Duration          string            `json:"duration"`
		Tags              map[string]string `json:"tags"`
		SideDataList      []map[string]any  `json:"side_data_list"`
		Disposition       map[string]int    `json:"disposition"`
	} `json:"streams"`
	Format struct {
		Duration   string `json:"duration"`
		FormatName string `json:"format_name"`
	} `json:"format"`
}

// Probe runs ffprobe on a local file.
func Probe(ctx context.Context, path string) (*SourceInfo, error) {
	cmd := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-print_format", "json",
		"-show_format", "-show_streams", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, failure(ReasonTimeout, true, ctx.Err(), "probe %s", path)
		}
		var execErr *exec.Error
		if errors.As(err, &execErr) {
			return nil, failure(ReasonTranscodeFailed, true, err, "ffprobe is not installed")
		}
		return nil, failure(ReasonCorruptSource, false, err, "ffprobe cannot read the source: %s", firstLine(stderr.String()))
	}
	var out ffprobeOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, failure(ReasonTranscodeFailed, true, err, "parse ffprobe output")
	}
	return sourceInfo(&out)
}

func sourceInfo(out *ffprobeOutput) (*SourceInfo, error) {
	info := &SourceInfo{}
	foundVideo := false
	for _, s := range out.Streams {
		switch s.CodecType {
		case "video":
			// Cover art in audio files is a one-frame "video" stream.
			if foundVideo || s.Disposition["attached_pic"] == 1 {
				continue
			}
			foundVideo = true
			info.VideoCodec = s.CodecName
			info.CodedWidth, info.CodedHeight = s.Width, s.Height
			info.FrameRate = parseRate(s.AvgFrameRate)
			if info.FrameRate <= 0 || info.FrameRate > 240 {
				info.FrameRate = parseRate(s.RFrameRate)
			}
			info.Rotation = rotation(s.Tags, s.SideDataList)
			w := float64(s.Width) * parseRate(orDefault(s.SampleAspectRatio, "1:1"))
			if w <= 0 {
				w = float64(s.Width)
			}
			info.Width, info.Height = int(math.Round(w)), s.Height
			if info.Rotation == 90 || info.Rotation == 270 {
				info.Width, info.Height = info.Height, info.Width
			}
			if d, err := strconv.ParseFloat(s.Duration, 64); err == nil {
				info.DurationSeconds = d
			}
		case "audio":
			if !info.HasAudio {
				info.HasAudio = true
				info.AudioCodec = s.CodecName
			}
		}
	}
	if d, err := strconv.ParseFloat(out.Format.Duration, 64); err == nil && d > 0 {
		info.DurationSeconds = d
	}
	switch {
	case !foundVideo:
		return nil, failure(ReasonUnsupportedCodec, false, nil, "the source has no video stream")
	case info.VideoCodec == "" || info.CodedWidth <= 0 || info.CodedHeight <= 0:
		return nil, failure(ReasonUnsupportedCodec, false, nil, "ffprobe cannot decode the video stream (codec %q)", info.VideoCodec)
	case info.DurationSeconds <= 0:
		return nil, failure(ReasonCorruptSource, false, nil, "the source has no duration")
	}
	if info.FrameRate <= 0 {
		info.FrameRate = 30
	}
	return info, nil
}

// rotation reads the display matrix (newer ffmpeg) or the rotate tag (older)
// and returns the clockwise rotation the player must apply: 0, 90, 180, 270.
func rotation(tags map[string]string, sideData []map[string]any) int {
	deg := 0.0
	if r, ok := tags["rotate"]; ok {
		if v, err := strconv.ParseFloat(r, 64); err == nil {
			deg = v
		}
	}
	for _, sd := range sideData {
		if v, ok := sd["rotation"].(float64); ok {
			// The display matrix states counter-clockwise degrees.
			deg = -v
		}
	}
	r := int(math.Round(deg/90)) * 90 % 360
	if r < 0 {
		r += 360
	}
	return r
}

func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		num, den, ok = strings.Cut(s, ":")
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0
	}
	if !ok {
		return n
	}
	d, err := strconv.ParseFloat(den, 64)
	if err != nil || d == 0 {
		return 0
	}
	return n / d
}

func orDefault(s, def string) string {
	if s == "" || s == "0:1" || s == "N/A" {
		return def
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// String is a one-line summary for logs.
func (i *SourceInfo) String() string {
	return fmt.Sprintf("%dx%d (coded %dx%d, rotation %d) %.3g fps %s, %.1fs, audio %v %s",
		i.Width, i.Height, i.CodedWidth, i.CodedHeight, i.Rotation, i.FrameRate, i.VideoCodec,
		i.DurationSeconds, i.HasAudio, i.AudioCodec)
}
