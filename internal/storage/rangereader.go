package storage

import (
	"context"
	"errors"
	"io"
)

// RangeReadSeeker is a stored file as an io.ReadSeeker, for
// http.ServeContent and for ffmpeg through a loopback server: a Seek costs
// nothing, and the first Read after it opens one ranged read to the end of
// the file, which later Reads continue. So a player's or ffmpeg's range
// request becomes one ranged request to the store, and nothing is staged.
type RangeReadSeeker struct {
	ctx    context.Context
	reader Reader
	key    string
	size   int64
	pos    int64
	body   io.ReadCloser
}

// NewRangeReadSeeker reads key, whose size is known (from Stat).
func NewRangeReadSeeker(ctx context.Context, r Reader, key string, size int64) *RangeReadSeeker {
	return &RangeReadSeeker{ctx: ctx, reader: r, key: key, size: size}
}

func (s *RangeReadSeeker) Read(p []byte) (int, error) {
	if s.pos >= s.size {
		return 0, io.EOF
	}
	if s.body == nil {
		body, err := s.reader.ReadRange(s.ctx, s.key, s.pos, -1)
		if err != nil {
			return 0, err
		}
		s.body = body
	}
	n, err := s.body.Read(p)
	s.pos += int64(n)
	if errors.Is(err, io.EOF) && s.pos < s.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (s *RangeReadSeeker) Seek(offset int64, whence int) (int64, error) {
	var next int64
	switch whence {
	case io.SeekStart:
		next = offset
	case io.SeekCurrent:
		next = s.pos + offset
	case io.SeekEnd:
		next = s.size + offset
	default:
		return 0, errors.New("seek: bad whence")
	}
	if next < 0 {
		return 0, errors.New("seek: negative position")
	}
	if next != s.pos {
		s.closeBody()
		s.pos = next
	}
	return next, nil
}

// Close ends the read in flight, if any.
func (s *RangeReadSeeker) Close() error {
	s.closeBody()
	return nil
}

func (s *RangeReadSeeker) closeBody() {
	if s.body != nil {
		_ = s.body.Close()
		s.body = nil
	}
}
