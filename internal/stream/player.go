package stream

import (
	"embed"
	"html/template"
	"net/http"
	"path"
	"strings"

	"github.com/streamgate-io/streamgate/internal/chain/siwe"
)

//go:embed assets/watch.html assets/hls.min.js
var assets embed.FS

var watchPage = template.Must(template.ParseFS(assets, "assets/watch.html"))

// handleWatch serves the player page of /watch/{namespace}/{name}.
func (s *Server) handleWatch(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/watch/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	video := s.state.Load().videos[parts[0]+"/"+parts[1]]
	if video == nil {
		http.NotFound(w, r)
		return
	}
	title := video.Title
	if title == "" {
		title = video.Name
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; media-src 'self' blob:; img-src 'self'; worker-src 'self' blob:")
	h.Set("X-Content-Type-Options", "nosniff")
	// Playback tokens travel in URLs; a page must not hand them on.
	h.Set("Referrer-Policy", "no-referrer")
	_ = watchPage.Execute(w, map[string]any{"Key": video.Key(), "Title": title, "Public": video.Gate == nil})
}

// serveAsset serves the bundled hls.js.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if name != "hls.min.js" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeFileFS(w, r, assets, "assets/"+name)
}

// handleChecksum writes an address in EIP-55 form (wallets often hand out
// lower case; a sign-in message must carry the checksummed form).
func handleChecksum(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("address")
	if len(addr) != 42 || !strings.HasPrefix(addr, "0x") || strings.Trim(strings.ToLower(addr[2:]), "0123456789abcdef") != "" {
		refuseAddress.write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"address":"` + siwe.ChecksumAddress(addr) + `"}`))
}
