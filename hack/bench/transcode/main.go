// Command transcode compares, on one generated 1080p clip and a 4-rendition
// ladder, the wall and CPU time of
//
//	(a) streamgate transcode (probe, one ffmpeg run split into every rendition, checks, publish)
//	(b) one ffmpeg run per rendition (the naive baseline: the source decoded four times)
//	(c) a hand-written single ffmpeg command with the same encoder settings
//
// and prints the ratios. Every run encodes with the same x264 preset,
// bitrates, GOP and HLS settings. Run it with `make bench-transcode`.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/streamgate-io/streamgate/internal/media"
)

type measure struct{ wall, cpu time.Duration }

func main() {
	seconds := flag.Int("seconds", 30, "length of the generated clip")
	rounds := flag.Int("rounds", 1, "runs of each variant; the fastest counts")
	preset := flag.String("preset", "veryfast", "x264 preset for every variant")
	binary := flag.String("streamgate", "bin/streamgate", "the streamgate binary")
	flag.Parse()

	work, err := os.MkdirTemp("", "bench-transcode-")
	must(err)
	defer func() { _ = os.RemoveAll(work) }()
	src := filepath.Join(work, "source.mp4")
	fmt.Printf("generating a %ds 1920x1080 30fps clip with audio...\n", *seconds)
	run(exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=1920x1080:rate=30:duration=%d", *seconds),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:sample_rate=48000:duration=%d", *seconds),
		"-c:v", "libx264", "-preset", "veryfast", "-b:v", "8000k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", src))

	const segment, audioKbps = 4, 128
	ladder := media.DefaultLadder()
	info := &media.SourceInfo{Width: 1920, Height: 1080, FrameRate: 30, HasAudio: true, DurationSeconds: float64(*seconds)}
	planned, _ := media.Plan(info, ladder)
	gop := fmt.Sprint(30 * segment)
	encoder := func(i int, r media.PlannedRendition) []string {
		return []string{
			fmt.Sprintf("-b:v:%d", i), fmt.Sprintf("%dk", r.VideoKbps),
			fmt.Sprintf("-maxrate:v:%d", i), fmt.Sprintf("%dk", r.MaxKbps),
			fmt.Sprintf("-bufsize:v:%d", i), fmt.Sprintf("%dk", r.BufferKbits)}
	}
	common := []string{"-c:v", "libx264", "-preset", *preset, "-profile:v", "high", "-g", gop, "-keyint_min", gop,
		"-sc_threshold", "0", "-force_key_frames", fmt.Sprintf("expr:gte(t,n_forced*%d)", segment),
		"-c:a", "aac", "-b:a", fmt.Sprintf("%dk", audioKbps), "-ac", "2", "-ar", "48000"}
	hls := func() []string {
		return []string{"-f", "hls", "-hls_time", fmt.Sprint(segment), "-hls_playlist_type", "vod",
			"-hls_segment_type", "fmp4", "-hls_flags", "independent_segments", "-hls_fmp4_init_filename", "init.mp4"}
	}

	variants := []struct {
		name string
		cmds func(out string) []*exec.Cmd
	}{
		{"(a) streamgate transcode", func(out string) []*exec.Cmd {
			return []*exec.Cmd{exec.Command(*binary, "transcode", "--source-path", src, "--output-dir", out,
				"--segment-seconds", fmt.Sprint(segment), "--audio-kbps", fmt.Sprint(audioKbps), "--preset", *preset,
				"--termination-log", filepath.Join(work, "termination"), "--zap-log-level", "error")}
		}},
		{"(b) one ffmpeg per rendition", func(out string) []*exec.Cmd {
			var cmds []*exec.Cmd
			for _, r := range planned {
				dir := filepath.Join(out, r.Name)
				must(os.MkdirAll(dir, 0o755))
				args := []string{"-hide_banner", "-loglevel", "error", "-y", "-i", src,
					"-vf", fmt.Sprintf("scale=%d:%d,setsar=1,format=yuv420p", r.Width, r.Height), "-map", "0:v:0", "-map", "0:a:0"}
				args = append(args, encoder(0, r)...)
				args = append(args, common...)
				args = append(args, hls()...)
				args = append(args, "-hls_segment_filename", filepath.Join(dir, "seg_%05d.m4s"), filepath.Join(dir, "index.m3u8"))
				cmds = append(cmds, exec.Command("ffmpeg", args...))
			}
			return cmds
		}},
		{"(c) hand-written single ffmpeg", func(out string) []*exec.Cmd {
			must(os.MkdirAll(out, 0o755))
			var graph strings.Builder
			fmt.Fprintf(&graph, "[0:v]split=%d", len(planned))
			for i := range planned {
				fmt.Fprintf(&graph, "[s%d]", i)
			}
			args := []string{"-hide_banner", "-loglevel", "error", "-y", "-i", src}
			var maps []string
			for i, r := range planned {
				fmt.Fprintf(&graph, ";[s%d]scale=%d:%d,setsar=1,format=yuv420p[v%d]", i, r.Width, r.Height, i)
				maps = append(maps, fmt.Sprintf("v:%d,a:%d,name:%s", i, i, r.Name))
			}
			args = append(args, "-filter_complex", graph.String())
			for i, r := range planned {
				args = append(args, "-map", fmt.Sprintf("[v%d]", i), "-map", "0:a:0")
				args = append(args, encoder(i, r)...)
			}
			args = append(args, common...)
			args = append(args, hls()...)
			args = append(args, "-hls_segment_filename", filepath.Join(out, "%v", "seg_%05d.m4s"),
				"-master_pl_name", "master.m3u8", "-var_stream_map", strings.Join(maps, " "), filepath.Join(out, "%v", "index.m3u8"))
			return []*exec.Cmd{exec.Command("ffmpeg", args...)}
		}},
	}

	results := make([]measure, len(variants))
	for round := 0; round < *rounds; round++ {
		for i, v := range variants {
			out := filepath.Join(work, fmt.Sprintf("out-%d-%d", i, round))
			var m measure
			for _, cmd := range v.cmds(out) {
				got := run(cmd)
				m.wall += got.wall
				m.cpu += got.cpu
			}
			fmt.Printf("  %-32s wall %6.2fs  cpu %6.2fs\n", v.name, m.wall.Seconds(), m.cpu.Seconds())
			if round == 0 || m.wall < results[i].wall {
				results[i] = m
			}
			_ = os.RemoveAll(out)
		}
	}
	a, b, c := results[0], results[1], results[2]
	fmt.Printf("\nclip %ds 1080p, ladder %d renditions, preset %s, %d round(s), best of each\n", *seconds, len(planned), *preset, *rounds)
	fmt.Printf("%-10s %8s %8s\n", "ratio", "wall", "cpu")
	for _, row := range []struct {
		name string
		x, y measure
	}{{"(a)/(b)", a, b}, {"(a)/(c)", a, c}, {"(c)/(b)", c, b}} {
		fmt.Printf("%-10s %8.3f %8.3f\n", row.name, row.x.wall.Seconds()/row.y.wall.Seconds(), row.x.cpu.Seconds()/row.y.cpu.Seconds())
	}
}

// run runs cmd and measures its wall time and the CPU time of it and its
// reaped children (ffprobe, ffmpeg).
func run(cmd *exec.Cmd) measure {
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", strings.Join(cmd.Args, " "), err)
		os.Exit(1)
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return measure{wall: wall, cpu: cpu}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
