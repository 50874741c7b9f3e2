package solana

import (
	"encoding/binary"
	"errors"
	"fmt"

	sol "github.com/gagliardetto/solana-go"
)

// Metadata is the part of a Metaplex Token Metadata account a gate needs.
type Metadata struct {
	UpdateAuthority sol.PublicKey
	Mint            sol.PublicKey
	Name, Symbol    string
	URI             string
	Collection      *Collection
}

// Collection is the collection a token says it belongs to.
type Collection struct {
	Verified bool
	Key      sol.PublicKey
}

// metadataKeyV1 is the account discriminator of MetadataV1.
const metadataKeyV1 = 4

var errShort = errors.New("metadata account is truncated")

// DecodeMetadata reads the borsh layout of a MetadataV1 account:
// key u8 | update_authority | mint | name, symbol, uri (u32-length strings) |
// seller_fee_basis_points u16 | creators Option<Vec<(pubkey, bool, u8)>> |
// primary_sale_happened bool | is_mutable bool | edition_nonce Option<u8> |
// token_standard Option<u8> | collection Option<(bool, pubkey)> | ...
func DecodeMetadata(data []byte) (*Metadata, error) {
	r := reader{data: data}
	if key := r.u8(); key != metadataKeyV1 {
		return nil, fmt.Errorf("not a MetadataV1 account (key %d)", key)
	}
	md := &Metadata{UpdateAuthority: r.pubkey(), Mint: r.pubkey()}
	md.Name, md.Symbol, md.URI = trimNUL(r.str()), trimNUL(r.str()), trimNUL(r.str())
	r.skip(2) // seller_fee_basis_points
	if r.u8() == 1 {
		n := r.u32()
		if n > 5 {
			return nil, errors.New("more than 5 creators")
		}
		r.skip(int(n) * (32 + 1 + 1))
	}
	r.skip(2) // primary_sale_happened, is_mutable
	if r.u8() == 1 {
		r.skip(1) // edition_nonce
	}
	if r.u8() == 1 {
		r.skip(1) // token_standard
	}
	if r.u8() == 1 {
		md.Collection = &Collection{Verified: r.u8() == 1, Key: r.pubkey()}
	}
	if r.err != nil {
		return nil, r.err
	}
	return md, nil
}

type reader struct {
	data []byte
	off  int
	err  error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || r.off+n > len(r.data) {
		r.err = errShort
		return make([]byte, max(n, 0))
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b
}

func (r *reader) skip(n int)            { r.take(n) }
func (r *reader) u8() byte              { return r.take(1)[0] }
func (r *reader) u32() uint32           { return binary.LittleEndian.Uint32(r.take(4)) }
func (r *reader) pubkey() sol.PublicKey { return sol.PublicKeyFromBytes(r.take(32)) }
func (r *reader) str() string {
	n := r.u32()
	if n > 1<<12 {
		r.err = fmt.Errorf("string of %d bytes", n)
		return ""
	}
	return string(r.take(int(n)))
}

func trimNUL(s string) string {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}
