// Package catalog is the file a StreamEndpoint's controller writes into a
// ConfigMap and its streaming pods read: which videos to serve, from where,
// behind which gate. It knows nothing of Kubernetes.
package catalog

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/streamgate-io/streamgate/internal/gate"
)

// FileName is the catalog's name in its ConfigMap and mount.
const FileName = "catalog.json"

// Catalog is everything a streaming pod serves.
type Catalog struct {
	// TokenTTL is how long a playback token lives.
	TokenTTL Duration `json:"tokenTTL"`
	// AllowedOrigins may call the endpoint from a browser (CORS).
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
	Videos         []Video  `json:"videos"`
}

// Video is one servable video.
type Video struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Claim is the PersistentVolumeClaim holding the ladder, mounted under
	// the claims root by its name; Playlist is the master playlist's path
	// in it.
	Claim    string `json:"claim"`
	Playlist string `json:"playlist"`
	Title    string `json:"title,omitempty"`
	// Gate is nil for a public video.
	Gate *Gate `json:"gate,omitempty"`
}

// Gate is a resolved NFTGate.
type Gate struct {
	gate.Policy
	// Ready is false when the NFTGate is not usable; the video is then
	// refused (503) rather than served without its gate.
	Ready  bool   `json:"ready"`
	Reason string `json:"reason,omitempty"`
	// Family is "evm" or "solana"; ChainID is the EVM chain id or the
	// Solana network, as a sign-in message states it.
	Family  string `json:"family"`
	ChainID string `json:"chainId"`
	// RPCKey names the file in the endpoint's Secret that holds the RPC URL.
	RPCKey string `json:"rpcKey"`
	// IndexerURL, when set, answers holdings instead of the RPC node.
	IndexerURL string `json:"indexerURL,omitempty"`
}

// Key is "namespace/name", how URLs and tokens name a video.
func (v *Video) Key() string { return v.Namespace + "/" + v.Name }

// Dir is the video's folder on its claim.
func (v *Video) Dir() string { return path.Dir(v.Playlist) }

// Load reads and checks a catalog file.
func Load(file string) (*Catalog, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	return Parse(data)
}

// Parse checks a catalog: no video may name a path outside its claim.
func Parse(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	for _, v := range c.Videos {
		clean := path.Clean(v.Playlist)
		if v.Claim == "" || strings.Contains(v.Claim, "/") || clean != v.Playlist || strings.HasPrefix(clean, "/") ||
			clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, fmt.Errorf("catalog: video %s has a bad location %q on %q", v.Key(), v.Playlist, v.Claim)
		}
	}
	if c.TokenTTL.Duration <= 0 {
		c.TokenTTL.Duration = 10 * time.Minute
	}
	return &c, nil
}

// Duration is a time.Duration written as "10m0s".
type Duration struct{ time.Duration }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	d.Duration = v
	return err
}
