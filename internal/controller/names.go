package controller

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// maxJobNameLength keeps a Job's name usable as the value of the job-name
// label that Kubernetes puts on its pods (63 characters at most).
const maxJobNameLength = 63

// specHash is a short, stable hash of a spec.
func specHash(spec any) string {
	data, err := json.Marshal(spec)
	if err != nil {
		panic("marshal spec for hashing: " + err.Error()) // plain structs always marshal
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:10]
}

// childName is parent-hash, with the parent's name shortened so the whole
// fits in a label value.
func childName(parent, hash string) string {
	room := maxJobNameLength - len(hash) - 1
	if len(parent) > room {
		parent = strings.TrimRight(parent[:room], "-.")
	}
	return parent + "-" + hash
}
