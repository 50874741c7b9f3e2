//go:build e2e && !e2e_real

package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// realNode: this build of the suite runs on the process node (make
// test-e2e); the e2e_real tag builds it for a real node.
const realNode = false

// The process node's own rule: it runs StreamGate's images only.
func TestNodeRefusesOtherImagesWithAReason(t *testing.T) {
	nodeNamespace(t)
	apply(t, `apiVersion: v1
kind: Pod
metadata: {name: nginx, namespace: `+nodeTestNamespace+`}
spec:
  containers: [{name: web, image: "nginx:1.27"}]
`)
	eventually(t, 30*time.Second, "the refusal on the pod", func(ctx context.Context) error {
		pod, err := getPod(ctx, "nginx")
		if err != nil {
			return err
		}
		for _, c := range pod.Status.Conditions {
			if c.Type == corev1.PodReady && c.Reason == "ImageNotSupported" && strings.Contains(c.Message, `"nginx:1.27"`) {
				if pod.Status.Phase != corev1.PodPending {
					t.Errorf("phase %s, want Pending", pod.Status.Phase)
				}
				return nil
			}
		}
		return fmt.Errorf("conditions %+v", pod.Status.Conditions)
	})
}
