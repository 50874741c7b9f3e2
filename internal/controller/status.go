package controller

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/streamgate-io/streamgate/internal/catalog"
)

// writeStatus writes obj's status where it differs from before (obj with
// the status it had): a JSON merge patch of the status subresource, as
// field manager "streamgate", and nothing at all when nothing changed. A
// merge patch carries only the fields that changed, so the fields another
// writer owns (an indexer pod's block numbers, a worker's progress) are
// never overwritten, and there is no resourceVersion to conflict on. Every
// reconciler writes status through it.
func writeStatus(ctx context.Context, c client.Client, obj, before client.Object) error {
	patch := client.MergeFrom(before)
	data, err := patch.Data(obj)
	if err != nil {
		return fmt.Errorf("diff the status of %s: %w", client.ObjectKeyFromObject(obj), err)
	}
	if string(data) == "{}" {
		return nil
	}
	if err := c.Status().Patch(ctx, obj, patch, client.FieldOwner(fieldManager)); err != nil {
		return fmt.Errorf("write the status of %T %s: %w", obj, client.ObjectKeyFromObject(obj), err)
	}
	awaitCache(ctx, c, obj)
	return nil
}

// cacheWait bounds how long a reconciler waits for its informer to show
// its own write; beyond it the next reconcile may write once more, which
// is harmless.
const cacheWait = 2 * time.Second

// awaitCache returns once c's cache shows obj at its resourceVersion or
// later. The next reconcile of the object then starts from what was just
// written: from a cache one write behind it would write the same status
// again, or compute its merge patch against the old status and leave out
// a field that changed back (Cluster API waits the same way).
func awaitCache(ctx context.Context, c client.Reader, obj client.Object) {
	written, err := strconv.ParseUint(obj.GetResourceVersion(), 10, 64)
	if err != nil {
		return // not an etcd revision: nothing to compare with
	}
	seen, ok := obj.DeepCopyObject().(client.Object)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, cacheWait)
	defer cancel()
	_ = wait.PollUntilContextCancel(ctx, 2*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := c.Get(ctx, client.ObjectKeyFromObject(obj), seen); err != nil {
			return apierrors.IsNotFound(err), nil // deleted meanwhile: nothing to wait for
		}
		rv, err := strconv.ParseUint(seen.GetResourceVersion(), 10, 64)
		return err != nil || rv >= written, nil
	})
}

// Reasons when a child object cannot be made or changed.
const (
	reasonQuotaExceeded = "QuotaExceeded"
	reasonForbidden     = "Forbidden"
	reasonInvalidChild  = "InvalidChild"
	reasonChildError    = "ChildError"
	// reasonCatalogTooLarge: an endpoint selects more videos than its
	// catalog ConfigMap can hold.
	reasonCatalogTooLarge = "CatalogTooLarge"
)

// childFailure says why an ensure step failed, for the Ready condition,
// as cert-manager does rather than only retrying in the logs. Stalled
// failures need a person (an invalid child); the others may clear by
// themselves (quota freed, RBAC granted) and are retried with back-off.
func childFailure(err error) (reason string, stalled bool) {
	switch {
	case errors.Is(err, catalog.ErrTooLarge):
		return reasonCatalogTooLarge, true
	case apierrors.IsForbidden(err) && strings.Contains(err.Error(), "exceeded quota"):
		return reasonQuotaExceeded, false
	case apierrors.IsForbidden(err):
		return reasonForbidden, false
	case apierrors.IsInvalid(err):
		return reasonInvalidChild, true
	default:
		return reasonChildError, false
	}
}

// setChildFailure marks the conditions Ready=False with why a child could
// not be made.
func setChildFailure(cond conditionSetter, err error) {
	reason, stalled := childFailure(err)
	if stalled {
		cond.stalled(reason, err.Error())
	} else {
		cond.progressing(reason, err.Error())
	}
}
