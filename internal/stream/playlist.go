package stream

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"os"
)

// playlist is a parsed playlist, split where a token goes: after every URI,
// on its own line or in a URI="..." attribute. Rewriting is then a join.
type playlist struct {
	parts [][]byte
	raw   []byte
}

func parsePlaylist(data []byte) *playlist {
	p := &playlist{raw: data}
	start := 0
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		end := start + len(line)
		trimmed := bytes.TrimRight(line, "\r\n")
		switch {
		case len(trimmed) == 0:
		case trimmed[0] != '#':
			// A URI line: the token goes at its end.
			p.cut(start + len(trimmed))
		default:
			if i := bytes.Index(trimmed, []byte(`URI="`)); i >= 0 {
				if j := bytes.IndexByte(trimmed[i+5:], '"'); j >= 0 {
					p.cut(start + i + 5 + j)
				}
			}
		}
		start = end
	}
	p.parts = append(p.parts, data[p.consumed():])
	return p
}

// cut marks a token position at byte offset at.
func (p *playlist) cut(at int) { p.parts = append(p.parts, p.raw[p.consumed():at]) }

func (p *playlist) consumed() int {
	n := 0
	for _, part := range p.parts {
		n += len(part)
	}
	return n
}

// render joins the parts with "?t=token" (or "&t=" when a URI has a query).
func (p *playlist) render(token string) []byte {
	if token == "" {
		return p.raw
	}
	out := make([]byte, 0, len(p.raw)+(len(p.parts)-1)*(len(token)+3))
	for i, part := range p.parts {
		out = append(out, part...)
		if i == len(p.parts)-1 {
			break
		}
		sep := "?t="
		if lineStart := bytes.LastIndexByte(out, '\n'); bytes.IndexByte(out[lineStart+1:], '?') >= 0 {
			sep = "&t="
		}
		out = append(out, sep...)
		out = append(out, token...)
	}
	return out
}

// servePlaylist answers a playlist, with the viewer's token in every URI
// so that players that send no cookies still work.
func (s *Server) servePlaylist(w http.ResponseWriter, r *http.Request, video *videoEntry, file string, f *os.File, info fs.FileInfo, token string) {
	key := fileKey(video.Key(), file, info)
	cached, ok := s.playlists.Load(key)
	if !ok {
		data, err := io.ReadAll(io.LimitReader(f, 8<<20))
		if err != nil {
			http.Error(w, "read playlist", http.StatusInternalServerError)
			return
		}
		cached, _ = s.playlists.LoadOrStore(key, parsePlaylist(data))
	}
	body := cached.(*playlist).render(token)
	h := w.Header()
	if token != "" {
		// The body carries the viewer's token: never shared, and short.
		h.Set("Cache-Control", "private, max-age=5")
		h.Del("ETag")
	} else {
		h.Set("Cache-Control", "public, max-age=5")
	}
	h.Set("Content-Length", itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
