// Package evm talks to EVM chains: signature recovery (EIP-191, EIP-712),
// contract wallets (EIP-1271), and token ownership over JSON-RPC (ERC-721,
// ERC-1155, ERC-20, ERC-165).
package evm

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// ErrBadSignature is wrapped by every signature that does not check out.
var ErrBadSignature = errors.New("bad signature")

// secp256k1 half order: an s above it is the malleable twin of a valid
// signature (EIP-2), which wallets never produce.
var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// PersonalHash is the EIP-191 version 0x45 hash that personal_sign signs.
func PersonalHash(message []byte) common.Hash {
	return crypto.Keccak256Hash([]byte(fmt.Sprintf("\x19Ethereum Signed Message:\n%d", len(message))), message)
}

// RecoverHash returns the address that signed hash. The signature is 65
// bytes r||s||v with v 27/28 (or 0/1) and a low s.
func RecoverHash(hash common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want 65", ErrBadSignature, len(sig))
	}
	normalized := make([]byte, crypto.SignatureLength)
	copy(normalized, sig)
	switch v := normalized[64]; v {
	case 27, 28:
		normalized[64] = v - 27
	case 0, 1:
	default:
		return common.Address{}, fmt.Errorf("%w: v = %d", ErrBadSignature, v)
	}
	s := new(big.Int).SetBytes(normalized[32:64])
	if s.Sign() == 0 || s.Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, fmt.Errorf("%w: s is not in the lower half of the curve order (malleable)", ErrBadSignature)
	}
	pub, err := crypto.SigToPub(hash[:], normalized)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// RecoverPersonal returns the signer of an EIP-191 personal_sign message.
func RecoverPersonal(message, sig []byte) (common.Address, error) {
	return RecoverHash(PersonalHash(message), sig)
}

// TypedDataHash is the EIP-712 digest of typed data.
func TypedDataHash(td apitypes.TypedData) (common.Hash, error) {
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash typed data: %w", err)
	}
	return common.BytesToHash(hash), nil
}
