package stream

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// playlist is a parsed playlist, split where a token goes: after every URI,
// on its own line or in a URI="..." attribute. Rewriting is then a join.
type playlist struct {
	parts [][]byte
	seps  []string // "?t=" or "&t=", one per cut
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
func (p *playlist) cut(at int) {
	part := p.raw[p.consumed():at]
	p.parts = append(p.parts, part)
	sep := "?t="
	if line := part[bytes.LastIndexByte(part, '\n')+1:]; bytes.IndexByte(line, '?') >= 0 {
		sep = "&t="
	}
	p.seps = append(p.seps, sep)
}

func (p *playlist) consumed() int {
	n := 0
	for _, part := range p.parts {
		n += len(part)
	}
	return n
}

// length is the size of the playlist rendered with token.
func (p *playlist) length(token string) int {
	if token == "" {
		return len(p.raw)
	}
	return len(p.raw) + (len(p.parts)-1)*(len(token)+3)
}

// writeTo writes the playlist with "?t=token" (or "&t=" after a URI that
// already has a query) after every URI, part by part: no copy of the body.
func (p *playlist) writeTo(w io.Writer, token string) {
	if token == "" {
		_, _ = w.Write(p.raw)
		return
	}
	for i, part := range p.parts {
		_, _ = w.Write(part)
		if i == len(p.parts)-1 {
			break
		}
		_, _ = io.WriteString(w, p.seps[i])
		_, _ = io.WriteString(w, token)
	}
}

// render returns the playlist with token, for tests.
func (p *playlist) render(token string) []byte {
	var b bytes.Buffer
	p.writeTo(&b, token)
	return b.Bytes()
}

// cachedPlaylist is a parsed playlist and when its file was last checked.
type cachedPlaylist struct {
	*playlist
	size    int64
	modTime time.Time
	checked time.Time
}

// maxPlaylists bounds the parsed playlists kept in memory (a few KiB each).
const maxPlaylists = 4096

// playlistRecheck bounds how stale a cached playlist may be. Published
// playlists only change when a new ladder is swapped in, and players
// re-read them at most every few seconds anyway.
const playlistRecheck = time.Second

// servePlaylist answers a playlist, with the viewer's token in every URI
// so that players that send no cookies still work. Parsed playlists are
// kept in memory and checked against the file at most once a second.
func (s *Server) servePlaylist(w http.ResponseWriter, r *http.Request, video *videoEntry, file, prefix, token string) {
	path := file
	cacheKey := video.Place() + "\x00" + video.dir + "/" + file + "\x00" + prefix
	now := s.now()
	entry, _ := s.playlists.Get(cacheKey, now)
	if entry == nil || now.Sub(entry.checked) > playlistRecheck {
		var fresh *cachedPlaylist
		var err error
		if video.store != nil {
			fresh, err = s.loadStoredPlaylist(r.Context(), video, path, prefix, now)
		} else {
			fresh, err = s.loadPlaylist(video, path, prefix, entry, now)
		}
		if err != nil {
			if video.store != nil {
				s.storeFailure(w, r, video, err)
				return
			}
			http.NotFound(w, r)
			return
		}
		entry = fresh
		s.playlists.Add(cacheKey, entry, time.Time{}, now)
	}
	h := w.Header()
	h["Content-Type"] = contentTypePlaylist
	if token != "" {
		// The body carries the viewer's token: never shared, and short.
		h["Cache-Control"] = cachePrivateShort
	} else {
		h["Cache-Control"] = cachePublicShort
	}
	h["Content-Length"] = []string{strconv.Itoa(entry.length(token))}
	if r.Method == http.MethodHead {
		return
	}
	// One Write: each ResponseWriter.Write has a cost of its own.
	buf := bodyBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	entry.writeTo(buf, token)
	_, _ = w.Write(buf.Bytes())
	if buf.Cap() <= 64<<10 {
		bodyBuffers.Put(buf)
	}
}

var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var (
	contentTypePlaylist = []string{"application/vnd.apple.mpegurl"}
	cachePrivateShort   = []string{"private, max-age=5"}
	cachePublicShort    = []string{"public, max-age=5"}
)

func (s *Server) loadPlaylist(video *videoEntry, path, prefix string, previous *cachedPlaylist, now time.Time) (*cachedPlaylist, error) {
	f, err := video.open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	if previous != nil && previous.size == info.Size() && previous.modTime.Equal(info.ModTime()) {
		return &cachedPlaylist{playlist: previous.playlist, size: previous.size, modTime: previous.modTime, checked: now}, nil
	}
	data, err := io.ReadAll(io.LimitReader(f, 8<<20))
	if err != nil {
		return nil, err
	}
	if prefix != "" {
		data = prefixURIs(data, prefix)
	}
	return &cachedPlaylist{playlist: parsePlaylist(data), size: info.Size(), modTime: info.ModTime(), checked: now}, nil
}

// loadStoredPlaylist reads a playlist of a stored video. Its key names an
// immutable ladder, so the parsed copy never needs a recheck; the cache
// entry's checked time is kept current so it is not reread.
func (s *Server) loadStoredPlaylist(ctx context.Context, video *videoEntry, file, prefix string, now time.Time) (*cachedPlaylist, error) {
	data, info, ok, err := s.readStored(ctx, video, file)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fs.ErrNotExist // a playlist over 16 MiB is not one
	}
	if prefix != "" {
		data = prefixURIs(data, prefix)
	}
	return &cachedPlaylist{playlist: parsePlaylist(data), size: info.Size, modTime: info.ModTime, checked: now.Add(immutableRecheck)}, nil
}

// immutableRecheck: a stored ladder's playlist never changes, so its
// parsed copy is taken as checked far ahead.
const immutableRecheck = 24 * time.Hour

// prefixURIs puts prefix before every relative URI of a playlist: on URI
// lines and in URI="..." attributes. Absolute URIs and paths are kept.
func prefixURIs(data []byte, prefix string) []byte {
	var out bytes.Buffer
	out.Grow(len(data) + 16*len(prefix))
	relative := func(uri []byte) bool {
		return len(uri) > 0 && uri[0] != '/' && !bytes.Contains(uri, []byte("://"))
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		trimmed := bytes.TrimRight(line, "\r\n")
		switch {
		case len(trimmed) == 0:
		case trimmed[0] != '#':
			if relative(trimmed) {
				out.WriteString(prefix)
			}
		default:
			if i := bytes.Index(line, []byte(`URI="`)); i >= 0 && relative(line[i+5:]) {
				out.Write(line[:i+5])
				out.WriteString(prefix)
				line = line[i+5:]
			}
		}
		out.Write(line)
	}
	return out.Bytes()
}
