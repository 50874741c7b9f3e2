package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ConditionSynced is set on a ChainIndexer when its holdings are within the
// confirmation depth of the chain head.
const ConditionSynced = "Synced"

// IndexedContract is one token contract an indexer follows.
type IndexedContract struct {
	// address of the contract, 0x followed by 40 hex digits.
	// +kubebuilder:validation:MaxLength=42
	// +kubebuilder:validation:XValidation:rule="self.matches('^0x[0-9a-fA-F]{40}$')",message="address must be an EVM address: 0x followed by 40 hexadecimal characters"
	// +required
	Address string `json:"address"`

	// standard of the contract: ERC721, ERC1155 or ERC20. An ERC721
	// contract's ERC-5643 subscriptions (SubscriptionUpdate) and ERC-4907
	// rentals (UpdateUser) are followed with its transfers.
	// +kubebuilder:validation:XValidation:rule="self in ['ERC721', 'ERC1155', 'ERC20']",message="a ChainIndexer follows ERC721, ERC1155 and ERC20 contracts only; follow ERC-5643 and ERC-4907 passes as ERC721: their expiries and renters come with their transfers"
	// +required
	Standard TokenStandard `json:"standard"`

	// fromBlock is the block to start from, usually the contract's
	// deployment block.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:default=0
	// +optional
	FromBlock int64 `json:"fromBlock,omitempty"`
}

// IndexerStorage is the volume that holds the indexer's store.
type IndexerStorage struct {
	// size of the PersistentVolumeClaim.
	// +kubebuilder:default="1Gi"
	// +optional
	Size *resource.Quantity `json:"size,omitempty"`

	// storageClassName of the claim; the cluster default when omitted.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	StorageClassName *string `json:"storageClassName,omitempty"`
}

// ChainIndexerSpec is a chain and the contracts to follow on it.
// +kubebuilder:validation:XValidation:rule="self.chain.family == 'evm'",message="ChainIndexer supports chain.family evm only"
type ChainIndexerSpec struct {
	// chain to follow; evm only.
	// +required
	Chain ChainSpec `json:"chain"`

	// contracts to follow; addresses must be unique.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:XValidation:rule="self.all(c, self.exists_one(o, o.address.lowerAscii() == c.address.lowerAscii()))",message="contract addresses must be unique"
	// +listType=atomic
	// +required
	Contracts []IndexedContract `json:"contracts"`

	// confirmations is how deep a block must be before it is applied. When
	// omitted, the node's finalized block is followed where the node has
	// that tag, else a depth chosen from the chain id (1: 12, 137: 200,
	// 10/8453/42161: 24, local 31337/1337: 0, others: 64).
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000
	// +optional
	Confirmations *int32 `json:"confirmations,omitempty"`

	// batchBlocks is the starting eth_getLogs block range; it adapts at run
	// time to what the node accepts.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100000
	// +kubebuilder:default=2000
	// +optional
	BatchBlocks int32 `json:"batchBlocks,omitempty"`

	// pollInterval is how often the head is checked, 100ms to 5m.
	// +kubebuilder:validation:Format=duration
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('100ms') && duration(self) <= duration('5m')",message="pollInterval must be between 100ms and 5m"
	// +kubebuilder:default="2s"
	// +optional
	PollInterval *metav1.Duration `json:"pollInterval,omitempty"`

	// storage for the indexer's embedded store.
	// +kubebuilder:default={}
	// +optional
	Storage IndexerStorage `json:"storage,omitempty"`
}

// ChainIndexerStatus is what the indexer and the operator observed.
type ChainIndexerStatus struct {
	// headBlock is the chain's latest block number seen.
	// +optional
	HeadBlock int64 `json:"headBlock,omitempty"`

	// indexedBlock is the last block applied to the store.
	// +optional
	IndexedBlock int64 `json:"indexedBlock,omitempty"`

	// lagBlocks is headBlock - indexedBlock.
	// +optional
	LagBlocks int64 `json:"lagBlocks,omitempty"`

	// url of the indexer's query API inside the cluster.
	// +optional
	URL string `json:"url,omitempty"`

	// caughtUp is reported by the indexer: its store is within the
	// confirmation depth of the head.
	// +optional
	CaughtUp bool `json:"caughtUp,omitempty"`

	// lastError is the indexer's latest problem with the chain, cleared when
	// it recovers.
	// +optional
	LastError *IndexerError `json:"lastError,omitempty"`

	// reportedAt is when the indexer last reported.
	// +optional
	ReportedAt *metav1.Time `json:"reportedAt,omitempty"`

	// observedGeneration is the metadata.generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Synced, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// IndexerError is a problem the indexer reports.
type IndexerError struct {
	// reason: RPCUnreachable or ChainIDMismatch.
	Reason string `json:"reason"`
	// message is for people.
	// +optional
	Message string `json:"message,omitempty"`
}

// A ChainIndexer follows token transfers of some contracts on an EVM chain
// and answers ownership queries for NFTGates without an RPC round trip.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=cidx,categories=streamgate
// +kubebuilder:printcolumn:name="Chain ID",type=integer,JSONPath=`.spec.chain.chainId`
// +kubebuilder:printcolumn:name="Head",type=integer,JSONPath=`.status.headBlock`
// +kubebuilder:printcolumn:name="Indexed",type=integer,JSONPath=`.status.indexedBlock`
// +kubebuilder:printcolumn:name="Lag",type=integer,JSONPath=`.status.lagBlocks`
// +kubebuilder:printcolumn:name="Synced",type=string,JSONPath=`.status.conditions[?(@.type=="Synced")].status`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ChainIndexer struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired indexer.
	// +required
	Spec ChainIndexerSpec `json:"spec"`

	// status is the observed state. It starts with observedGeneration -1,
	// so that kstatus and GitOps tools see the object as in progress until
	// the operator has looked at it.
	// +kubebuilder:default={"observedGeneration":-1}
	// +optional
	Status ChainIndexerStatus `json:"status,omitempty"`
}

// ChainIndexerList is a list of ChainIndexers.
// +kubebuilder:object:root=true
type ChainIndexerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ChainIndexer `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ChainIndexer{}, &ChainIndexerList{})
}
