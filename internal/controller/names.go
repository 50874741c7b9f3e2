package controller

import (
	"strings"
)

// maxJobNameLength keeps a Job's name usable as the value of the job-name
// label that Kubernetes puts on its pods (63 characters at most).
const maxJobNameLength = 63

// childName is parent-hash, with the parent's name shortened so the whole
// fits in a label value.
func childName(parent, hash string) string {
	room := maxJobNameLength - len(hash) - 1
	if len(parent) > room {
		parent = strings.TrimRight(parent[:room], "-.")
	}
	return parent + "-" + hash
}
