package controller

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
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
	return nil
}

// Reasons when a child object cannot be made or changed.
const (
	reasonQuotaExceeded = "QuotaExceeded"
	reasonForbidden     = "Forbidden"
	reasonInvalidChild  = "InvalidChild"
	reasonChildError    = "ChildError"
)

// childFailure says why an ensure step failed, for the Ready condition,
// as cert-manager does rather than only retrying in the logs. Stalled
// failures need a person (an invalid child); the others may clear by
// themselves (quota freed, RBAC granted) and are retried with back-off.
func childFailure(err error) (reason string, stalled bool) {
	switch {
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
