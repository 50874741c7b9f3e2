package media

import (
	"encoding/json"
	"fmt"
)

// maxSummaryBytes is what Kubernetes keeps of a container's termination
// message.
const maxSummaryBytes = 4096

// Summary is what the transcode worker leaves in its termination message for
// the operator: the published ladder, or why it failed.
type Summary struct {
	MasterPlaylist  string            `json:"masterPlaylist,omitempty"`
	CID             string            `json:"cid,omitempty"`
	DurationSeconds float64           `json:"durationSeconds,omitempty"`
	Renditions      []RenditionResult `json:"renditions,omitempty"`
	Dropped         []string          `json:"dropped,omitempty"`

	Reason    Reason `json:"reason,omitempty"`
	Message   string `json:"message,omitempty"`
	Retriable bool   `json:"retriable,omitempty"`
}

// Failed tells whether the summary reports a failure.
func (s *Summary) Failed() bool { return s.Reason != "" }

// SummaryOf summarises a transcode's outcome.
func SummaryOf(res *Result, err error) Summary {
	if err != nil {
		e := AsError(err)
		return Summary{Reason: e.Reason, Message: e.Detail(), Retriable: e.Retriable}
	}
	return Summary{MasterPlaylist: res.MasterPlaylist, CID: res.CID, DurationSeconds: res.DurationSeconds,
		Renditions: res.Renditions, Dropped: res.Dropped}
}

// Marshal encodes the summary in at most 4096 bytes, shortening the message
// when needed.
func (s Summary) Marshal() []byte {
	data, _ := json.Marshal(s)
	for len(data) > maxSummaryBytes && len(s.Message) > 0 {
		cut := max(len(s.Message)-(len(data)-maxSummaryBytes)-16, 0)
		s.Message = s.Message[:cut] + "…"
		data, _ = json.Marshal(s)
	}
	return data
}

// ParseSummary reads a termination message.
func ParseSummary(data []byte) (*Summary, error) {
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("parse transcode summary: %w", err)
	}
	return &s, nil
}
