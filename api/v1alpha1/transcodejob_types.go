package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TranscodeJobPhase is a one-word summary of a TranscodeJob's state.
// +kubebuilder:validation:Enum=Pending;Running;Succeeded;Failed
type TranscodeJobPhase string

const (
	TranscodeJobPhasePending   TranscodeJobPhase = "Pending"
	TranscodeJobPhaseRunning   TranscodeJobPhase = "Running"
	TranscodeJobPhaseSucceeded TranscodeJobPhase = "Succeeded"
	TranscodeJobPhaseFailed    TranscodeJobPhase = "Failed"
)

// ConditionSucceeded is set on a TranscodeJob once it has finished: True
// when the ladder was published, False when it failed for good.
const ConditionSucceeded = "Succeeded"

// TranscodeJobSpec is one immutable transcode. A Video creates a new
// TranscodeJob for every distinct spec instead of changing an old one, so a
// TranscodeJob is a record of exactly what was run.
// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="spec is immutable; create a new TranscodeJob (a Video does this for you when its spec changes)"
type TranscodeJobSpec struct {
	// videoRef names the Video this transcode is for, when there is one.
	// +optional
	VideoRef *LocalObjectReference `json:"videoRef,omitempty"`

	// source is the original file.
	// +required
	Source MediaSource `json:"source"`

	// ladder is the resolved list of renditions; renditions above the
	// source's height are dropped by the worker and reported.
	// +required
	Ladder Ladder `json:"ladder"`

	// audioKbps is the AAC audio bitrate in kilobits per second.
	// +kubebuilder:validation:Minimum=32
	// +kubebuilder:validation:Maximum=512
	// +kubebuilder:default=128
	// +optional
	AudioKbps int32 `json:"audioKbps,omitempty"`

	// segmentSeconds is the target HLS segment length.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	// +kubebuilder:default=4
	// +optional
	SegmentSeconds int32 `json:"segmentSeconds,omitempty"`

	// output is where the HLS ladder is written.
	// +required
	Output MediaOutput `json:"output"`

	// backoffLimit is how many times a failed pod is retried.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=10
	// +kubebuilder:default=3
	// +optional
	BackoffLimit *int32 `json:"backoffLimit,omitempty"`

	// activeDeadlineSeconds bounds the whole transcode, retries included.
	// +kubebuilder:validation:Minimum=60
	// +kubebuilder:validation:Maximum=86400
	// +kubebuilder:default=3600
	// +optional
	ActiveDeadlineSeconds *int64 `json:"activeDeadlineSeconds,omitempty"`

	// resources of the transcode container.
	// +optional
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// TranscodeFailure explains why a transcode failed.
type TranscodeFailure struct {
	// reason is a CamelCase word: SourceUnreachable, ChecksumMismatch,
	// UnsupportedCodec, CorruptSource, OutputNotWritable, Timeout, ...
	Reason string `json:"reason"`
	// message is for people.
	// +optional
	Message string `json:"message,omitempty"`
	// retriable tells whether trying again may help.
	Retriable bool `json:"retriable"`
}

// TranscodeJobStatus is what the operator and the worker observed.
type TranscodeJobStatus struct {
	// phase summarises the state: Pending, Running, Succeeded or Failed.
	// +optional
	Phase TranscodeJobPhase `json:"phase,omitempty"`

	// progress in percent of the source's duration.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	Progress int32 `json:"progress,omitempty"`

	// startTime is when the first transcode pod started.
	// +optional
	StartTime *metav1.Time `json:"startTime,omitempty"`

	// completionTime is when the transcode finished, either way.
	// +optional
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`

	// jobRef names the batch/v1 Job that runs the worker.
	// +optional
	JobRef *LocalObjectReference `json:"jobRef,omitempty"`

	// attempts counts the pods started so far.
	// +optional
	Attempts int32 `json:"attempts,omitempty"`

	// failure explains the last failure.
	// +optional
	Failure *TranscodeFailure `json:"failure,omitempty"`

	// playback describes the published ladder.
	// +optional
	Playback *Playback `json:"playback,omitempty"`

	// observedGeneration is the metadata.generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Succeeded, Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// A TranscodeJob is one run of the transcoder over a source, with a fixed
// ladder and output. Videos create them; their spec never changes.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=tj,categories=streamgate
// +kubebuilder:printcolumn:name="Video",type=string,JSONPath=`.spec.videoRef.name`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Progress",type=integer,JSONPath=`.status.progress`
// +kubebuilder:printcolumn:name="Attempts",type=integer,JSONPath=`.status.attempts`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.failure.reason`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type TranscodeJob struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the transcode to run; immutable.
	// +required
	Spec TranscodeJobSpec `json:"spec"`

	// status is the observed state. It starts with observedGeneration -1,
	// so that kstatus and GitOps tools see the object as in progress until
	// the operator has looked at it.
	// +kubebuilder:default={"observedGeneration":-1}
	// +optional
	Status TranscodeJobStatus `json:"status,omitempty"`
}

// TranscodeJobList is a list of TranscodeJobs.
// +kubebuilder:object:root=true
type TranscodeJobList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TranscodeJob `json:"items"`
}

func init() {
	SchemeBuilder.Register(&TranscodeJob{}, &TranscodeJobList{})
}
