package media

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Job is one transcode: a source, a ladder and where the result goes.
type Job struct {
	// Exactly one of SourceURL (http or https), SourcePath (a local file)
	// and Remote (an object store or IPFS).
	SourceURL  string
	SourcePath string
	Remote     *RemoteSource
	SHA256     string

	Ladder         []Rendition
	AudioKbps      int
	SegmentSeconds int

	// OutputDir receives the ladder; it is replaced whole, atomically.
	// With a Publisher instead, the ladder is made in ScratchDir and the
	// Publisher stores it.
	OutputDir string
	Publisher Publisher
	// ScratchDir holds the downloaded source.
	ScratchDir string
	// Preset is the x264 preset (default veryfast).
	Preset string

	HTTPClient *http.Client
	// OnProgress receives the percent done, growing, ending with 100.
	OnProgress func(percent int)
}

// Result describes a published ladder.
type Result struct {
	MasterPlaylist  string            `json:"masterPlaylist"`
	CID             string            `json:"cid,omitempty"`
	DurationSeconds float64           `json:"durationSeconds"`
	Renditions      []RenditionResult `json:"renditions"`
	Dropped         []string          `json:"dropped,omitempty"`
}

// RenditionResult is one published variant.
type RenditionResult struct {
	Name      string  `json:"name"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Bandwidth int64   `json:"bandwidth"`
	Segments  int     `json:"segments"`
	Duration  float64 `json:"durationSeconds"`
}

// Transcode fetches and checks the source, probes it, fits the ladder, runs
// one ffmpeg into a staging folder beside the output, checks the result and
// publishes it. Errors are *Error with a reason.
func Transcode(ctx context.Context, job Job) (*Result, error) {
	if err := job.validate(); err != nil {
		return nil, err
	}
	input := job.SourcePath
	var remote *openedSource
	if job.Remote != nil {
		var err error
		if remote, err = openRemoteSource(ctx, *job.Remote, job.ScratchDir, job.SHA256); err != nil {
			return nil, err
		}
		defer remote.stop()
		input = remote.input
	} else if job.SourceURL != "" {
		path, err := FetchSource(ctx, job.HTTPClient, job.SourceURL, job.ScratchDir, job.SHA256)
		if err != nil {
			return nil, err
		}
		defer func() { _ = os.Remove(path) }()
		input = path
	} else if err := OpenVolumeSource(job.SourcePath, job.SHA256); err != nil {
		return nil, err
	}

	info, err := Probe(ctx, input)
	if err != nil {
		return nil, firstErr(remote.sourceFailure(describeRemote(job)), err)
	}
	planned, dropped := Plan(info, job.Ladder)

	var stage string
	if job.Publisher != nil {
		stage, err = os.MkdirTemp(job.ScratchDir, "ladder-")
		if err != nil {
			return nil, failure(ReasonTranscodeFailed, true, err, "create a scratch folder for the ladder")
		}
		err = os.Chmod(stage, 0o755)
	} else {
		stage, err = NewStage(job.OutputDir)
	}
	if err != nil {
		return nil, err
	}
	published := false
	defer func() {
		if !published {
			_ = os.RemoveAll(stage)
		}
	}()

	args := FFmpegArgs(EncodeOptions{
		Input: input, Source: info, Renditions: planned, AudioKbps: job.AudioKbps,
		SegmentSeconds: job.SegmentSeconds, OutDir: stage, Preset: job.Preset,
	})
	progress := job.OnProgress
	if progress == nil {
		progress = func(int) {}
	}
	// 100 means published: hold ffmpeg's own end at 99 until then, without
	// saying 99 twice (ffmpeg's 99 then 100 would).
	reported := -1
	held := func(p int) {
		if p = min(p, 99); p > reported {
			reported = p
			progress(p)
		}
	}
	if err := RunFFmpeg(ctx, args, info.DurationSeconds, held); err != nil {
		return nil, firstErr(remote.sourceFailure(describeRemote(job)), err)
	}
	if err := dropAudioOnlyVariants(stage); err != nil {
		return nil, failure(ReasonOutputNotWritable, true, err, "finish the master playlist")
	}
	checked, err := CheckLadder(stage, info.DurationSeconds, job.SegmentSeconds)
	// A store that failed mid-read leaves a short ladder, which must not
	// pass for a truncated source: that would fail the video for good.
	if serr := remote.sourceFailure(describeRemote(job)); serr != nil {
		return nil, serr
	}
	if err != nil {
		// ffmpeg exited 0 but wrote less than the source promised: the
		// source ends early (truncated) or breaks off mid-stream.
		return nil, failure(ReasonCorruptSource, false, err, "the transcoded ladder is incomplete")
	}
	cid := ""
	if job.Publisher != nil {
		if cid, err = job.Publisher.Publish(ctx, stage); err != nil {
			return nil, err
		}
	} else if err := Publish(stage, job.OutputDir); err != nil {
		return nil, err
	}
	published = job.Publisher == nil
	progress(100)

	result := &Result{
		MasterPlaylist:  MasterPlaylistName,
		CID:             cid,
		DurationSeconds: info.DurationSeconds,
		Dropped:         dropped,
	}
	for _, v := range checked {
		result.Renditions = append(result.Renditions, RenditionResult{
			Name: v.Name, Width: v.Width, Height: v.Height, Bandwidth: v.Bandwidth,
			Segments: v.Segments, Duration: v.Duration,
		})
	}
	return result, nil
}

func (j *Job) validate() error {
	bad := func(format string, args ...any) error {
		return failure(ReasonInvalidInput, false, nil, format, args...)
	}
	sources := 0
	for _, set := range []bool{j.SourceURL != "", j.SourcePath != "", j.Remote != nil} {
		if set {
			sources++
		}
	}
	switch {
	case sources != 1:
		return bad("exactly one of a source URL, a source path and a stored source is needed")
	case j.SourceURL != "" && !strings.HasPrefix(j.SourceURL, "http://") && !strings.HasPrefix(j.SourceURL, "https://"):
		return bad("the source URL must be http or https")
	case (j.SourceURL != "" || j.Remote != nil || j.Publisher != nil) && j.ScratchDir == "":
		return bad("a scratch folder is needed to download the source or make the ladder")
	case len(j.Ladder) == 0:
		return bad("the ladder is empty")
	case j.SegmentSeconds < 1 || j.SegmentSeconds > 10:
		return bad("segment length %ds is outside 1..10", j.SegmentSeconds)
	case j.AudioKbps < 32 || j.AudioKbps > 512:
		return bad("audio bitrate %dk is outside 32..512", j.AudioKbps)
	case j.Publisher == nil && (j.OutputDir == "" || !filepath.IsAbs(j.OutputDir)):
		return bad("the output folder must be an absolute path, got %q", j.OutputDir)
	}
	seen := map[string]bool{}
	for _, r := range j.Ladder {
		if seen[r.Name] || r.Name == "" || strings.ContainsAny(r.Name, "/\\ ") {
			return bad("rendition names must be unique and plain, got %q", r.Name)
		}
		seen[r.Name] = true
		if r.Height < 2 || r.VideoKbps < 1 {
			return bad("rendition %s: height and bitrate must be positive", r.Name)
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func describeRemote(job Job) string {
	if job.Remote == nil {
		return ""
	}
	return job.Remote.Name
}

// String summarises a result for logs.
func (r *Result) String() string {
	names := make([]string, len(r.Renditions))
	for i, v := range r.Renditions {
		names[i] = fmt.Sprintf("%s %dx%d", v.Name, v.Width, v.Height)
	}
	return fmt.Sprintf("%.1fs: %s", r.DurationSeconds, strings.Join(names, ", "))
}
