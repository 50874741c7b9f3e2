// Package chain proves who signed a sign-in message: EIP-4361 messages
// signed with personal_sign (EIP-191) or as EIP-712 typed data by an EVM
// wallet or an EIP-1271 contract wallet, and Sign-In With Solana messages
// signed with ed25519. It knows nothing of Kubernetes.
package chain

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"filippo.io/edwards25519"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/mr-tron/base58"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
)

// Scheme is how the wallet signed.
type Scheme string

const (
	// SchemePersonalSign: EIP-191 personal_sign over the message text.
	SchemePersonalSign Scheme = "eip191"
	// SchemeTypedData: EIP-712 typed data {SignIn: {message: text}}.
	SchemeTypedData Scheme = "eip712"
	// SchemeSolana: ed25519 over the message text.
	SchemeSolana Scheme = "solana"
)

// Proof is what a wallet hands back: the message it was shown and its
// signature (0x-hex for EVM; base58 or base64 for Solana).
type Proof struct {
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Scheme    Scheme `json:"scheme"`
}

// Errors, for callers that map them to HTTP answers.
var (
	ErrBadSignature = evm.ErrBadSignature
	ErrBadMessage   = siwe.ErrInvalid
	// ErrUnavailable: the chain could not be asked (EIP-1271); fail closed.
	ErrUnavailable = errors.New("chain unavailable")
	// ErrWeakKey: a Solana address that is no one's key (small order or
	// not canonical), such as the System Program's 1111…1111.
	ErrWeakKey = fmt.Errorf("%w: the address is not a usable ed25519 key", ErrBadSignature)
)

// Verifier proves who signed a sign-in message in two steps, so that a
// caller can run every local check (its own first) before anything that
// costs a chain call: Check parses the message, checks its fields and,
// where the signer's key can tell, the signature; VerifyOnChain then asks
// an EIP-1271 wallet, only when Check could not decide. Check takes the
// message as the caller parsed it from proof.Message (it needs its nonce
// before anything else).
type Verifier interface {
	Check(msg *siwe.Message, proof Proof, want siwe.Expectations) (*Checked, error)
	VerifyOnChain(ctx context.Context, c *Checked) error
}

// Checked is a sign-in whose message and (local) signature checked out.
type Checked struct {
	Message *siwe.Message
	// Origin is the configured origin the message was signed for.
	Origin siwe.Origin
	// contract is set when the signature was not made by the address's own
	// key: only the address's code (EIP-1271) can accept it.
	contract *contractProof
}

type contractProof struct {
	chainID uint64
	hash    common.Hash
	sig     []byte
}

// NeedsChain says whether VerifyOnChain will call the chain.
func (c *Checked) NeedsChain() bool { return c.contract != nil }

// WalletChecker asks a chain about contract wallets (EIP-1271).
type WalletChecker interface {
	HasCode(ctx context.Context, addr common.Address) (bool, error)
	IsValidSignature(ctx context.Context, wallet common.Address, hash common.Hash, sig []byte) (bool, error)
}

// SignInVerifier verifies EVM and Solana sign-ins.
type SignInVerifier struct {
	// Wallets returns the checker for an EVM chain id, or nil when contract
	// wallets cannot be checked on that chain.
	Wallets func(chainID uint64) WalletChecker
}

var _ Verifier = (*SignInVerifier)(nil)

// Verify is Check then VerifyOnChain.
func (v *SignInVerifier) Verify(ctx context.Context, proof Proof, want siwe.Expectations) (*siwe.Message, error) {
	msg, err := siwe.Parse(proof.Message)
	if err != nil {
		return nil, err
	}
	c, err := v.Check(msg, proof, want)
	if err != nil {
		return nil, err
	}
	return c.Message, v.VerifyOnChain(ctx, c)
}

// Check checks msg, parsed from proof.Message, then the signature as far as
// it can be checked without a chain.
func (v *SignInVerifier) Check(msg *siwe.Message, proof Proof, want siwe.Expectations) (*Checked, error) {
	origin, err := msg.Check(want)
	if err != nil {
		return nil, err
	}
	c := &Checked{Message: msg, Origin: origin}
	switch msg.Family {
	case siwe.Solana:
		if proof.Scheme != SchemeSolana {
			return nil, fmt.Errorf("%w: a Solana message needs scheme %q", ErrBadSignature, SchemeSolana)
		}
		return c, verifySolana(msg, proof)
	default:
		if proof.Scheme == SchemeSolana {
			return nil, fmt.Errorf("%w: scheme %q signs Solana messages only", ErrBadSignature, SchemeSolana)
		}
		c.contract, err = v.checkEVM(msg, proof)
		return c, err
	}
}

