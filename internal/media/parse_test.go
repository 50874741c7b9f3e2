package media

import (
	"strings"
	"testing"
)

func TestReadProgress(t *testing.T) {
	stream := strings.Join([]string{
		"frame=10", "out_time_us=1000000", "progress=continue",
		"out_time_us=1000000", "progress=continue", // no growth: not reported again
		"out_time_ms=2500000", "progress=continue",
		"out_time_us=N/A", "progress=continue",
		"out_time_us=9990000", "progress=continue", // never 100 before the end
		"progress=end",
	}, "\n")
	var got []int
	ReadProgress(strings.NewReader(stream), 10, func(p int) { got = append(got, p) })
	if want := []int{10, 25, 99, 100}; !equalInts(got, want) {
		t.Errorf("progress = %v, want %v", got, want)
	}
}

func TestParseMasterAndMedia(t *testing.T) {
	master := "#EXTM3U\n#EXT-X-VERSION:7\n" +
		`#EXT-X-STREAM-INF:BANDWIDTH=3440800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"` + "\n720p/index.m3u8\n\n" +
		`#EXT-X-STREAM-INF:BANDWIDTH=1020800,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"` + "\n360p/index.m3u8\n"
	parsed, err := ParseMaster([]byte(master))
	if err != nil {
		t.Fatal(err)
	}
	variants := parsed.Variants
	if len(variants) != 2 || variants[0].URI != "720p/index.m3u8" || variants[0].Bandwidth != 3440800 ||
		variants[0].Width != 1280 || variants[0].Height != 720 || variants[1].Codecs != "avc1.64001e,mp4a.40.2" {
		t.Errorf("variants = %+v", variants)
	}
	media, err := ParseMedia([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init_0.mp4\"\n#EXTINF:4.000000,\nseg_00000.m4s\n#EXTINF:2.5,\nseg_00001.m4s\n#EXT-X-ENDLIST\n"))
	if err != nil {
		t.Fatal(err)
	}
	if media.InitURI != "init_0.mp4" || len(media.Segments) != 2 || media.Duration() != 6.5 || !media.Ended || media.TargetDuration != 4 {
		t.Errorf("media = %+v", media)
	}
	for _, bad := range []string{"", "#EXTM3U\n720p/index.m3u8\n", "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n"} {
		if _, err := ParseMaster([]byte(bad)); err == nil {
			t.Errorf("ParseMaster(%q) accepted", bad)
		}
	}
	if _, err := ParseMedia([]byte("#EXTM3U\nseg.m4s\n")); err == nil {
		t.Error("a segment without #EXTINF was accepted")
	}
}

func TestClassifyFFmpegFailure(t *testing.T) {
	for stderr, want := range map[string]Reason{
		"[mov,mp4] moov atom not found\nsrc.mp4: Invalid data found when processing input": ReasonCorruptSource,
		"out/720p/seg_00000.m4s: Permission denied":                                        ReasonOutputNotWritable,
		"Error writing trailer: No space left on device":                                   ReasonOutputNotWritable,
		"Decoder (codec prores) not found for input stream #0:0":                           ReasonUnsupportedCodec,
		"Conversion failed!": ReasonTranscodeFailed,
	} {
		if got := AsError(classifyFFmpegFailure(nil, stderr)).Reason; got != want {
			t.Errorf("%q: reason %s, want %s", stderr, got, want)
		}
	}
}

func TestPlanKeepsAspectAndNeverUpscales(t *testing.T) {
	src := &SourceInfo{Width: 1440, Height: 1080}
	planned, dropped := Plan(src, []Rendition{{Name: "4k", Height: 2160, VideoKbps: 12000}, {Name: "sd", Height: 480, VideoKbps: 1000}})
	if len(dropped) != 1 || dropped[0] != "4k" {
		t.Errorf("dropped = %v", dropped)
	}
	if len(planned) != 1 || planned[0].Width != 640 || planned[0].Height != 480 || planned[0].MaxKbps <= planned[0].VideoKbps {
		t.Errorf("planned = %+v", planned)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
