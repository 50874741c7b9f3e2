// Package indexerapi is the contract between the operator and an indexer
// pod (`streamgate index`), as internal/catalog is for streaming pods: the
// contracts the pod follows, the status document it serves on /v1/status
// and reports into its ChainIndexer, and the reasons both sides name. It
// knows nothing of Kubernetes, and neither side imports the other.
package indexerapi

import "github.com/ethereum/go-ethereum/common"

// Contract is one followed contract.
type Contract struct {
	Address common.Address `json:"address"`
	// Standard: ERC721, ERC1155 or ERC20. An ERC721 contract's ERC-5643
	// subscriptions and ERC-4907 rentals are followed too.
	Standard  string `json:"standard"`
	FromBlock uint64 `json:"fromBlock"`
}

// Status is what an indexer reports of itself.
type Status struct {
	ChainID  uint64 `json:"chainId"`
	Head     uint64 `json:"headBlock"`
	Indexed  uint64 `json:"indexedBlock"`
	Lag      uint64 `json:"lagBlocks"`
	CaughtUp bool   `json:"caughtUp"`
	// Contracts the indexer follows: a gate asks it of these only.
	Contracts []Contract `json:"contracts,omitempty"`
	ErrReason string     `json:"errorReason,omitempty"`
	// ErrMsg is redacted: an RPC error quotes the URL, and with it the key.
	ErrMsg string `json:"error,omitempty"`
}

// Reasons an indexer gives for not following its chain; the ChainIndexer's
// conditions carry them.
const (
	ReasonRPCUnreachable  = "RPCUnreachable"
	ReasonChainIDMismatch = "ChainIDMismatch"
)