// checkEVM recovers the signer; when it is not the claimed address, the
// address may be a contract wallet, which only the chain can answer.
func (v *SignInVerifier) checkEVM(msg *siwe.Message, proof Proof) (*contractProof, error) {
	sig, err := hexutil.Decode(proof.Signature)
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not 0x-hex", ErrBadSignature)
	}
	chainID, err := msg.ChainIDNumber()
	if err != nil {
		return nil, fmt.Errorf("%w: chain id %q", ErrBadMessage, msg.ChainID)
	}
	var hash common.Hash
	switch proof.Scheme {
	case SchemePersonalSign, "":
		hash = evm.PersonalHash([]byte(proof.Message))
	case SchemeTypedData:
		if hash, err = evm.TypedDataHash(SignInTypedData(proof.Message, chainID)); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: unknown scheme %q", ErrBadSignature, proof.Scheme)
	}
	claimed := common.HexToAddress(msg.Address)
	signer, recoverErr := evm.RecoverHash(hash, sig)
	if recoverErr == nil && signer == claimed {
		return nil, nil
	}
	if v.Wallets == nil || v.Wallets(chainID) == nil || len(sig) == 0 || len(sig) > maxContractSignature {
		if recoverErr != nil {
			return nil, recoverErr
		}
		return nil, fmt.Errorf("%w: signed by %s, not by %s", ErrBadSignature, signer.Hex(), claimed.Hex())
	}
	return &contractProof{chainID: chainID, hash: hash, sig: sig}, nil
}

// maxContractSignature bounds what is sent to a wallet contract: multisig
// signatures are 65 bytes per owner.
const maxContractSignature = 4096

// VerifyOnChain asks the claimed address's code (EIP-1271) when Check could
// not decide; it does nothing otherwise.
func (v *SignInVerifier) VerifyOnChain(ctx context.Context, c *Checked) error {
	if c.contract == nil {
		return nil
	}
	checker := v.Wallets(c.contract.chainID)
	claimed := common.HexToAddress(c.Message.Address)
	isContract, err := checker.HasCode(ctx, claimed)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if !isContract {
		return fmt.Errorf("%w: not signed by %s", ErrBadSignature, claimed.Hex())
	}
	ok, err := checker.IsValidSignature(ctx, claimed, c.contract.hash, c.contract.sig)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	case !ok:
		return fmt.Errorf("%w: contract wallet %s refused the signature (EIP-1271)", ErrBadSignature, claimed.Hex())
	}
	return nil
}

// SignInTypedData is the EIP-712 form of a sign-in: the EIP-4361 text
// itself, under a StreamGate domain on the message's chain. The server
// builds it from the text, so nothing but the signature comes from the
// client.
func SignInTypedData(message string, chainID uint64) apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}},
			"SignIn":       {{Name: "message", Type: "string"}},
		},
		PrimaryType: "SignIn",
		Domain:      apitypes.TypedDataDomain{Name: "StreamGate", Version: "1", ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(chainID))},
		Message:     apitypes.TypedDataMessage{"message": message},
	}
}

func verifySolana(msg *siwe.Message, proof Proof) error {
	pub, err := base58.Decode(msg.Address)
	if err != nil || len(pub) != ed25519.PublicKeySize || base58.Encode(pub) != msg.Address {
		return fmt.Errorf("%w: address is not a 32-byte base58 key", ErrBadMessage)
	}
	if !strongPoint(pub) {
		return ErrWeakKey
	}
	sig, err := decodeSolanaSignature(proof.Signature)
	if err != nil {
		return err
	}
	// R must be a canonical point of large order too: with a small-order R
	// a signature is not bound to the message the way RFC 8032 means.
	if !strongPoint(sig[:32]) {
		return fmt.Errorf("%w: ed25519 signature with a weak R", ErrBadSignature)
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), []byte(proof.Message), sig) {
		return fmt.Errorf("%w: ed25519 signature does not match %s", ErrBadSignature, msg.Address)
	}
	return nil
}

// strongPoint: b is the canonical encoding of a curve point whose order is
// not small. Go's ed25519.Verify takes any encoding that decodes; for a key
// of small order (the identity, 1111…1111 in base58, among them) R = -[k]A
// and S = 0 pass for every message, so anyone could sign in as such a key.
func strongPoint(b []byte) bool {
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil || !bytes.Equal(p.Bytes(), b) {
		return false
	}
	return new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 0
}

func decodeSolanaSignature(s string) ([]byte, error) {
	if sig, err := base58.Decode(s); err == nil && len(sig) == ed25519.SignatureSize {
		return sig, nil
	}
	if sig, err := base64.StdEncoding.DecodeString(s); err == nil && len(sig) == ed25519.SignatureSize {
		return sig, nil
	}
	if strings.HasPrefix(s, "0x") {
		if sig, err := hexutil.Decode(s); err == nil && len(sig) == ed25519.SignatureSize {
			return sig, nil
		}
	}
	return nil, fmt.Errorf("%w: a Solana signature is 64 bytes in base58, base64 or 0x-hex", ErrBadSignature)
}
