package catalog

import (
	"encoding/json"
	"testing"
)

// A catalog whose video names a claim that is not a PersistentVolumeClaim
// name (".", "..", a path, capitals) or a path that leaves or is the claim's
// root is refused whole, as are unusable sign-in settings.
func TestParseRefusesWhatCouldLeaveAClaim(t *testing.T) {
	parse := func(c Catalog) error {
		data, _ := json.Marshal(c)
		_, err := Parse(data)
		return err
	}
	video := func(claim, playlist string) Catalog {
		return Catalog{Videos: []Video{{Namespace: "t", Name: "v", Claim: claim, Playlist: playlist}}}
	}
	if err := parse(video("media.v1", "t/v/master.m3u8")); err != nil {
		t.Fatalf("valid catalog refused: %v", err)
	}
	for name, c := range map[string]Catalog{
		"claim .":              video(".", "t/v/master.m3u8"),
		"claim ..":             video("..", "t/v/master.m3u8"),
		"claim with a slash":   video("a/b", "t/v/master.m3u8"),
		"claim in capitals":    video("Media", "t/v/master.m3u8"),
		"claim empty":          video("", "t/v/master.m3u8"),
		"playlist escapes":     video("media", "../x/master.m3u8"),
		"playlist absolute":    video("media", "/t/v/master.m3u8"),
		"playlist at root":     video("media", "master.m3u8"),
		"playlist not clean":   video("media", "t/./v/master.m3u8"),
		"origin with a path":   {SignIn: SignIn{Origins: []string{"https://a.example/x"}}},
		"origin not http":      {SignIn: SignIn{Origins: []string{"ftp://a.example"}}},
		"proxy not an address": {SignIn: SignIn{TrustedProxies: []string{"proxy.example"}}},
	} {
		if err := parse(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestOverlaps(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"films/x", "films/x", true}, {"films/x", "films/x/full", true}, {"films/x/full", "films", true},
		{"films/x", "films/xy", false}, {"films/x", "films/y", false}, {".", "a", true},
	} {
		if got := Overlaps(tc.a, tc.b); got != tc.want {
			t.Errorf("Overlaps(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
