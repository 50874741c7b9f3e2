package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TokenStandard is the kind of token a gate condition checks.
// +kubebuilder:validation:Enum=ERC721;ERC1155;ERC20;ERC5643;ERC4907;UnlockKey;Metaplex
type TokenStandard string

const (
	StandardERC721   TokenStandard = "ERC721"
	StandardERC1155  TokenStandard = "ERC1155"
	StandardERC20    TokenStandard = "ERC20"
	StandardMetaplex TokenStandard = "Metaplex"
	// StandardERC5643: owns one of tokenIds of a subscription NFT, until its
	// expiresAt.
	StandardERC5643 TokenStandard = "ERC5643"
	// StandardERC4907: is the current user (renter) of one of tokenIds of a
	// rentable NFT until the rental ends, or its owner while it is not rented
	// out (or always, with ownersDuringRental).
	StandardERC4907 TokenStandard = "ERC4907"
	// StandardUnlockKey: holds a valid key of an Unlock Protocol lock
	// (contract: the PublicLock), until the key expires.
	StandardUnlockKey TokenStandard = "UnlockKey"
)

// HoldingCondition is one thing a wallet may hold.
//
//   - ERC721: any token of contract (or one of tokenIds when given).
//   - ERC1155: at least minBalance of one of tokenIds of contract.
//   - ERC20: at least minBalance (in the token's smallest unit) of contract.
//   - Metaplex: an NFT of the verified Metaplex collection (Solana).
//
// +kubebuilder:validation:XValidation:rule="self.standard == 'Metaplex' || has(self.contract)",message="contract is required for every evm condition (ERC721, ERC1155, ERC20, ERC5643, ERC4907, UnlockKey)"
// +kubebuilder:validation:XValidation:rule="self.standard != 'Metaplex' || has(self.collection)",message="collection is required for Metaplex conditions"
// +kubebuilder:validation:XValidation:rule="self.standard != 'Metaplex' || !has(self.contract)",message="contract does not apply to Metaplex conditions; use collection"
// +kubebuilder:validation:XValidation:rule="self.standard == 'Metaplex' || !has(self.collection)",message="collection applies to Metaplex conditions only"
// +kubebuilder:validation:XValidation:rule="self.standard != 'ERC1155' || (has(self.tokenIds) && size(self.tokenIds) > 0)",message="ERC1155 conditions need at least one tokenId"
// +kubebuilder:validation:XValidation:rule="!(self.standard in ['ERC20', 'UnlockKey', 'Metaplex']) || !has(self.tokenIds)",message="tokenIds apply to ERC721, ERC1155, ERC5643 and ERC4907 conditions only"
// +kubebuilder:validation:XValidation:rule="!(self.standard in ['ERC721', 'ERC5643', 'ERC4907', 'UnlockKey']) || !has(self.minBalance)",message="minBalance applies to ERC1155, ERC20 and Metaplex conditions only; holding one token or key is enough"
// +kubebuilder:validation:XValidation:rule="self.standard == 'ERC4907' || !has(self.ownersDuringRental)",message="ownersDuringRental applies to ERC4907 conditions only"
type HoldingCondition struct {
	// standard of the token: ERC721, ERC1155, ERC20, ERC5643 (subscriptions),
	// ERC4907 (rentals), UnlockKey (evm) or Metaplex (solana). ERC5643,
	// ERC4907 and UnlockKey holdings end at a time: access, and every playback
	// token it earned, ends then too.
	// +required
	Standard TokenStandard `json:"standard"`

	// contract is the token contract's address, 0x followed by 40 hex digits.
	// +kubebuilder:validation:MaxLength=42
	// +kubebuilder:validation:XValidation:rule="self.matches('^0x[0-9a-fA-F]{40}$')",message="contract must be an EVM address: 0x followed by 40 hexadecimal characters"
	// +optional
	Contract string `json:"contract,omitempty"`

	// tokenIds restricts the condition to these token ids (decimal).
	// ERC5643 and ERC4907 conditions need them unless the gate has an
	// indexerRef, which finds the passes an address owns or rents.
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=78
	// +kubebuilder:validation:XValidation:rule="self.all(id, id.matches('^[0-9]{1,78}$'))",message="each tokenId must be a decimal integer"
	// +listType=set
	// +optional
	TokenIDs []string `json:"tokenIds,omitempty"`

	// minBalance is the least balance that passes, a decimal integer in the
	// token's smallest unit. Defaults to 1.
	// +kubebuilder:validation:MaxLength=78
	// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9][0-9]{0,77}$')",message="minBalance must be a positive decimal integer in the token's smallest unit"
	// +optional
	MinBalance string `json:"minBalance,omitempty"`

	// collection is the mint address (base58) of a verified Metaplex collection.
	// +kubebuilder:validation:MaxLength=44
	// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9A-HJ-NP-Za-km-z]{32,44}$')",message="collection must be a base58 Solana address (32 to 44 characters)"
	// +optional
	Collection string `json:"collection,omitempty"`

	// ownersDuringRental lets an ERC4907 token's owner watch while it is
	// rented out too (default: only the renter, until the rental ends).
	// +optional
	OwnersDuringRental *bool `json:"ownersDuringRental,omitempty"`
}

