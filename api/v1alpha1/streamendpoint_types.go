package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// EndpointService says how the streaming pods are exposed.
type EndpointService struct {
	// type of the Service.
	// +kubebuilder:validation:Enum=ClusterIP;NodePort;LoadBalancer
	// +kubebuilder:default=ClusterIP
	// +optional
	Type string `json:"type,omitempty"`

	// port the Service listens on.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +kubebuilder:default=8080
	// +optional
	Port int32 `json:"port,omitempty"`
}

// EndpointAutoscaling adds a HorizontalPodAutoscaler on CPU use. When set,
// it owns the replica count and spec.replicas is only the starting point.
// +kubebuilder:validation:XValidation:rule="self.minReplicas <= self.maxReplicas",message="autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas"
type EndpointAutoscaling struct {
	// minReplicas is the lower bound.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=1
	// +optional
	MinReplicas int32 `json:"minReplicas,omitempty"`

	// maxReplicas is the upper bound.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +required
	MaxReplicas int32 `json:"maxReplicas"`

	// targetCPUUtilizationPercentage is the average CPU use, in percent of
	// the request, that the autoscaler aims for.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=70
	// +optional
	TargetCPUUtilizationPercentage int32 `json:"targetCPUUtilizationPercentage,omitempty"`
}

// EndpointSignIn says where viewers sign in with their wallets, and how
// often they may try.
type EndpointSignIn struct {
	// origins are the public web origins (scheme://host[:port]) viewers
	// reach the endpoint under, e.g. https://watch.example.com. A sign-in
	// message (EIP-4361 or Sign-In With Solana) must name one of them as
	// its domain, with a URI under that same origin; a browser's Origin
	// header must be one of them too. The request's Host header is never
	// trusted for this: a phishing site could set it. Until origins are
	// listed, gated videos refuse sign-in and the endpoint is not Ready.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=261
	// +kubebuilder:validation:XValidation:rule="self.all(o, o.matches('^https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?)*|[0-9]{1,3}([.][0-9]{1,3}){3}|[[][0-9a-f:.]+[]])(:[0-9]{1,5})?$'))",message="each origin must be scheme://host[:port]: scheme http or https, a lower-case host name or IP address, an optional port, and no path, query or trailing slash"
	// +kubebuilder:validation:XValidation:rule="self.all(o, !o.matches(':[0-9]+$') || int(o.substring(o.lastIndexOf(':') + 1)) <= 65535)",message="an origin's port must be at most 65535"
	// +listType=set
	// +optional
	Origins []string `json:"origins,omitempty"`

	// trustedProxies are the addresses or CIDRs of proxies in front of the
	// streaming pods (an ingress controller, a load balancer) whose
	// X-Forwarded-For header is believed when telling clients apart for
	// rate limits. Requests from any other address are counted by their
	// own address, whatever header they send.
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.all(p, isCIDR(p) || isIP(p))",message="each trusted proxy must be an IP address or a CIDR"
	// +listType=set
	// +optional
	TrustedProxies []string `json:"trustedProxies,omitempty"`

	// rateLimit bounds sign-in requests, answered 429 with Retry-After
	// beyond it.
	// +kubebuilder:default={}
	// +optional
	RateLimit SignInRateLimit `json:"rateLimit,omitempty"`
}

// SignInRateLimit bounds /auth/nonce and /auth/verify per streaming pod.
type SignInRateLimit struct {
	// perClientPerMinute is how many /auth/* requests one client address
	// (an IPv6 /64) may make a minute, in bursts of up to that many.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100000
	// +kubebuilder:default=120
	// +optional
	PerClientPerMinute int32 `json:"perClientPerMinute,omitempty"`

	// perWalletPerMinute is how many sign-ins one wallet address may make
	// a minute, counted once its signature checks out.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	// +kubebuilder:default=20
	// +optional
	PerWalletPerMinute int32 `json:"perWalletPerMinute,omitempty"`
}

