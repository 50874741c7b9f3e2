// Package chain proves who signed a sign-in message: EIP-4361 messages
// signed with personal_sign (EIP-191) or as EIP-712 typed data by an EVM
// wallet or an EIP-1271 contract wallet, and Sign-In With Solana messages
// signed with ed25519. It knows nothing of Kubernetes.
package chain

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"

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
)

// Verifier proves who signed a sign-in message and that it is the one the
// relying party expects.
type Verifier interface {
	Verify(ctx context.Context, proof Proof, want siwe.Expectations) (*siwe.Message, error)
}

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

// Verify parses and checks the message, then the signature.
func (v *SignInVerifier) Verify(ctx context.Context, proof Proof, want siwe.Expectations) (*siwe.Message, error) {
	msg, err := siwe.Parse(proof.Message)
	if err != nil {
		return nil, err
	}
	if err := msg.Check(want); err != nil {
		return nil, err
	}
	switch msg.Family {
	case siwe.Solana:
		if proof.Scheme != SchemeSolana {
			return nil, fmt.Errorf("%w: a Solana message needs scheme %q", ErrBadSignature, SchemeSolana)
		}
		return msg, verifySolana(msg, proof)
	default:
		return msg, v.verifyEVM(ctx, msg, proof)
	}
}

func (v *SignInVerifier) verifyEVM(ctx context.Context, msg *siwe.Message, proof Proof) error {
	sig, err := hexutil.Decode(proof.Signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not 0x-hex", ErrBadSignature)
	}
	chainID, err := msg.ChainIDNumber()
	if err != nil {
		return fmt.Errorf("%w: chain id %q", ErrBadMessage, msg.ChainID)
	}
	var hash common.Hash
	switch proof.Scheme {
	case SchemePersonalSign, "":
		hash = evm.PersonalHash([]byte(proof.Message))
	case SchemeTypedData:
		if hash, err = evm.TypedDataHash(SignInTypedData(proof.Message, chainID)); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: unknown scheme %q", ErrBadSignature, proof.Scheme)
	}
	claimed := common.HexToAddress(msg.Address)
	signer, recoverErr := evm.RecoverHash(hash, sig)
	if recoverErr == nil && signer == claimed {
		return nil
	}
	// Not signed by the account's own key: it may be a contract wallet.
	var checker WalletChecker
	if v.Wallets != nil {
		checker = v.Wallets(chainID)
	}
	if checker != nil {
		isContract, err := checker.HasCode(ctx, claimed)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		if isContract {
			ok, err := checker.IsValidSignature(ctx, claimed, hash, sig)
			switch {
			case err != nil:
				return fmt.Errorf("%w: %v", ErrUnavailable, err)
			case ok:
				return nil
			}
			return fmt.Errorf("%w: contract wallet %s refused the signature (EIP-1271)", ErrBadSignature, claimed.Hex())
		}
	}
	if recoverErr != nil {
		return recoverErr
	}
	return fmt.Errorf("%w: signed by %s, not by %s", ErrBadSignature, signer.Hex(), claimed.Hex())
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
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: address is not a 32-byte base58 key", ErrBadMessage)
	}
	sig, err := decodeSolanaSignature(proof.Signature)
	if err != nil {
		return err
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), []byte(proof.Message), sig) {
		return fmt.Errorf("%w: ed25519 signature does not match %s", ErrBadSignature, msg.Address)
	}
	return nil
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
