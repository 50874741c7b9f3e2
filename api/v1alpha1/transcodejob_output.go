package v1alpha1

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path"
)

// Hash is a short, stable hash of the spec: it names the TranscodeJob a
// Video makes for a spec, and the folder the ladder is published in.
func (s *TranscodeJobSpec) Hash() string {
	data, err := json.Marshal(s)
	if err != nil {
		panic("marshal TranscodeJobSpec: " + err.Error()) // plain structs always marshal
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:10]
}

// OutputFolder is where the ladder is published on the output claim: a
// folder named by the spec's hash beneath spec.output.volume.path, so a
// published file's path never names other bytes.
func (s *TranscodeJobSpec) OutputFolder() string {
	return path.Join(s.Output.Volume.Path, s.Hash())
}
