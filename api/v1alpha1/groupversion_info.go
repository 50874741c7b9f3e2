// Package v1alpha1 contains the StreamGate API: Video, TranscodeJob,
// StreamEndpoint, NFTGate and ChainIndexer.
//
// +kubebuilder:object:generate=true
// +groupName=streamgate.io
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every StreamGate kind.
	GroupVersion = schema.GroupVersion{Group: "streamgate.io", Version: "v1alpha1"}

	// SchemeBuilder registers the StreamGate kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the StreamGate kinds to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
