// Package controller holds one reconciler per StreamGate kind.
package controller

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/redact"
)

// LabelTranscodeJob names the TranscodeJob on its Job and pods; the
// manager caches only Jobs and pods that carry it.
const LabelTranscodeJob = "streamgate.io/transcodejob"

// Labels on everything the operator creates.
const (
	labelManagedBy     = "app.kubernetes.io/managed-by"
	labelName          = "app.kubernetes.io/name"
	labelComponent     = "app.kubernetes.io/component"
	managedByValue     = "streamgate"
	labelVideo         = "streamgate.io/video"
	labelTranscodeJob  = LabelTranscodeJob
	fieldManager       = "streamgate"
	reasonReconciled   = "Reconciled"
	componentTranscode = "transcoder"
)

// conditionSetter writes conditions with the object's generation, so that
// every condition says which spec it describes.
type conditionSetter struct {
	conditions *[]metav1.Condition
	generation int64
}

func (c conditionSetter) set(conditionType string, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(c.conditions, metav1.Condition{
		Type: conditionType, Status: status, Reason: reason, Message: redact.String(message), ObservedGeneration: c.generation,
	})
}

func (c conditionSetter) remove(conditionType string) {
	meta.RemoveStatusCondition(c.conditions, conditionType)
}

// progressing marks an object as being worked on (kstatus: InProgress).
func (c conditionSetter) progressing(reason, message string) {
	c.set(streamgatev1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	c.set(streamgatev1alpha1.ConditionReconciling, metav1.ConditionTrue, reason, message)
	c.remove(streamgatev1alpha1.ConditionStalled)
}

// ready marks an object as done (kstatus: Current).
func (c conditionSetter) ready(reason, message string) {
	c.set(streamgatev1alpha1.ConditionReady, metav1.ConditionTrue, reason, message)
	c.remove(streamgatev1alpha1.ConditionReconciling)
	c.remove(streamgatev1alpha1.ConditionStalled)
}

// stalled marks an object as stuck until a person acts (kstatus: Failed).
func (c conditionSetter) stalled(reason, message string) {
	c.set(streamgatev1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	c.set(streamgatev1alpha1.ConditionStalled, metav1.ConditionTrue, reason, message)
	c.remove(streamgatev1alpha1.ConditionReconciling)
}

// redactingRecorder hides credentials in Event notes: a message may quote
// an RPC error, and RPC URLs carry API keys.
type redactingRecorder struct{ events.EventRecorder }

// RedactingRecorder wraps a recorder so that no Event carries a key.
func RedactingRecorder(r events.EventRecorder) events.EventRecorder { return redactingRecorder{r} }

func (r redactingRecorder) Eventf(regarding, related runtime.Object, eventtype, reason, action, note string, args ...any) {
	r.EventRecorder.Eventf(regarding, related, eventtype, reason, action, "%s", redact.String(fmt.Sprintf(note, args...)))
}
