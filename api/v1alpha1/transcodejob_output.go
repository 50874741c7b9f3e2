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

// OutputFolder is where the ladder is published: a folder named by the
// spec's hash beneath spec.output.volume.path on the claim, or beneath
// spec.output.objectStore.prefix in the bucket, so a published file's path
// never names other bytes. An IPFS output has none: its CID is its name.
func (s *TranscodeJobSpec) OutputFolder() string {
	switch o := s.Output; {
	case o.Volume != nil:
		return path.Join(o.Volume.Path, s.Hash())
	case o.ObjectStore != nil:
		return path.Join(o.ObjectStore.Prefix, s.Hash())
	}
	return ""
}

// PathStyleOrDefault is pathStyle, true when unset.
func (c *S3Connection) PathStyleOrDefault() bool { return c.PathStyle == nil || *c.PathStyle }

// PinOrDefault is pin, true when unset.
func (o *IPFSOutput) PinOrDefault() bool { return o.Pin == nil || *o.Pin }
