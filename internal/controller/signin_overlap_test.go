package controller

import (
	"context"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// waitForEvent waits for an Event about the named object with the reason,
// and returns its note: what `kubectl describe` shows a person.
func waitForEvent(t *testing.T, ns, regarding, reason string) string {
	t.Helper()
	var note string
	eventually(t, fmt.Sprintf("Event %s on %s", reason, regarding), func() error {
		var list eventsv1.EventList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
			return err
		}
		for _, e := range list.Items {
			if e.Regarding.Name == regarding && e.Reason == reason {
				note = e.Note
				return nil
			}
		}
		return fmt.Errorf("%d events, none %s on %s", len(list.Items), reason, regarding)
	})
	return note
}

func waitEndpointReason(t *testing.T, se *streamgatev1alpha1.StreamEndpoint, reason string) *streamgatev1alpha1.StreamEndpoint {
	t.Helper()
	var got *streamgatev1alpha1.StreamEndpoint
	eventually(t, "StreamEndpoint "+reason, func() error {
		got = getEndpoint(t, se)
		if c := meta.FindStatusCondition(got.Status.Conditions, "Ready"); c == nil || c.Reason != reason {
			return fmt.Errorf("Ready %+v", c)
		}
		return nil
	})
	return got
}

// A gated video behind an endpoint that lists no sign-in origins cannot be
// signed in to: the endpoint says so (Stalled, with an Event) until the
// origins are set, and then serves; the catalog carries them to the pods.
// Metrics have a container port of their own that the Service leaves out.
func TestEndpointNeedsSignInOriginsForGatedVideos(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	validatedGate(t, ns, "holders")
	selected := map[string]string{"app": "films"}
	readyVideo(t, ns, "film", selected, "holders")
	se := &streamgatev1alpha1.StreamEndpoint{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "main"},
		Spec: streamgatev1alpha1.StreamEndpointSpec{VideoSelector: metav1.LabelSelector{MatchLabels: selected}}}
	if err := k8s.Create(ctx, se); err != nil {
		t.Fatal(err)
	}
	markRolledOut(t, ns, "main-serve")
	got := waitEndpointReason(t, se, reasonSignInNotConfigured)
	if !meta.IsStatusConditionTrue(got.Status.Conditions, "Stalled") {
		t.Errorf("conditions %+v: want Stalled, a person must act", got.Status.Conditions)
	}
	if note := waitForEvent(t, ns, "main", reasonSignInNotConfigured); note == "" {
		t.Error("the Event says nothing")
	}

	eventuallyUpdate(t, se, func(s *streamgatev1alpha1.StreamEndpoint) {
		s.Spec.SignIn = &streamgatev1alpha1.EndpointSignIn{Origins: []string{"https://watch.example.com"}, TrustedProxies: []string{"10.0.0.0/8"},
			RateLimit: streamgatev1alpha1.SignInRateLimit{PerClientPerMinute: 30, PerWalletPerMinute: 3}}
	})
	markRolledOut(t, ns, "main-serve")
	waitEndpointReason(t, se, reasonServing)
	cat, err := readCatalog(se)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.SignIn.Origins) != 1 || cat.SignIn.Origins[0] != "https://watch.example.com" || cat.SignIn.TrustedProxies[0] != "10.0.0.0/8" ||
		cat.SignIn.PerClientPerMinute != 30 || cat.SignIn.PerWalletPerMinute != 3 {
		t.Errorf("catalog sign-in %+v", cat.SignIn)
	}

	d := markRolledOut(t, ns, "main-serve")
	ports := map[string]int32{}
	for _, p := range d.Spec.Template.Spec.Containers[0].Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] != servePort || ports["metrics"] != serveMetricsPort {
		t.Errorf("container ports %v", ports)
	}
	var svc corev1.Service
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "main"}, &svc); err != nil {
		t.Fatal(err)
	}
	for _, p := range svc.Spec.Ports {
		if p.TargetPort.StrVal != "http" {
			t.Errorf("the viewers' Service exposes port %s", p.TargetPort.String())
		}
	}
}

// Two Videos may not write the same folder or one inside the other: the
// newer one is refused with a reason and an Event, and transcodes only
// once the folder is free.
func TestNestedOutputFoldersAreRefused(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	trailer := newVideo(ns, "a-trailer") // first by name too: created in the same second as the others
	trailer.Spec.Output.Volume = &streamgatev1alpha1.VolumePath{ClaimName: "media", Path: "films/x"}
	if err := k8s.Create(ctx, trailer); err != nil {
		t.Fatal(err)
	}
	waitForJob(t, trailer)
	for name, path := range map[string]string{"film": "films/x/full", "same": "films/x", "parent": "films"} {
		v := newVideo(ns, name)
		v.Spec.Output.Volume = &streamgatev1alpha1.VolumePath{ClaimName: "media", Path: path}
		if err := k8s.Create(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"film", "same", "parent"} {
		v := &streamgatev1alpha1.Video{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		eventually(t, name+" refused", func() error {
			got := getVideo(t, v)
			stalled := meta.FindStatusCondition(got.Status.Conditions, "Stalled")
			if got.Status.Phase != streamgatev1alpha1.VideoPhaseFailed || stalled == nil || stalled.Reason != reasonOutputConflict {
				return fmt.Errorf("phase %s, Stalled %+v", got.Status.Phase, stalled)
			}
			return nil
		})
		waitForEvent(t, ns, name, reasonOutputConflict)
		var tjs streamgatev1alpha1.TranscodeJobList
		if err := k8s.List(ctx, &tjs, client.InNamespace(ns), client.MatchingLabels{labelVideo: name}); err != nil || len(tjs.Items) != 0 {
			t.Errorf("%s: %d TranscodeJobs (%v): nothing may be transcoded into a kept folder", name, len(tjs.Items), err)
		}
	}
	// Another claim, or a folder that only shares a prefix of its name, is no conflict.
	for name, out := range map[string]streamgatev1alpha1.VolumePath{"other-claim": {ClaimName: "archive", Path: "films/x"}, "sibling": {ClaimName: "media", Path: "filmsx/a"}} {
		v := newVideo(ns, name)
		v.Spec.Output.Volume = &out
		if err := k8s.Create(ctx, v); err != nil {
			t.Fatal(err)
		}
		// A TranscodeJob, not yet a Job: the namespace's cap queues it.
		eventually(t, name+" transcodes", func() error {
			var tjs streamgatev1alpha1.TranscodeJobList
			if err := k8s.List(ctx, &tjs, client.InNamespace(ns), client.MatchingLabels{labelVideo: name}); err != nil || len(tjs.Items) != 1 {
				return fmt.Errorf("%d TranscodeJobs (%v)", len(tjs.Items), err)
			}
			return nil
		})
	}
	// The trailer goes: the oldest waiting Video takes the folder.
	if err := k8s.Delete(ctx, trailer); err != nil {
		t.Fatal(err)
	}
	eventually(t, "one of the waiting Videos transcodes", func() error {
		var tjs streamgatev1alpha1.TranscodeJobList
		if err := k8s.List(ctx, &tjs, client.InNamespace(ns)); err != nil {
			return err
		}
		waiting := 0
		for _, tj := range tjs.Items {
			if v := tj.Spec.VideoRef.Name; v == "film" || v == "same" || v == "parent" {
				waiting++
			}
		}
		if waiting != 1 {
			return fmt.Errorf("%d of the waiting Videos have a TranscodeJob, want exactly 1", waiting)
		}
		return nil
	})
}
