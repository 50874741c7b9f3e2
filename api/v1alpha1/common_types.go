package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
)

// Condition types shared by every kind. Ready is the summary that
// `kubectl wait --for=condition=Ready` and GitOps tools read; Reconciling and
// Stalled follow the kstatus conventions (abnormal-true: present only while
// the object is being worked on, or stuck).
const (
	ConditionReady       = "Ready"
	ConditionReconciling = "Reconciling"
	ConditionStalled     = "Stalled"
)

// LocalObjectReference names an object in the same namespace.
// +structType=atomic
type LocalObjectReference struct {
	// name of the object, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`
}

// SecretKeyReference names one key of a Secret in the same namespace.
// +structType=atomic
type SecretKeyReference struct {
	// name of the Secret, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// key in the Secret's data whose value is used.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:default=url
	// +optional
	Key string `json:"key,omitempty"`
}

// VolumePath is a path inside a PersistentVolumeClaim of the same namespace.
type VolumePath struct {
	// claimName is the PersistentVolumeClaim that holds the files.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",message="claimName must be a PersistentVolumeClaim name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"
	// +required
	ClaimName string `json:"claimName"`

	// path inside the claim, relative to its root. It must not start with
	// "/" and must not contain an empty, "." or ".." segment. Two Videos
	// may not write the same folder or one inside the other.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('/')",message="path must be relative to the volume root (no leading '/')"
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.][.](/|$)')",message="path must not contain a '..' segment"
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.]?(/|$)')",message="path must not contain an empty or '.' segment (no '//', './' or trailing '/')"
	// +required
	Path string `json:"path"`
}

// MediaSource says where a video's original file is. Exactly one of url and
// volume is set.
// +kubebuilder:validation:XValidation:rule="has(self.url) != has(self.volume)",message="exactly one of source.url or source.volume must be set"
// +kubebuilder:validation:XValidation:rule="has(self.s3) == (has(self.url) && self.url.startsWith('s3://'))",message="source.s3 (the store's endpoint and credentials) is required with an s3:// url, and only with one"
// +kubebuilder:validation:XValidation:rule="!has(self.ipfs) || (has(self.url) && self.url.startsWith('ipfs://'))",message="source.ipfs is only for an ipfs:// url"
type MediaSource struct {
	// url of the source file:
	// http(s)://host/path;
	// s3://bucket/key, read with the credentials of source.s3;
	// ipfs://CID[/path], read through source.ipfs or, without it, the
	// cluster's default IPFS node (the manager's --ipfs-gateway or
	// --ipfs-api). Sources in a store or IPFS are read with ranged reads,
	// without staging the whole file, unless sha256 is set.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.startsWith('s3://') || self.startsWith('ipfs://') || (isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '')",message="url must be an absolute http://, https://, s3:// or ipfs:// URL"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('s3://') || self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^?#]+$')",message="an s3 url is s3://bucket/key: a bucket name of 3 to 63 lower-case letters, digits, '.' and '-', then the object's key"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('ipfs://') || self.matches('^ipfs://(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{50,100})(/[^/?#]+)*$')",message="an ipfs url is ipfs://CID[/path]: a CIDv0 (Qm...) or base32 CIDv1 (b...), then an optional path"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('ipfs://') || !self.matches('/[.][.]?(/|$)')",message="an ipfs url's path must not contain a '.' or '..' segment"
	// +optional
	URL string `json:"url,omitempty"`

	// volume holds the source file on a PersistentVolumeClaim.
	// +optional
	Volume *VolumePath `json:"volume,omitempty"`

	// s3 is the object store an s3:// url is read from.
	// +optional
	S3 *S3Connection `json:"s3,omitempty"`

	// ipfs is the node an ipfs:// url is read through; without it, the
	// cluster's default.
	// +optional
	IPFS *IPFSConnection `json:"ipfs,omitempty"`

	// sha256 is the expected SHA-256 of the source file, as 64 hexadecimal
	// characters; the transcoder refuses a file that does not match.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9a-fA-F]{64}$')",message="sha256 must be 64 hexadecimal characters"
	// +optional
	SHA256 string `json:"sha256,omitempty"`
}

// Keys of an S3 credentials Secret.
const (
	S3AccessKeyIDKey     = "accessKeyID"
	S3SecretAccessKeyKey = "secretAccessKey"
)

