// Package catalog is the file a StreamEndpoint's controller writes into a
// ConfigMap and its streaming pods read: which videos to serve, from where,
// behind which gate. It knows nothing of Kubernetes.
package catalog

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/streamgate-io/streamgate/internal/chain/siwe"
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
	// SignIn is where and how fast viewers may sign in.
	SignIn SignIn  `json:"signIn"`
	Videos []Video `json:"videos"`
}

// SignIn configures wallet sign-in.
type SignIn struct {
	// Origins are the public origins (scheme://host[:port]) the endpoint is
	// served under: a sign-in message must be for one of them. None: gated
	// videos refuse sign-in.
	Origins []string `json:"origins,omitempty"`
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For is
	// believed when telling clients apart.
	TrustedProxies []string `json:"trustedProxies,omitempty"`
	// PerClientPerMinute bounds /auth/* requests of one client address;
	// PerWalletPerMinute bounds sign-ins of one wallet. 0: the default.
	PerClientPerMinute int `json:"perClientPerMinute,omitempty"`
	PerWalletPerMinute int `json:"perWalletPerMinute,omitempty"`
}

// Rate limits when the StreamEndpoint sets none.
const (
	DefaultPerClientPerMinute = 120
	DefaultPerWalletPerMinute = 20
)

// ParsedOrigins are the sign-in origins, checked and canonical.
func (s SignIn) ParsedOrigins() ([]siwe.Origin, error) {
	var out []siwe.Origin
	for _, o := range s.Origins {
		parsed, err := siwe.ParseOrigin(o)
		if err != nil {
			return nil, err
		}
		out = append(out, parsed)
	}
	return out, nil
}

// ParsedProxies are the trusted proxies as prefixes.
func (s SignIn) ParsedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range s.TrustedProxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR", p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, prefix.Masked())
	}
	return out, nil
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
	// Root and Revision, when set, are the Video's output folder and the
	// folder beneath it that holds the current ladder (Playlist is
	// Root/Revision/master.m3u8). Every revision under Root is servable: a
	// player that loaded the previous master finishes on its segments.
	Root     string `json:"root,omitempty"`
	Revision string `json:"revision,omitempty"`
	Title    string `json:"title,omitempty"`
	// Store, when set, holds the ladder instead of a claim (Claim is then
	// empty): Root, Revision and Playlist are keys in its bucket, or, in
	// IPFS, Playlist is CID/master.m3u8.
	Store *Store `json:"store,omitempty"`
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

// Store kinds.
const (
	StoreS3   = "s3"
	StoreIPFS = "ipfs"
)

// Store is an object store bucket or an IPFS node that holds ladders.
type Store struct {
	Kind string `json:"kind"`
	// S3: the bucket and how to reach it. CredentialsKey names the files
	// <key>.accessKeyID and <key>.secretAccessKey in the endpoint's Secret.
	Endpoint       string `json:"endpoint,omitempty"`
	Region         string `json:"region,omitempty"`
	PathStyle      bool   `json:"pathStyle,omitempty"`
	Bucket         string `json:"bucket,omitempty"`
	CredentialsKey string `json:"credentialsKey,omitempty"`
	// PublicBaseURL serves the same keys to anyone (a CDN): a public
	// video's segments are redirected there.
	PublicBaseURL string `json:"publicBaseURL,omitempty"`
	// IPFS: reads go through the gateway when set, else the RPC API.
	API     string `json:"api,omitempty"`
	Gateway string `json:"gateway,omitempty"`
}

// ID names the store: videos in one store may overlap, videos in two
// cannot.
func (s *Store) ID() string {
	if s.Kind == StoreIPFS {
		return "ipfs " + s.Gateway + " " + s.API
	}
	return "s3 " + s.Endpoint + " " + s.Bucket
}

// Place is the claim or store that holds the video's files.
func (v *Video) Place() string {
	if v.Store != nil {
		return v.Store.ID()
	}
	return v.Claim
}

// Key is "namespace/name", how URLs and tokens name a video.
func (v *Video) Key() string { return v.Namespace + "/" + v.Name }

// Dir is the video's folder on its claim: what its URLs may reach.
func (v *Video) Dir() string {
	if v.Root != "" {
		return v.Root
	}
	return path.Dir(v.Playlist)
}

