package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// VideoPhase is a one-word summary of a Video's state.
// +kubebuilder:validation:Enum=Pending;Transcoding;Ready;Failed
type VideoPhase string

const (
	VideoPhasePending     VideoPhase = "Pending"
	VideoPhaseTranscoding VideoPhase = "Transcoding"
	VideoPhaseReady       VideoPhase = "Ready"
	VideoPhaseFailed      VideoPhase = "Failed"
)

// VideoSpec is what a tenant asks for: a source, how to encode it, where the
// HLS output goes and, optionally, the gate that protects it.
type VideoSpec struct {
	// source is the original file.
	// +required
	Source MediaSource `json:"source"`

	// ladder lists the renditions to produce. When omitted, a ladder is
	// planned from the source (1080p/720p/480p/360p, never upscaled).
	// Renditions taller than the source are dropped.
	// +optional
	Ladder Ladder `json:"ladder,omitempty"`

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

	// gateRef names an NFTGate in the same namespace that viewers must pass.
	// Without it the video is public, unless its StreamEndpoint has a
	// default gate.
	// +optional
	GateRef *LocalObjectReference `json:"gateRef,omitempty"`

	// transcode tunes the Job that encodes the video.
	// +kubebuilder:default={}
	// +optional
	Transcode TranscodeSettings `json:"transcode,omitempty"`
}

// VideoStatus is what the operator observed.
type VideoStatus struct {
	// phase summarises the state: Pending, Transcoding, Ready or Failed.
	// +optional
	Phase VideoPhase `json:"phase,omitempty"`

	// progress of the current transcode, in percent.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	Progress int32 `json:"progress,omitempty"`

	// transcodeJobRef names the TranscodeJob for the current spec.
	// +optional
	TranscodeJobRef *LocalObjectReference `json:"transcodeJobRef,omitempty"`

	// playback describes the published ladder, once one exists.
	// +optional
	Playback *Playback `json:"playback,omitempty"`

	// observedGeneration is the metadata.generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// A Video is a source file that StreamGate transcodes into an adaptive HLS
// ladder and serves, optionally behind an NFT gate.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:path=videos,singular=video,shortName=vid,categories=streamgate
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Progress",type=integer,JSONPath=`.status.progress`,description="transcode progress in percent"
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Gate",type=string,JSONPath=`.spec.gateRef.name`
// +kubebuilder:printcolumn:name="Playlist",type=string,JSONPath=`.status.playback.masterPlaylist`,priority=1
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Video struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired video.
	// +required
	Spec VideoSpec `json:"spec"`

	// status is the observed state. It starts with observedGeneration -1,
	// so that kstatus and GitOps tools see the object as in progress until
	// the operator has looked at it.
	// +kubebuilder:default={"observedGeneration":-1}
	// +optional
	Status VideoStatus `json:"status,omitempty"`
}

// VideoList is a list of Videos.
// +kubebuilder:object:root=true
type VideoList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Video `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Video{}, &VideoList{})
}
