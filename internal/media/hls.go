package media

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Variant is one #EXT-X-STREAM-INF entry of a master playlist.
type Variant struct {
	URI        string
	Bandwidth  int64
	Width      int
	Height     int
	Codecs     string
	Attributes string
}

// MediaPlaylist is a parsed variant playlist.
type MediaPlaylist struct {
	TargetDuration int
	InitURI        string
	Segments       []Segment
	Ended          bool
}

// Segment is one media segment of a variant playlist.
type Segment struct {
	URI      string
	Duration float64
}

// Duration is the sum of the segments' durations.
func (p *MediaPlaylist) Duration() float64 {
	var d float64
	for _, s := range p.Segments {
		d += s.Duration
	}
	return d
}

// Master is a parsed master playlist.
type Master struct {
	Variants []Variant
	// Alternates are #EXT-X-MEDIA renditions with a URI (an audio group).
	Alternates []Alternate
}

// Alternate is an #EXT-X-MEDIA rendition.
type Alternate struct {
	Type    string
	GroupID string
	Name    string
	URI     string
}

// ParseMaster parses an HLS master playlist.
func ParseMaster(data []byte) (*Master, error) {
	scanner := bufio.NewScanner(bytes.NewReader(data))
	if !scanner.Scan() || strings.TrimSpace(scanner.Text()) != "#EXTM3U" {
		return nil, fmt.Errorf("not an HLS playlist: no #EXTM3U header")
	}
	master := &Master{}
	var pending *Variant
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "#EXT-X-MEDIA:"):
			attrs := parseAttributes(strings.TrimPrefix(line, "#EXT-X-MEDIA:"))
			if attrs["URI"] != "" {
				master.Alternates = append(master.Alternates, Alternate{Type: attrs["TYPE"], GroupID: attrs["GROUP-ID"], Name: attrs["NAME"], URI: attrs["URI"]})
			}
		case strings.HasPrefix(line, "#EXT-X-STREAM-INF:"):
			attrs := strings.TrimPrefix(line, "#EXT-X-STREAM-INF:")
			v := Variant{Attributes: attrs}
			for key, value := range parseAttributes(attrs) {
				switch key {
				case "BANDWIDTH":
					v.Bandwidth, _ = strconv.ParseInt(value, 10, 64)
				case "RESOLUTION":
					w, h, _ := strings.Cut(value, "x")
					v.Width, _ = strconv.Atoi(w)
					v.Height, _ = strconv.Atoi(h)
				case "CODECS":
					v.Codecs = value
				}
			}
			if v.Bandwidth <= 0 {
				return nil, fmt.Errorf("#EXT-X-STREAM-INF without BANDWIDTH: %q", line)
			}
			pending = &v
		case strings.HasPrefix(line, "#"):
		default:
			if pending == nil {
				return nil, fmt.Errorf("URI %q without #EXT-X-STREAM-INF", line)
			}
			pending.URI = line
			master.Variants = append(master.Variants, *pending)
			pending = nil
		}
	}
	if len(master.Variants) == 0 {
		return nil, fmt.Errorf("master playlist lists no variants")
	}
	return master, scanner.Err()
}

// dropAudioOnlyVariants removes the #EXT-X-STREAM-INF entries without a
// picture that ffmpeg adds for an audio group: the audio is reached through
// #EXT-X-MEDIA, and a player must never switch to a variant with no video.
func dropAudioOnlyVariants(dir string) error {
	file := filepath.Join(dir, MasterPlaylistName)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "#EXT-X-STREAM-INF:") && !strings.Contains(line, "RESOLUTION=") {
			i++ // and its URI line
			continue
		}
		out = append(out, line)
	}
	return os.WriteFile(file, []byte(strings.Join(out, "\n")), 0o644)
}

