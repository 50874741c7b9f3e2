package stream

import (
	"strings"
	"testing"
)

func TestPlaylistRewriteCarriesTheTokenEverywhere(t *testing.T) {
	src := "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\",URI=\"_audio/index.m3u8\"\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\n720p/index.m3u8\n#EXT-X-MAP:URI=\"init_0.mp4\"\n#EXTINF:4,\nseg.m4s?v=2\n"
	p := parsePlaylist([]byte(src))
	got := string(p.render("TOK"))
	want := "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\",URI=\"_audio/index.m3u8?t=TOK\"\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\n720p/index.m3u8?t=TOK\n#EXT-X-MAP:URI=\"init_0.mp4?t=TOK\"\n#EXTINF:4,\nseg.m4s?v=2&t=TOK\n"
	if got != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", got, want)
	}
	if p.length("TOK") != len(want) {
		t.Errorf("length %d, rendered %d", p.length("TOK"), len(want))
	}
	if string(p.render("")) != src {
		t.Error("a public playlist must be served as is")
	}
	if strings.Count(got, "TOK") != 4 {
		t.Errorf("token count %d", strings.Count(got, "TOK"))
	}
}
