package siwe

import (
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/sha3"
)

// validEIP55 checks the mixed-case checksum of an Ethereum address.
func validEIP55(addr string) bool {
	return ChecksumAddress(addr) == addr
}

// ChecksumAddress writes a 0x-prefixed hex address in EIP-55 mixed case.
func ChecksumAddress(addr string) string {
	lower := strings.ToLower(strings.TrimPrefix(addr, "0x"))
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	hash := hex.EncodeToString(h.Sum(nil))
	out := []byte(lower)
	for i, c := range out {
		if c >= 'a' && c <= 'f' && hash[i] >= '8' {
			out[i] = c - 32
		}
	}
	return "0x" + string(out)
}