// StreamEndpointSpec is a set of streaming pods that serve selected Videos.
type StreamEndpointSpec struct {
	// videoSelector selects the Videos of this namespace that the endpoint
	// serves. Only Ready videos are served. An empty selector selects every
	// Video of the namespace.
	// +required
	VideoSelector metav1.LabelSelector `json:"videoSelector"`

	// replicas is the number of streaming pods.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=1
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`

	// gateRef names the NFTGate applied to selected Videos that name none.
	// +optional
	GateRef *LocalObjectReference `json:"gateRef,omitempty"`

	// tokenTTL is how long a playback token stays valid after sign-in,
	// between 1m and 24h. Access is re-checked when it runs out.
	// +kubebuilder:validation:Format=duration
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m') && duration(self) <= duration('24h')",message="tokenTTL must be between 1m and 24h"
	// +kubebuilder:default="10m"
	// +optional
	TokenTTL *metav1.Duration `json:"tokenTTL,omitempty"`

	// allowedOrigins are the web origins (scheme://host[:port]) that may
	// call the endpoint from a browser (CORS).
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.all(o, o.matches('^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'))",message="each allowed origin must be scheme://host[:port] with scheme http or https and no path"
	// +listType=set
	// +optional
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`

	// signIn says where viewers sign in: required for gated videos.
	// +optional
	SignIn *EndpointSignIn `json:"signIn,omitempty"`

	// service says how the pods are exposed.
	// +kubebuilder:default={}
	// +optional
	Service EndpointService `json:"service,omitempty"`

	// autoscaling adds a HorizontalPodAutoscaler.
	// +optional
	Autoscaling *EndpointAutoscaling `json:"autoscaling,omitempty"`
}

// StreamEndpointStatus is what the operator observed.
type StreamEndpointStatus struct {
	// url is where viewers reach the endpoint inside the cluster.
	// +optional
	URL string `json:"url,omitempty"`

	// replicas is the number of streaming pods that exist.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// readyReplicas is the number of streaming pods that are ready.
	// +optional
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`

	// videos is the number of Videos in the endpoint's catalog.
	// +optional
	Videos int32 `json:"videos,omitempty"`

	// observedGeneration is the metadata.generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Available, StorageReachable (when videos are in
	// object stores or IPFS), Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ConditionAvailable is set on a StreamEndpoint when at least one streaming
// pod is ready to serve.
const ConditionAvailable = "Available"

// ConditionStorageReachable is set on a StreamEndpoint whose videos are in
// object stores or IPFS: whether its streaming pods reach them, per store
// kind, as the pods themselves check at start and every 30 s. False
// carries the storage reason (CredentialsRefused, BucketNotFound,
// StorageUnreachable, ...).
const ConditionStorageReachable = "StorageReachable"

// A StreamEndpoint runs streaming pods that serve a label-selected set of
// Videos, checking each viewer's wallet against the Videos' gates.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas
// +kubebuilder:resource:shortName=se,categories=streamgate
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Replicas",type=integer,JSONPath=`.status.readyReplicas`,description="ready streaming pods"
// +kubebuilder:printcolumn:name="Videos",type=integer,JSONPath=`.status.videos`
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.status.url`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Storage",type=string,JSONPath=`.status.conditions[?(@.type=="StorageReachable")].reason`,priority=1,description="whether the streaming pods reach the object stores and IPFS nodes of their videos"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type StreamEndpoint struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired endpoint.
	// +required
	Spec StreamEndpointSpec `json:"spec"`

	// status is the observed state. It starts with observedGeneration -1,
	// so that kstatus and GitOps tools see the object as in progress until
	// the operator has looked at it.
	// +kubebuilder:default={"observedGeneration":-1}
	// +optional
	Status StreamEndpointStatus `json:"status,omitempty"`
}

// StreamEndpointList is a list of StreamEndpoints.
// +kubebuilder:object:root=true
type StreamEndpointList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []StreamEndpoint `json:"items"`
}

func init() {
	SchemeBuilder.Register(&StreamEndpoint{}, &StreamEndpointList{})
}