// S3Connection says how to reach an S3-compatible object store (AWS S3,
// MinIO, Ceph RGW, versitygw, ...). Requests are signed with SigV4.
type S3Connection struct {
	// endpoint is the store's URL, http(s)://host[:port], with no path.
	// For AWS, https://s3.<region>.amazonaws.com.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '' && url(self).getEscapedPath() in ['', '/'] && !self.contains('@') && !self.contains('?')",message="endpoint must be http(s)://host[:port] with no path, user or query"
	// +required
	Endpoint string `json:"endpoint"`

	// region of the bucket.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[a-z0-9-]+$`
	// +kubebuilder:default=us-east-1
	// +optional
	Region string `json:"region,omitempty"`

	// pathStyle addresses the bucket in the path (endpoint/bucket/key), as
	// most S3-compatible servers need; false uses virtual-hosted names
	// (bucket.endpoint/key), as AWS prefers.
	// +kubebuilder:default=true
	// +optional
	PathStyle *bool `json:"pathStyle,omitempty"`

	// credentialsSecretRef names a Secret in the same namespace with the
	// keys accessKeyID and secretAccessKey. The transcode Job reads it, and
	// the StreamEndpoint copies it into its streaming pods' Secret.
	// +required
	CredentialsSecretRef LocalObjectReference `json:"credentialsSecretRef"`
}

// IPFSConnection says how to reach an IPFS node: its kubo RPC API (which
// can add and pin) or an HTTP gateway (read-only). At least one is set.
// +kubebuilder:validation:XValidation:rule="has(self.api) || has(self.gateway)",message="set ipfs.api (a kubo RPC URL), ipfs.gateway (an HTTP gateway URL), or both"
type IPFSConnection struct {
	// api is a kubo node's RPC API, http(s)://host:5001.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '' && !self.contains('@')",message="api must be an http(s) URL with no user"
	// +optional
	API string `json:"api,omitempty"`

	// gateway is an HTTP gateway, http(s)://host:8080, read as
	// <gateway>/ipfs/<CID>/<path>. Reads prefer it to the API.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '' && !self.contains('@')",message="gateway must be an http(s) URL with no user"
	// +optional
	Gateway string `json:"gateway,omitempty"`
}

// Rendition is one step of an adaptive bitrate ladder.
type Rendition struct {
	// name of the rendition, unique in the ladder; it names the variant
	// playlist and its folder (for example "720p").
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')",message="rendition name must be lower-case letters, digits and '-', starting and ending with a letter or digit"
	// +required
	Name string `json:"name"`

	// height of the picture in pixels; even, 144 to 4320. The width follows
	// from the source's aspect ratio.
	// +kubebuilder:validation:Minimum=144
	// +kubebuilder:validation:Maximum=4320
	// +kubebuilder:validation:XValidation:rule="self % 2 == 0",message="height must be an even number of pixels"
	// +required
	Height int32 `json:"height"`

	// videoKbps is the target video bitrate in kilobits per second.
	// +kubebuilder:validation:Minimum=64
	// +kubebuilder:validation:Maximum=100000
	// +required
	VideoKbps int32 `json:"videoKbps"`
}

// Ladder is a list of renditions with unique names.
// +kubebuilder:validation:MinItems=1
// +kubebuilder:validation:MaxItems=8
// +kubebuilder:validation:XValidation:rule="self.all(r, self.exists_one(o, o.name == r.name))",message="ladder rendition names must be unique"
type Ladder []Rendition

// MediaOutput says where the HLS ladder is written: exactly one of volume,
// objectStore and ipfs. Every kind is content-addressed: a new spec never
// overwrites a published file, so segments are safely cached as immutable.
// +kubebuilder:validation:XValidation:rule="(has(self.volume) ? 1 : 0) + (has(self.objectStore) ? 1 : 0) + (has(self.ipfs) ? 1 : 0) == 1",message="exactly one of output.volume, output.objectStore or output.ipfs must be set"
type MediaOutput struct {
	// volume is the folder on a PersistentVolumeClaim that receives the
	// Video's ladders. Each transcode publishes into a folder of its own
	// beneath it, named by the hash of its TranscodeJob's spec (the
	// revision): the master playlist, one folder per rendition and a poster
	// image. The ladder a newer one replaced is removed once the grace
	// period has passed since the newer one was published (2 hours by
	// default, the manager's --superseded-output-grace), so viewers
	// mid-playback can finish. Several streaming replicas on several nodes
	// need a ReadWriteMany claim; objectStore needs none.
	// +optional
	Volume *VolumePath `json:"volume,omitempty"`

	// objectStore is a bucket and prefix of an S3-compatible store. Each
	// transcode uploads beneath prefix/<revision>/, the master playlist
	// last, so a reader never sees half a ladder. Streaming pods read it
	// with ranged reads and a bounded local cache.
	// +optional
	ObjectStore *ObjectStoreOutput `json:"objectStore,omitempty"`

	// ipfs adds the ladder to an IPFS node; the root CID of its folder is
	// reported in status.playback.cid.
	// +optional
	IPFS *IPFSOutput `json:"ipfs,omitempty"`
}

