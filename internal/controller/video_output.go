package controller

import (
	"context"
	"fmt"
	"path"
	"strings"

	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// Two Videos may not write the same output folder, nor one inside the
// other: a public trailer at films/x would serve the gated film at
// films/x/full, and one ladder's publication would replace the other's.
// Each Video's folder is indexed twice, so that finding its overlaps costs
// one lookup per path level, not a list of the namespace:
const (
	// indexOutputFolder: "<claim>:<folder>".
	indexOutputFolder = "spec.output.volume.folder"
	// indexOutputAncestors: the folder and every folder above it, up to
	// "<claim>:" (the claim's root).
	indexOutputAncestors = "spec.output.volume.ancestors"
)

const reasonOutputConflict = "OutputConflict"

// outputFolders are the index keys of a Video's output: its own folder and
// the ones above it, root first, each as "<store>:<folder>" where the store
// is a claim or a bucket of an endpoint. An IPFS output has none: it is
// named by its content and cannot overlap another.
func outputFolders(v *streamgatev1alpha1.Video) []string {
	var store, folder string
	switch o := v.Spec.Output; {
	case o.Volume != nil:
		store, folder = o.Volume.ClaimName, o.Volume.Path
	case o.ObjectStore != nil:
		store, folder = "s3:"+strings.TrimRight(o.ObjectStore.Endpoint, "/")+"/"+o.ObjectStore.Bucket, o.ObjectStore.Prefix
	default:
		return nil
	}
	keys := []string{store + ":"}
	clean := path.Clean(folder)
	if clean == "." || clean == "/" {
		return keys
	}
	segments := strings.Split(strings.Trim(clean, "/"), "/")
	for i := range segments {
		keys = append(keys, store+":"+strings.Join(segments[:i+1], "/"))
	}
	return keys
}

// outputPlace says where an output's ladders go, for messages.
func outputPlace(o streamgatev1alpha1.MediaOutput) string {
	switch {
	case o.Volume != nil:
		return o.Volume.ClaimName + ":" + o.Volume.Path
	case o.ObjectStore != nil:
		return "s3://" + o.ObjectStore.Bucket + "/" + o.ObjectStore.Prefix + " at " + o.ObjectStore.Endpoint
	case o.IPFS != nil:
		return "IPFS at " + o.IPFS.API
	}
	return "nowhere"
}

func indexVideoOutputs(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	if err := indexer.IndexField(ctx, &streamgatev1alpha1.Video{}, indexOutputFolder, func(o client.Object) []string {
		keys := outputFolders(o.(*streamgatev1alpha1.Video))
		if len(keys) == 0 {
			return nil
		}
		return keys[len(keys)-1:]
	}); err != nil {
		return fmt.Errorf("index Videos by output folder: %w", err)
	}
	if err := indexer.IndexField(ctx, &streamgatev1alpha1.Video{}, indexOutputAncestors, func(o client.Object) []string {
		return outputFolders(o.(*streamgatev1alpha1.Video))
	}); err != nil {
		return fmt.Errorf("index Videos by output ancestors: %w", err)
	}
	return nil
}

// overlapping lists the other Videos of v's namespace whose output folder
// is v's, lies in it, or holds it.
func overlapping(ctx context.Context, c client.Reader, v *streamgatev1alpha1.Video) ([]streamgatev1alpha1.Video, error) {
	folders := outputFolders(v)
	if len(folders) == 0 {
		return nil, nil
	}
	own := folders[len(folders)-1]
	var out []streamgatev1alpha1.Video
	add := func(field, key string) error {
		var list streamgatev1alpha1.VideoList
		if err := c.List(ctx, &list, client.InNamespace(v.Namespace), client.MatchingFields{field: key}); err != nil {
			return fmt.Errorf("list Videos by %s: %w", field, err)
		}
		for _, other := range list.Items {
			if other.UID != v.UID {
				out = append(out, other)
			}
		}
		return nil
	}
	// The same folder or one inside it: every Video with it as an ancestor.
	if err := add(indexOutputAncestors, own); err != nil {
		return nil, err
	}
	// A folder above it: a Video whose own folder is one of its ancestors.
	for _, ancestor := range folders[:len(folders)-1] {
		if err := add(indexOutputFolder, ancestor); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// outputConflict returns the Video that keeps the folder v overlaps, if
// any: the older one (by creation, then name) keeps it, so a new Video can
// never take over a folder that is already published.
func outputConflict(ctx context.Context, c client.Reader, v *streamgatev1alpha1.Video) (*streamgatev1alpha1.Video, error) {
	others, err := overlapping(ctx, c, v)
	if err != nil {
		return nil, err
	}
	var keeper *streamgatev1alpha1.Video
	for i := range others {
		o := &others[i]
		if !o.DeletionTimestamp.IsZero() || !olderThan(o, v) {
			continue
		}
		if keeper == nil || olderThan(o, keeper) {
			keeper = o
		}
	}
	return keeper, nil
}

func olderThan(a, b *streamgatev1alpha1.Video) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return a.Name < b.Name
}

// conflictStatus says why v is not transcoded.
func conflictStatus(v, keeper *streamgatev1alpha1.Video) streamgatev1alpha1.VideoStatus {
	status := *v.Status.DeepCopy()
	status.ObservedGeneration = v.Generation
	status.Phase = streamgatev1alpha1.VideoPhaseFailed
	cond := conditionSetter{conditions: &status.Conditions, generation: v.Generation}
	cond.stalled(reasonOutputConflict, fmt.Sprintf(
		"output %s is, holds or lies in the output of Video %s (%s); two Videos may not share or nest output folders: choose another spec.output.volume.path or spec.output.objectStore.prefix",
		outputPlace(v.Spec.Output), keeper.Name, outputPlace(keeper.Spec.Output)))
	return status
}

// overlapsHandler wakes the Videos that overlap one that was created,
// moved or deleted: a Video waiting for a folder gets it when its keeper
// goes.
func (r *VideoReconciler) overlapsHandler() handler.TypedEventHandler[client.Object, reconcile.Request] {
	enqueue := func(ctx context.Context, o client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		v, ok := o.(*streamgatev1alpha1.Video)
		if !ok {
			return
		}
		others, err := overlapping(ctx, r.Client, v)
		if err != nil {
			return // the cache answers from memory; it does not fail here
		}
		for _, other := range others {
			q.Add(reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&other)})
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			if e.ObjectOld.GetGeneration() != e.ObjectNew.GetGeneration() {
				enqueue(ctx, e.ObjectOld, q)
				enqueue(ctx, e.ObjectNew, q)
			}
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
	}
}
