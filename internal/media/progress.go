package media

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadProgress reads ffmpeg's `-progress` key=value stream and calls report
// with the percent of durationSeconds done, once per update block and only
// when the percent grew. It returns when r ends.
func ReadProgress(r io.Reader, durationSeconds float64, report func(percent int)) {
	scanner := bufio.NewScanner(r)
	last := -1
	var outSeconds float64
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), "=")
		if !ok {
			continue
		}
		switch key {
		case "out_time_us", "out_time_ms": // both are microseconds, for historical reasons
			if us, err := strconv.ParseInt(value, 10, 64); err == nil && us > 0 {
				outSeconds = float64(us) / 1e6
			}
		case "progress":
			percent := 100
			if value != "end" {
				percent = progressPercent(outSeconds, durationSeconds)
			}
			if percent > last {
				last = percent
				report(percent)
			}
		}
	}
}

// progressPercent never says 100 before ffmpeg says it is done.
func progressPercent(done, total float64) int {
	if total <= 0 {
		return 0
	}
	p := int(math.Floor(done / total * 100))
	return min(max(p, 0), 99)
}