// ObjectStoreOutput is where in an object store the ladders go.
type ObjectStoreOutput struct {
	S3Connection `json:",inline"`

	// bucket receives the ladders; it must exist.
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`
	// +required
	Bucket string `json:"bucket"`

	// prefix is the folder in the bucket, like a volume path: relative,
	// no empty, "." or ".." segment. Two Videos may not share or nest
	// prefixes in one bucket.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('/')",message="prefix must be relative (no leading '/')"
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.][.](/|$)')",message="prefix must not contain a '..' segment"
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.]?(/|$)')",message="prefix must not contain an empty or '.' segment (no '//', './' or trailing '/')"
	// +required
	Prefix string `json:"prefix"`

	// publicBaseURL, when set, is a CDN or public bucket URL that serves
	// the same keys: streaming pods redirect a public (ungated) video's
	// segments there instead of proxying them. Gated videos are always
	// proxied, since their segments need a token.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() == 'https' && url(self).getHostname() != '' && !self.contains('@') && !self.contains('?')",message="publicBaseURL must be an https URL with no user or query"
	// +optional
	PublicBaseURL string `json:"publicBaseURL,omitempty"`
}

// IPFSOutput is the IPFS node a ladder is added to.
type IPFSOutput struct {
	// api is the kubo RPC API that adds (and pins) the ladder,
	// http(s)://host:5001.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '' && !self.contains('@')",message="api must be an http(s) URL with no user"
	// +required
	API string `json:"api"`

	// gateway, when set, is what streaming pods read the ladder through
	// (read-only); without it they read through api.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != '' && !self.contains('@')",message="gateway must be an http(s) URL with no user"
	// +optional
	Gateway string `json:"gateway,omitempty"`

	// pin keeps the ladder from the node's garbage collection.
	// +kubebuilder:default=true
	// +optional
	Pin *bool `json:"pin,omitempty"`
}

// TranscodeSettings tune the Kubernetes Job that runs the transcoder.
type TranscodeSettings struct {
	// backoffLimit is how many times a failed transcode pod is retried
	// before the transcode is reported Failed.
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

	// resources of the transcode container. Set requests and limits so that
	// namespace ResourceQuotas apply.
	// +optional
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// PlaybackRendition describes one variant of a finished ladder.
type PlaybackRendition struct {
	// name of the rendition.
	Name string `json:"name"`
	// width of the picture in pixels.
	Width int32 `json:"width"`
	// height of the picture in pixels.
	Height int32 `json:"height"`
	// bandwidth is the peak bits per second announced in the master playlist.
	Bandwidth int64 `json:"bandwidth"`
}

// Playback describes a finished, playable ladder.
type Playback struct {
	// masterPlaylist is the path of the master playlist: on the output
	// volume, the object key in the bucket, or CID/master.m3u8 in IPFS.
	MasterPlaylist string `json:"masterPlaylist"`
	// cid is the root CID of the ladder's folder, for an IPFS output.
	// +optional
	CID string `json:"cid,omitempty"`
	// revision is the folder, named by the hash of the TranscodeJob's spec,
	// that holds this ladder beneath spec.output.volume.path.
	// +optional
	Revision string `json:"revision,omitempty"`
	// durationSeconds is the length of the video.
	// +optional
	DurationSeconds float64 `json:"durationSeconds,omitempty"`
	// renditions actually produced (renditions above the source are dropped).
	// +optional
	// +listType=atomic
	Renditions []PlaybackRendition `json:"renditions,omitempty"`
}

// ChainFamily is the kind of blockchain.
// +kubebuilder:validation:Enum=evm;solana
type ChainFamily string

const (
	ChainFamilyEVM    ChainFamily = "evm"
	ChainFamilySolana ChainFamily = "solana"
)

// RPCEndpoint says how to reach a chain's JSON-RPC node. The URL lives in a
// Secret because provider URLs usually embed an API key.
type RPCEndpoint struct {
	// secretRef names the Secret key that holds the RPC URL.
	// +required
	SecretRef SecretKeyReference `json:"secretRef"`
}

// ChainSpec identifies a chain and how to reach it.
// +kubebuilder:validation:XValidation:rule="self.family != 'evm' || has(self.chainId)",message="chain.chainId is required when chain.family is evm"
// +kubebuilder:validation:XValidation:rule="self.family != 'solana' || !has(self.chainId)",message="chain.chainId applies to evm chains only; use chain.network for solana"
// +kubebuilder:validation:XValidation:rule="self.family != 'solana' || has(self.network)",message="chain.network is required when chain.family is solana"
// +kubebuilder:validation:XValidation:rule="self.family != 'evm' || !has(self.network)",message="chain.network applies to solana only; use chain.chainId for evm"
type ChainSpec struct {
	// family of the chain: evm or solana.
	// +required
	Family ChainFamily `json:"family"`

	// chainId of an EVM chain (EIP-155), for example 1 for Ethereum mainnet.
	// Required for evm.
	// +kubebuilder:validation:Minimum=1
	// +optional
	ChainID *int64 `json:"chainId,omitempty"`

	// network of a Solana cluster. Required for solana.
	// +kubebuilder:validation:Enum=mainnet-beta;devnet;testnet;localnet
	// +optional
	Network string `json:"network,omitempty"`

	// rpc is the node the operator and the streaming pods ask.
	// +required
	RPC RPCEndpoint `json:"rpc"`
}
