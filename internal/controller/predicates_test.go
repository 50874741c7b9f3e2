package controller

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// A worker's progress, written every few seconds, rebuilds no catalog;
// what a catalog shows does, and so does a resync.
func TestOnlyCatalogChangesOfAVideoWakeItsEndpoints(t *testing.T) {
	base := streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Name: "v", Namespace: "ns", ResourceVersion: "10", Generation: 1,
		Labels: map[string]string{"streamgate.io/endpoint": "main"}},
		Status: streamgatev1alpha1.VideoStatus{Phase: streamgatev1alpha1.VideoPhaseTranscoding, Progress: 10}}
	for _, tc := range []struct {
		name   string
		change func(v *streamgatev1alpha1.Video)
		wake   bool
	}{
		{"progress", func(v *streamgatev1alpha1.Video) { v.Status.Progress = 40 }, false},
		{"a condition's message", func(v *streamgatev1alpha1.Video) {
			v.Status.Conditions = []metav1.Condition{{Type: "Ready", Message: "transcoding"}}
		}, false},
		{"phase", func(v *streamgatev1alpha1.Video) { v.Status.Phase = streamgatev1alpha1.VideoPhaseReady }, true},
		{"published ladder", func(v *streamgatev1alpha1.Video) {
			v.Status.Playback = &streamgatev1alpha1.Playback{MasterPlaylist: "a/b/master.m3u8"}
		}, true},
		{"labels", func(v *streamgatev1alpha1.Video) { v.Labels = map[string]string{"streamgate.io/endpoint": "other"} }, true},
		{"title", func(v *streamgatev1alpha1.Video) { v.Annotations = map[string]string{"streamgate.io/title": "Intro"} }, true},
		{"spec", func(v *streamgatev1alpha1.Video) { v.Generation = 2 }, true},
		{"resync", nil, true},
	} {
		after := base.DeepCopy()
		if tc.change != nil {
			after.ResourceVersion = "11"
			tc.change(after)
		}
		if got := videoCatalogChanged.Update(event.UpdateEvent{ObjectOld: base.DeepCopy(), ObjectNew: after}); got != tc.wake {
			t.Errorf("%s: wakes the endpoints %v, want %v", tc.name, got, tc.wake)
		}
	}
}
