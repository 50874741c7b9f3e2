package catalog

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/streamgate-io/streamgate/internal/gate"
)

// largeCatalog is an endpoint's catalog of n videos in one namespace, each
// behind the same ERC-721 gate, with revisioned outputs: the shape a
// catalog takes at scale.
func largeCatalog(n int) *Catalog {
	g := &Gate{Policy: gate.Policy{Name: "tenant/holders@3", Conditions: []gate.Condition{{
		Standard: gate.ERC721, Contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3"}}},
		Ready: true, Family: "evm", ChainID: "31337", RPCKey: "tenant.holders.rpc"}
	c := &Catalog{TokenTTL: Duration{15 * time.Minute}, SignIn: SignIn{Origins: []string{"https://watch.example.com"}}}
	for i := range n {
		root := fmt.Sprintf("tenant/video-%05d", i)
		c.Videos = append(c.Videos, Video{Namespace: "tenant", Name: fmt.Sprintf("video-%05d", i), Claim: "media",
			Root: root, Revision: "3f9a1c0d2b7e", Playlist: root + "/3f9a1c0d2b7e/master.m3u8", Title: fmt.Sprintf("Episode %d", i), Gate: g})
	}
	return c
}

// BenchmarkCatalogSize reports the size of a 10,000-video catalog as JSON
// and gzipped, against the 1 MiB an object (a ConfigMap) may hold, and
// what loading it costs a streaming pod.
func BenchmarkCatalogSize(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data, err := json.Marshal(largeCatalog(n))
			if err != nil {
				b.Fatal(err)
			}
			var zipped bytes.Buffer
			w := gzip.NewWriter(&zipped)
			_, _ = w.Write(data)
			_ = w.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "json-bytes")
			b.ReportMetric(float64(zipped.Len()), "gzip-bytes")
			b.ReportMetric(float64(len(data))/(1<<20), "json/1MiB")
			b.ReportMetric(float64(zipped.Len())/(1<<20), "gzip/1MiB")
		})
	}
}

// A catalog too large for plain JSON in a ConfigMap is stored gzipped and
// read back the same; one too large even so is refused with a reason that
// says what to do, rather than a ConfigMap write the API server refuses.
func TestLargeCatalogsAreStoredGzippedAndTheLimitIsSaid(t *testing.T) {
	small, compressed, err := Encode(largeCatalog(10))
	if err != nil || compressed || !json.Valid(small) {
		t.Fatalf("10 videos: compressed %v, err %v; want plain JSON", compressed, err)
	}
	large := largeCatalog(10000)
	data, compressed, err := Encode(large)
	if err != nil || !compressed || len(data) > MaxStoredBytes {
		t.Fatalf("10,000 videos: %d bytes, compressed %v, err %v", len(data), compressed, err)
	}
	again, _, _ := Encode(large)
	if !bytes.Equal(data, again) {
		t.Error("the same catalog encoded to different bytes: every reconcile would rewrite it")
	}
	parsed, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed.Videos) != 10000 || parsed.Videos[9999].Playlist != large.Videos[9999].Playlist || !parsed.Videos[0].Gate.Ready {
		t.Errorf("read back %d videos, last %+v", len(parsed.Videos), parsed.Videos[len(parsed.Videos)-1])
	}
	// Titles that do not compress: distinct random text per video.
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range large.Videos {
		title := make([]byte, 200)
		for j := range title {
			title[j] = byte('a' + rnd.IntN(26))
		}
		large.Videos[i].Title = string(title)
	}
	if _, _, err := Encode(large); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10000 videos") {
		t.Errorf("an incompressible 10,000-video catalog: %v, want ErrTooLarge naming the count", err)
	}
}

// A stored catalog cannot unpack to an unbounded size.
func TestGzipBombIsRefused(t *testing.T) {
	var zipped bytes.Buffer
	w, _ := gzip.NewWriterLevel(&zipped, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range (maxLoadedBytes >> 20) + 1 {
		_, _ = w.Write(zeros)
	}
	_ = w.Close()
	if _, err := Parse(zipped.Bytes()); err == nil || !strings.Contains(err.Error(), "unpacks to more than") {
		t.Errorf("a catalog unpacking past %d bytes: %v", maxLoadedBytes, err)
	}
}

// overlappingPairs is the definition: every pair compared.
func overlappingPairs(videos []Video) map[string]bool {
	out := map[string]bool{}
	for i := range videos {
		for j := i + 1; j < len(videos); j++ {
			if videos[i].Claim == videos[j].Claim && Overlaps(videos[i].Dir(), videos[j].Dir()) {
				out[videos[i].Key()], out[videos[j].Key()] = true, true
			}
		}
	}
	return out
}

// The sweep marks exactly the videos the pairwise definition marks, and
// each with a video it really overlaps.
func TestOverlappingVideosMatchesEveryPairCompared(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	segments := []string{"a", "b", "a-b", "a.b", "ab", "c"}
	for round := range 300 {
		var videos []Video
		for i := range 2 + rnd.IntN(12) {
			depth := rnd.IntN(4)
			var parts []string
			for range depth {
				parts = append(parts, segments[rnd.IntN(len(segments))])
			}
			dir := strings.Join(parts, "/")
			if dir == "" {
				dir = "."
			}
			videos = append(videos, Video{Namespace: "ns", Name: fmt.Sprintf("v%d", i), Claim: []string{"m", "n"}[rnd.IntN(2)],
				Playlist: path.Join(dir, "master.m3u8")})
		}
		want := overlappingPairs(videos)
		got := OverlappingVideos(videos)
		byKey := map[string]Video{}
		for _, v := range videos {
			byKey[v.Key()] = v
		}
		for key := range want {
			if _, ok := got[key]; !ok {
				t.Fatalf("round %d: %s overlaps another but is not named; videos %+v", round, key, videos)
			}
		}
		for key, other := range got {
			a, b := byKey[key], byKey[other]
			if !want[key] || key == other || a.Claim != b.Claim || !Overlaps(a.Dir(), b.Dir()) {
				t.Fatalf("round %d: %s named with %s, which it does not overlap; videos %+v", round, key, other, videos)
			}
		}
	}
}

// BenchmarkOverlappingVideos: a 10,000-video catalog, checked by serve on
// every reload and by the operator on every catalog it builds.
func BenchmarkOverlappingVideos(b *testing.B) {
	videos := largeCatalog(10000).Videos
	b.Run("sweep", func(b *testing.B) {
		for range b.N {
			if len(OverlappingVideos(videos)) != 0 {
				b.Fatal("overlaps")
			}
		}
	})
	b.Run("every-pair", func(b *testing.B) {
		for range b.N {
			if len(overlappingPairs(videos)) != 0 {
				b.Fatal("overlaps")
			}
		}
	})
}