// ParseMedia parses an HLS media (variant) playlist.
func ParseMedia(data []byte) (*MediaPlaylist, error) {
	scanner := bufio.NewScanner(bytes.NewReader(data))
	if !scanner.Scan() || strings.TrimSpace(scanner.Text()) != "#EXTM3U" {
		return nil, fmt.Errorf("not an HLS playlist: no #EXTM3U header")
	}
	p := &MediaPlaylist{}
	duration := -1.0
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "#EXT-X-TARGETDURATION:"):
			p.TargetDuration, _ = strconv.Atoi(strings.TrimPrefix(line, "#EXT-X-TARGETDURATION:"))
		case strings.HasPrefix(line, "#EXT-X-MAP:"):
			p.InitURI = parseAttributes(strings.TrimPrefix(line, "#EXT-X-MAP:"))["URI"]
		case strings.HasPrefix(line, "#EXTINF:"):
			value, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			d, err := strconv.ParseFloat(value, 64)
			if err != nil || d < 0 {
				return nil, fmt.Errorf("bad #EXTINF %q", line)
			}
			duration = d
		case line == "#EXT-X-ENDLIST":
			p.Ended = true
		case strings.HasPrefix(line, "#"):
		default:
			if duration < 0 {
				return nil, fmt.Errorf("segment %q without #EXTINF", line)
			}
			p.Segments = append(p.Segments, Segment{URI: line, Duration: duration})
			duration = -1
		}
	}
	return p, scanner.Err()
}

// parseAttributes reads an HLS attribute list: KEY=VALUE,KEY="QUOTED,VALUE".
func parseAttributes(s string) map[string]string {
	attrs := map[string]string{}
	for s != "" {
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				value, rest = rest[1:], ""
			} else {
				value, rest = rest[1:end+1], rest[end+2:]
			}
			rest = strings.TrimPrefix(rest, ",")
		} else {
			value, rest, _ = strings.Cut(rest, ",")
		}
		attrs[strings.TrimSpace(key)] = value
		s = rest
	}
	return attrs
}

// CheckedVariant is a variant whose files were all found.
type CheckedVariant struct {
	Variant
	Name     string
	Duration float64
	Segments int
}

// CheckLadder reads the ladder in dir and checks that the master playlist
// parses, that every variant playlist is complete and every file it names
// exists and is not empty, and that each variant lasts as long as the source
// within one segment.
func CheckLadder(dir string, wantDuration float64, segmentSeconds int) ([]CheckedVariant, error) {
	master, err := os.ReadFile(filepath.Join(dir, MasterPlaylistName))
	if err != nil {
		return nil, fmt.Errorf("read master playlist: %w", err)
	}
	parsed, err := ParseMaster(master)
	if err != nil {
		return nil, fmt.Errorf("master playlist: %w", err)
	}
	playlists := parsed.Variants
	for _, alt := range parsed.Alternates {
		playlists = append(playlists, Variant{URI: alt.URI})
	}
	var checked []CheckedVariant
	for _, v := range playlists {
		if !localURI(v.URI) {
			return nil, fmt.Errorf("variant URI %q leaves the ladder folder", v.URI)
		}
		data, err := os.ReadFile(filepath.Join(dir, v.URI))
		if err != nil {
			return nil, fmt.Errorf("variant %s: %w", v.URI, err)
		}
		media, err := ParseMedia(data)
		if err != nil {
			return nil, fmt.Errorf("variant %s: %w", v.URI, err)
		}
		if !media.Ended {
			return nil, fmt.Errorf("variant %s has no #EXT-X-ENDLIST", v.URI)
		}
		if len(media.Segments) == 0 {
			return nil, fmt.Errorf("variant %s has no segments", v.URI)
		}
		base := path.Dir(v.URI)
		files := []string{}
		if media.InitURI != "" {
			files = append(files, media.InitURI)
		}
		for _, s := range media.Segments {
			files = append(files, s.URI)
		}
		for _, f := range files {
			if !localURI(f) {
				return nil, fmt.Errorf("variant %s names %q outside its folder", v.URI, f)
			}
			st, err := os.Stat(filepath.Join(dir, base, f))
			if err != nil {
				return nil, fmt.Errorf("variant %s: %w", v.URI, err)
			}
			if st.Size() == 0 {
				return nil, fmt.Errorf("variant %s: %s is empty", v.URI, f)
			}
		}
		if d := media.Duration(); math.Abs(d-wantDuration) > float64(segmentSeconds) {
			return nil, fmt.Errorf("variant %s lasts %.2fs, the source %.2fs", v.URI, d, wantDuration)
		}
		if v.Bandwidth > 0 { // a video variant, not the audio rendition
			checked = append(checked, CheckedVariant{Variant: v, Name: base, Duration: media.Duration(), Segments: len(media.Segments)})
		}
	}
	return checked, nil
}

func localURI(uri string) bool {
	if uri == "" || strings.Contains(uri, "://") || strings.HasPrefix(uri, "/") {
		return false
	}
	for _, part := range strings.Split(uri, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}
