package gate

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
)

// EVMHoldings reads holdings from an EVM node over JSON-RPC.
type EVMHoldings struct {
	Client *evm.Client
}

// Holds implements Holdings for ERC-721, ERC-1155 and ERC-20 conditions.
func (h *EVMHoldings) Holds(ctx context.Context, c Condition, owner string) (bool, error) {
	if !common.IsHexAddress(owner) {
		return false, fmt.Errorf("%q is not an EVM address", owner)
	}
	who := common.HexToAddress(owner)
	contract := common.HexToAddress(c.Contract)
	ids, err := parseIDs(c.TokenIDs)
	if err != nil {
		return false, err
	}
	switch c.Standard {
	case ERC721:
		if len(ids) == 0 {
			balance, err := h.Client.BalanceOf(ctx, contract, who)
			if err != nil {
				return false, err
			}
			return balance.Cmp(c.MinBalanceInt()) >= 0, nil
		}
		return h.ownsAny(ctx, contract, ids, who)
	case ERC1155:
		owners := make([]common.Address, len(ids))
		for i := range owners {
			owners[i] = who
		}
		balances, err := h.Client.BalanceOfBatch(ctx, contract, owners, ids)
		if err != nil {
			return false, err
		}
		for _, b := range balances {
			if b.Cmp(c.MinBalanceInt()) >= 0 {
				return true, nil
			}
		}
		return false, nil
	case ERC20:
		balance, err := h.Client.BalanceOf(ctx, contract, who)
		if err != nil {
			return false, err
		}
		return balance.Cmp(c.MinBalanceInt()) >= 0, nil
	default:
		return false, fmt.Errorf("standard %s is not an EVM standard", c.Standard)
	}
}

// ownsAny asks ownerOf for every named token in one JSON-RPC batch.
func (h *EVMHoldings) ownsAny(ctx context.Context, contract common.Address, ids []*big.Int, who common.Address) (bool, error) {
	to := make([]common.Address, len(ids))
	data := make([][]byte, len(ids))
	for i, id := range ids {
		to[i] = contract
		data[i] = evm.OwnerOfCall(id)
	}
	outs, errs, err := h.Client.CallBatch(ctx, to, data)
	if err != nil {
		return false, err
	}
	for i, out := range outs {
		if errs[i] != nil {
			continue // a token that does not exist is owned by nobody
		}
		if len(out) >= 32 && common.BytesToAddress(out[12:32]) == who {
			return true, nil
		}
	}
	return false, nil
}

func parseIDs(ids []string) ([]*big.Int, error) {
	out := make([]*big.Int, len(ids))
	for i, s := range ids {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || v.Sign() < 0 {
			return nil, fmt.Errorf("token id %q is not a decimal integer", s)
		}
		out[i] = v
	}
	return out, nil
}
