package gate

import (
	"context"
	"fmt"

	"github.com/streamgate-io/streamgate/internal/chain/solana"
)

// SolanaHoldings reads Metaplex collection holdings from a Solana node.
type SolanaHoldings struct {
	Client *solana.Client
}

// Holds implements Holdings for Metaplex conditions.
func (h *SolanaHoldings) Holds(ctx context.Context, c Condition, owner string) (bool, error) {
	if c.Standard != Metaplex {
		return false, fmt.Errorf("standard %s is not a Solana standard", c.Standard)
	}
	return h.Client.HoldsVerifiedCollection(ctx, owner, c.Collection)
}