// OverlappingVideos names, for each video whose folder is, holds or lies in
// another's on the same claim, one such other video ("namespace/name").
// The operator leaves such videos out of a catalog and serve refuses them:
// a request for one would read the other's files.
//
// It sorts the folders so that each lies right after its ancestors, then
// sweeps with the chain of open ancestors: O(n log n), where comparing
// every pair took seconds for a 10,000-video catalog.
func OverlappingVideos(videos []Video) map[string]string {
	type folder struct {
		claim, prefix string // prefix: the folder with a trailing "/"; "" for the claim's root
		key           string
	}
	folders := make([]folder, len(videos))
	for i := range videos {
		dir := path.Clean(videos[i].Dir())
		prefix := dir + "/"
		if dir == "." || dir == "/" {
			prefix = ""
		}
		folders[i] = folder{claim: videos[i].Place(), prefix: prefix, key: videos[i].Key()}
	}
	sort.Slice(folders, func(i, j int) bool {
		if folders[i].claim != folders[j].claim {
			return folders[i].claim < folders[j].claim
		}
		return folders[i].prefix < folders[j].prefix
	})
	out := map[string]string{}
	var open []folder // ancestors of the current folder, outermost first
	for _, f := range folders {
		for len(open) > 0 {
			top := open[len(open)-1]
			if top.claim == f.claim && strings.HasPrefix(f.prefix, top.prefix) {
				break
			}
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			top := open[len(open)-1]
			out[f.key], out[top.key] = top.key, f.key
		}
		open = append(open, f)
	}
	return out
}

// Overlaps reports whether two folders of one claim are the same or one
// holds the other: a request for one video could then read the other's
// files.
func Overlaps(a, b string) bool {
	a, b = path.Clean(a), path.Clean(b)
	return a == b || a == "." || b == "." || strings.HasPrefix(a, b+"/") || strings.HasPrefix(b, a+"/")
}

// Load reads and checks a catalog file; revision is its Revision.
func Load(file string) (cat *Catalog, revision string, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("read catalog: %w", err)
	}
	cat, err = Parse(data)
	return cat, Revision(data), err
}

// A catalog lives in one ConfigMap, and an object may hold 1 MiB in all.
const (
	// InlineBytes is the largest catalog kept as readable JSON; a larger
	// one is stored gzipped (a 10,000-video catalog is about 4 MB of JSON
	// and 110 KB gzipped).
	InlineBytes = 256 << 10
	// MaxStoredBytes leaves room under 1 MiB for the object's metadata.
	MaxStoredBytes = 960 << 10
	// maxLoadedBytes bounds what a stored catalog may unpack to.
	maxLoadedBytes = 256 << 20
)

// ErrTooLarge is a catalog that does not fit one object even gzipped.
var ErrTooLarge = errors.New("catalog too large")