// NFTGateSpec says which wallets may watch.
// +kubebuilder:validation:XValidation:rule="has(self.anyOf) != has(self.allOf)",message="exactly one of anyOf or allOf must be set"
// +kubebuilder:validation:XValidation:rule="!has(self.anyOf) || self.anyOf.all(c, (c.standard == 'Metaplex') == (self.chain.family == 'solana'))",message="standard does not match chain.family: Metaplex needs solana, the others need evm"
// +kubebuilder:validation:XValidation:rule="!has(self.allOf) || self.allOf.all(c, (c.standard == 'Metaplex') == (self.chain.family == 'solana'))",message="standard does not match chain.family: Metaplex needs solana, the others need evm"
// +kubebuilder:validation:XValidation:rule="!has(self.indexerRef) || self.chain.family == 'evm'",message="indexerRef is supported for evm chains only"
// +kubebuilder:validation:XValidation:rule="has(self.indexerRef) || ((!has(self.anyOf) || self.anyOf.all(c, !(c.standard in ['ERC5643', 'ERC4907']) || has(c.tokenIds))) && (!has(self.allOf) || self.allOf.all(c, !(c.standard in ['ERC5643', 'ERC4907']) || has(c.tokenIds))))",message="ERC5643 and ERC4907 conditions need tokenIds unless the gate has an indexerRef: without an index, expiries and renters are read per token"
type NFTGateSpec struct {
	// chain the tokens live on.
	// +required
	Chain ChainSpec `json:"chain"`

	// anyOf passes a wallet that meets at least one condition.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	// +optional
	AnyOf []HoldingCondition `json:"anyOf,omitempty"`

	// allOf passes a wallet that meets every condition.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	// +optional
	AllOf []HoldingCondition `json:"allOf,omitempty"`

	// indexerRef names a ChainIndexer in the same namespace to read holdings
	// from instead of asking the RPC node on every sign-in. Conditions on
	// contracts it does not follow, UnlockKey conditions, and every
	// condition while it is behind the chain, are asked of the RPC node.
	// +optional
	IndexerRef *LocalObjectReference `json:"indexerRef,omitempty"`

	// cacheTTL is how long a wallet's holdings are remembered, 0s to 1h.
	// +kubebuilder:validation:Format=duration
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('0s') && duration(self) <= duration('1h')",message="cacheTTL must be between 0s and 1h"
	// +kubebuilder:default="60s"
	// +optional
	CacheTTL *metav1.Duration `json:"cacheTTL,omitempty"`
}

// ContractStatus is what the operator learned about one contract.
type ContractStatus struct {
	// address of the contract (or collection mint on Solana).
	Address string `json:"address"`
	// name reported by the contract, when it has one.
	// +optional
	Name string `json:"name,omitempty"`
	// symbol reported by the contract, when it has one.
	// +optional
	Symbol string `json:"symbol,omitempty"`
	// standardVerified is true when the contract answered as its standard
	// (ERC-165 for ERC721/ERC1155, decimals/totalSupply for ERC20).
	StandardVerified bool `json:"standardVerified"`
}

// NFTGateStatus is what the operator observed.
type NFTGateStatus struct {
	// contracts checked, in the order of the conditions.
	// +listType=atomic
	// +optional
	Contracts []ContractStatus `json:"contracts,omitempty"`

	// lastValidated is when the gate was last checked against the chain.
	// +optional
	LastValidated *metav1.Time `json:"lastValidated,omitempty"`

	// observedGeneration is the metadata.generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// An NFTGate lets in only the wallets that hold given tokens: ERC-721,
// ERC-1155 or ERC-20 on an EVM chain, or a Metaplex collection on Solana.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=gate,categories=streamgate
// +kubebuilder:printcolumn:name="Chain",type=string,JSONPath=`.spec.chain.family`
// +kubebuilder:printcolumn:name="Chain ID",type=integer,JSONPath=`.spec.chain.chainId`
// +kubebuilder:printcolumn:name="Network",type=string,JSONPath=`.spec.chain.network`,priority=1
// +kubebuilder:printcolumn:name="Indexer",type=string,JSONPath=`.spec.indexerRef.name`,priority=1
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type NFTGate struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired gate.
	// +required
	Spec NFTGateSpec `json:"spec"`

	// status is the observed state. It starts with observedGeneration -1,
	// so that kstatus and GitOps tools see the object as in progress until
	// the operator has looked at it.
	// +kubebuilder:default={"observedGeneration":-1}
	// +optional
	Status NFTGateStatus `json:"status,omitempty"`
}

// NFTGateList is a list of NFTGates.
// +kubebuilder:object:root=true
type NFTGateList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NFTGate `json:"items"`
}

func init() {
	SchemeBuilder.Register(&NFTGate{}, &NFTGateList{})
}
