package evm

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func selector(signature string) [4]byte {
	return [4]byte(crypto.Keccak256([]byte(signature))[:4])
}

func pack(sel [4]byte, words ...[]byte) []byte {
	out := make([]byte, 4, 4+32*len(words))
	copy(out, sel[:])
	for _, w := range words {
		out = append(out, w...)
	}
	return out
}

func addressWord(a common.Address) []byte { return common.LeftPadBytes(a[:], 32) }

func uintWord(v *big.Int) []byte { return common.LeftPadBytes(v.Bytes(), 32) }

func bytes4Word(b [4]byte) []byte { return common.RightPadBytes(b[:], 32) }

func uintResult(out []byte, what string) (*big.Int, error) {
	if len(out) < 32 {
		return nil, &shortAnswerError{what}
	}
	return new(big.Int).SetBytes(out[:32]), nil
}

type shortAnswerError struct{ what string }

func (e *shortAnswerError) Error() string { return e.what + ": short answer" }

// decodeString reads an ABI string return value (or a bytes32 one, as some
// old tokens return).
func decodeString(out []byte) string {
	if len(out) == 32 {
		return string(trimZeros(out))
	}
	if len(out) < 64 {
		return ""
	}
	offset := new(big.Int).SetBytes(out[:32])
	if !offset.IsInt64() || offset.Int64()+32 > int64(len(out)) {
		return ""
	}
	o := offset.Int64()
	length := new(big.Int).SetBytes(out[o : o+32])
	if !length.IsInt64() || o+32+length.Int64() > int64(len(out)) {
		return ""
	}
	return string(out[o+32 : o+32+length.Int64()])
}

func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// OwnerOfCall is the calldata of ownerOf(tokenId), for batched calls.
func OwnerOfCall(tokenID *big.Int) []byte { return pack(selOwnerOf, uintWord(tokenID)) }

// Calls of the standards whose holdings expire, for batched calls.
var (
	selExpiresAt                 = selector("expiresAt(uint256)")                   // ERC-5643
	selUserOf                    = selector("userOf(uint256)")                      // ERC-4907
	selUserExpires               = selector("userExpires(uint256)")                 // ERC-4907
	selGetHasValidKey            = selector("getHasValidKey(address)")              // Unlock PublicLock
	selTokenOfOwnerByIndex       = selector("tokenOfOwnerByIndex(address,uint256)") // Unlock PublicLock
	selKeyExpirationTimestampFor = selector("keyExpirationTimestampFor(uint256)")   // Unlock PublicLock
)

// ExpiresAtCall is the calldata of ERC-5643's expiresAt(tokenId).
func ExpiresAtCall(tokenID *big.Int) []byte { return pack(selExpiresAt, uintWord(tokenID)) }

// UserOfCall is the calldata of ERC-4907's userOf(tokenId).
func UserOfCall(tokenID *big.Int) []byte { return pack(selUserOf, uintWord(tokenID)) }

// UserExpiresCall is the calldata of ERC-4907's userExpires(tokenId).
func UserExpiresCall(tokenID *big.Int) []byte { return pack(selUserExpires, uintWord(tokenID)) }

// GetHasValidKeyCall is the calldata of PublicLock's getHasValidKey(owner).
func GetHasValidKeyCall(owner common.Address) []byte {
	return pack(selGetHasValidKey, addressWord(owner))
}

// TokenOfOwnerByIndexCall is the calldata of tokenOfOwnerByIndex(owner, i).
func TokenOfOwnerByIndexCall(owner common.Address, i int64) []byte {
	return pack(selTokenOfOwnerByIndex, addressWord(owner), uintWord(big.NewInt(i)))
}

// KeyExpirationCall is the calldata of PublicLock's keyExpirationTimestampFor(tokenId).
func KeyExpirationCall(tokenID *big.Int) []byte {
	return pack(selKeyExpirationTimestampFor, uintWord(tokenID))
}
