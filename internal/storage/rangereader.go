package storage

import (
	"context"
	"errors"
	"io"
)

// RangeReadSeeker is a stored file as an io.ReadSeeker, for
// http.ServeContent and for ffmpeg through a loopback server. Seeks only
// move the position; a Read opens one ranged read from there to the end
// of the file, which later Reads continue, unless a read already open is
// at that position. So a range request becomes one ranged request to the
// store, and nothing is staged.
type RangeReadSeeker struct {
	ctx    context.Context
	reader Reader
	key    string
	size   int64
	pos    int64
	body   io.ReadCloser
	bodyAt int64 // the position of body's next byte
}

// NewRangeReadSeeker reads key, whose size is known (from Stat).
func NewRangeReadSeeker(ctx context.Context, r Reader, key string, size int64) *RangeReadSeeker {
	return &RangeReadSeeker{ctx: ctx, reader: r, key: key, size: size}
}

// Open starts the ranged read at offset now, rather than at the first
// Read, so that a caller can tell a store that does not answer before it
// has promised anything to its own client. Reads from offset use it.
func (s *RangeReadSeeker) Open(offset int64) error {
	s.closeBody()
	if offset >= s.size {
		return nil
	}
	body, err := s.reader.ReadRange(s.ctx, s.key, offset, -1)
	if err != nil {
		return err
	}
	s.body, s.bodyAt = body, offset
	return nil
}

func (s *RangeReadSeeker) Read(p []byte) (int, error) {
	if s.pos >= s.size {
		return 0, io.EOF
	}
	if s.body != nil && s.bodyAt != s.pos {
		s.closeBody()
	}
	if s.body == nil {
		if err := s.Open(s.pos); err != nil {
			return 0, err
		}
	}
	n, err := s.body.Read(p)
	s.pos += int64(n)
	s.bodyAt = s.pos
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
	s.pos = next
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
