package media

import (
	"fmt"
	"math"
)

// Rendition is one requested step of a ladder.
type Rendition struct {
	Name      string `json:"name"`
	Height    int    `json:"height"`
	VideoKbps int    `json:"videoKbps"`
}

// PlannedRendition is a rendition fitted to a source.
type PlannedRendition struct {
	Name      string `json:"name"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	VideoKbps int    `json:"videoKbps"`
	// MaxKbps and BufferKbits bound the rate so that a player's bandwidth
	// estimate holds (capped VBR).
	MaxKbps     int `json:"maxKbps"`
	BufferKbits int `json:"bufferKbits"`
}

// DefaultLadder is used when a Video names none; rungs above the source are
// dropped when the source is known.
func DefaultLadder() []Rendition {
	return []Rendition{
		{Name: "1080p", Height: 1080, VideoKbps: 5000},
		{Name: "720p", Height: 720, VideoKbps: 3000},
		{Name: "480p", Height: 480, VideoKbps: 1400},
		{Name: "360p", Height: 360, VideoKbps: 800},
	}
}

// Plan fits a ladder to a source: renditions taller than the source are
// dropped (never upscale), widths keep the source's display aspect and are
// even. When every rendition is taller than the source, one rendition at the
// source's own height is made instead, its bitrate scaled from the lowest
// requested one by pixel count.
func Plan(src *SourceInfo, ladder []Rendition) (planned []PlannedRendition, dropped []string) {
	aspect := float64(src.Width) / float64(src.Height)
	for _, r := range ladder {
		if r.Height > src.Height {
			dropped = append(dropped, r.Name)
			continue
		}
		planned = append(planned, plan(r.Name, r.Height, r.VideoKbps, aspect))
	}
	if len(planned) == 0 && len(ladder) > 0 {
		lowest := ladder[0]
		for _, r := range ladder[1:] {
			if r.Height < lowest.Height {
				lowest = r
			}
		}
		h := even(src.Height)
		kbps := int(math.Round(float64(lowest.VideoKbps) * float64(h) / float64(lowest.Height)))
		planned = append(planned, plan(fmt.Sprintf("%dp", h), h, max(kbps, 64), aspect))
	}
	return planned, dropped
}

func plan(name string, height, kbps int, aspect float64) PlannedRendition {
	h := even(height)
	return PlannedRendition{
		Name:        name,
		Width:       max(nearestEven(float64(h)*aspect), 2),
		Height:      h,
		VideoKbps:   kbps,
		MaxKbps:     kbps * 107 / 100,
		BufferKbits: kbps * 3 / 2,
	}
}

// even rounds down to an even number of pixels, as H.264 4:2:0 needs: a
// height never grows past the source.
func even(n int) int { return n &^ 1 }

// nearestEven rounds a width to the closest even number of pixels.
func nearestEven(x float64) int { return int(math.Round(x/2)) * 2 }