// Encode is the catalog as stored: JSON, gzipped when larger than
// InlineBytes (then compressed is true). The same catalog always encodes
// to the same bytes, so an unchanged catalog is never rewritten.
func Encode(c *Catalog) (data []byte, compressed bool, err error) {
	data, err = json.Marshal(c)
	if err != nil {
		return nil, false, fmt.Errorf("encode catalog: %w", err)
	}
	if len(data) <= InlineBytes {
		return data, false, nil
	}
	var zipped bytes.Buffer
	w, err := gzip.NewWriterLevel(&zipped, gzip.BestCompression)
	if err != nil {
		return nil, false, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, false, fmt.Errorf("compress catalog: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, false, fmt.Errorf("compress catalog: %w", err)
	}
	if zipped.Len() > MaxStoredBytes {
		return nil, false, fmt.Errorf("%w: %d videos make %d bytes gzipped, over the %d a ConfigMap can hold; split them over several StreamEndpoints with spec.selector",
			ErrTooLarge, len(c.Videos), zipped.Len(), MaxStoredBytes)
	}
	return zipped.Bytes(), true, nil
}

// decompress unpacks a gzipped catalog; plain JSON is returned as is.
func decompress(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(r, maxLoadedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if len(out) > maxLoadedBytes {
		return nil, fmt.Errorf("catalog: unpacks to more than %d bytes", maxLoadedBytes)
	}
	return out, nil
}

// revisionRE: a revision is one path segment, the hash of a spec.
var revisionRE = regexp.MustCompile(`^[0-9a-f]{6,64}$`)

// claimNameRE: a PersistentVolumeClaim name is a DNS-1123 subdomain, so
// never ".", "..", empty or anything with a slash.
var claimNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// Parse checks a catalog, plain or as Encode stored it: no video may name a path outside its claim, and
// the sign-in settings must be usable.
func Parse(data []byte) (*Catalog, error) {
	data, err := decompress(data)
	if err != nil {
		return nil, err
	}
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	for _, v := range c.Videos {
		if v.Root != "" && (!revisionRE.MatchString(v.Revision) || v.Playlist != path.Join(v.Root, v.Revision, "master.m3u8")) {
			return nil, fmt.Errorf("catalog: video %s has revision %q of %q, but its playlist is %q", v.Key(), v.Revision, v.Root, v.Playlist)
		}
		if err := v.Store.check(); err != nil {
			return nil, fmt.Errorf("catalog: video %s: %w", v.Key(), err)
		}
		clean := path.Clean(v.Playlist)
		placeOK := v.Store != nil && v.Claim == "" || v.Store == nil && len(v.Claim) <= 253 && claimNameRE.MatchString(v.Claim)
		if !placeOK || clean != v.Playlist || strings.HasPrefix(clean, "/") ||
			clean == ".." || strings.HasPrefix(clean, "../") || path.Dir(clean) == "." {
			return nil, fmt.Errorf("catalog: video %s has a bad location %q on %q", v.Key(), v.Playlist, v.Claim)
		}
	}
	if _, err := c.SignIn.ParsedOrigins(); err != nil {
		return nil, fmt.Errorf("catalog: sign-in origin: %w", err)
	}
	if _, err := c.SignIn.ParsedProxies(); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if c.SignIn.PerClientPerMinute <= 0 {
		c.SignIn.PerClientPerMinute = DefaultPerClientPerMinute
	}
	if c.SignIn.PerWalletPerMinute <= 0 {
		c.SignIn.PerWalletPerMinute = DefaultPerWalletPerMinute
	}
	if c.TokenTTL.Duration <= 0 {
		c.TokenTTL.Duration = 10 * time.Minute
	}
	return &c, nil
}

// credentialsKeyRE: a key of the endpoint's Secret, a file name.
var credentialsKeyRE = regexp.MustCompile(`^[a-zA-Z0-9][-._a-zA-Z0-9]{0,200}$`)

// check refuses a store serve could not use safely; nil is a claim.
func (s *Store) check() error {
	if s == nil {
		return nil
	}
	switch s.Kind {
	case StoreS3:
		if s.Endpoint == "" || s.Bucket == "" || !credentialsKeyRE.MatchString(s.CredentialsKey) {
			return fmt.Errorf("an s3 store needs an endpoint, a bucket and a credentials key")
		}
	case StoreIPFS:
		if s.API == "" && s.Gateway == "" {
			return fmt.Errorf("an ipfs store needs an API or a gateway")
		}
	default:
		return fmt.Errorf("unknown store kind %q", s.Kind)
	}
	return nil
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

// StorageHealthPath is where a streaming pod, on its metrics port, says
// whether it reaches the stores its videos are in; the StreamEndpoint
// controller asks each pod and reports the answers in a condition.
const StorageHealthPath = "/storagez"

// StorageHealth is a streaming pod's answer at StorageHealthPath.
type StorageHealth struct {
	Stores []StoreHealth `json:"stores"`
	// Catalog is the Revision of the catalog the pod serves: the
	// controller holds the endpoint not Ready until every pod that answers
	// serves the catalog it wrote (a kubelet refreshes a mounted ConfigMap
	// a moment after it changes).
	Catalog string `json:"catalog,omitempty"`
}

// Revision names a stored catalog (the bytes Encode made, as mounted).
func Revision(stored []byte) string {
	sum := sha256.Sum256(stored)
	return hex.EncodeToString(sum[:8])
}

// StoreHealth is the last check of one store by one pod.
type StoreHealth struct {
	// Kind is StoreS3 or StoreIPFS; Store is the store's ID (endpoint and
	// bucket, or the IPFS URLs: nothing secret).
	Kind      string `json:"kind"`
	Store     string `json:"store"`
	Reachable bool   `json:"reachable"`
	// Reason is a word from the storage package's fixed vocabulary
	// (CredentialsRefused, BucketNotFound, StorageUnreachable, ...).
	Reason    string    `json:"reason,omitempty"`
	CheckedAt time.Time `json:"checkedAt"`
}
