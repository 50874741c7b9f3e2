package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/mr-tron/base58"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/chain/siwe"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

var issued = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func signInMessage(addr, chainID string) string {
	return "watch.example.com wants you to sign in with your Ethereum account:\n" + addr + "\n\n" +
		"Sign in to watch members-only videos.\n\n" +
		"URI: https://watch.example.com/watch/tenant-a/intro\nVersion: 1\nChain ID: " + chainID + "\n" +
		"Nonce: n0nce1234abcd\nIssued At: " + issued.Format(time.RFC3339) + "\nExpiration Time: " + issued.Add(5*time.Minute).Format(time.RFC3339)
}

func expectations() siwe.Expectations {
	origin, _ := siwe.ParseOrigin("https://watch.example.com")
	return siwe.Expectations{Origins: []siwe.Origin{origin}, ChainID: "31337", Nonce: "n0nce1234abcd", Now: issued.Add(30 * time.Second)}
}

// cast is foundry's wallet CLI: its signatures are a real wallet's output.
func cast(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(devchain.ToolsDir(), "@foundry-rs", "cast-linux-amd64", "bin", "cast")
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cast %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestEIP712VectorFromTheEIP(t *testing.T) {
	// The "Mail" example of EIP-712: signer key keccak256("cow").
	var td apitypes.TypedData
	mail := `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
	 "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
	 "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
	 "primaryType":"Mail",
	 "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
	 "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}`
	if err := json.Unmarshal([]byte(mail), &td); err != nil {
		t.Fatal(err)
	}
	hash, err := evm.TypedDataHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if hash.Hex() != "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2" {
		t.Errorf("hash = %s, want the EIP's", hash.Hex())
	}
	sig := append(append(common.FromHex("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"),
		common.FromHex("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")...), 28)
	signer, err := evm.RecoverHash(hash, sig)
	if err != nil || signer != common.HexToAddress("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826") {
		t.Errorf("recovered %s, %v; want Cow's address", signer.Hex(), err)
	}
}

func TestPersonalSignFromARealWallet(t *testing.T) {
	key := devchain.Key(1)
	addr := devchain.Address(key).Hex()
	msg := signInMessage(addr, "31337")
	sig := cast(t, "wallet", "sign", "--private-key", hexutil.Encode(crypto.FromECDSA(key)), msg)
	v := &SignInVerifier{}
	got, err := v.Verify(context.Background(), Proof{Message: msg, Signature: sig, Scheme: SchemePersonalSign}, expectations())
	if err != nil {
		t.Fatalf("cast's personal_sign refused: %v", err)
	}
	if got.Address != addr {
		t.Errorf("address %s", got.Address)
	}

	// v as 0/1 instead of 27/28 is the same signature.
	raw := common.FromHex(sig)
	raw[64] -= 27
	if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: hexutil.Encode(raw)}, expectations()); err != nil {
		t.Errorf("v=0/1 refused: %v", err)
	}
}

func TestTypedDataSignInFromARealWallet(t *testing.T) {
	key := devchain.Key(2)
	addr := devchain.Address(key).Hex()
	msg := signInMessage(addr, "31337")
	// Written out as a dapp would hand it to eth_signTypedData_v4.
	td, err := json.Marshal(map[string]any{
		"types": map[string]any{
			"EIP712Domain": []map[string]string{{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}},
			"SignIn":       []map[string]string{{"name": "message", "type": "string"}},
		},
		"primaryType": "SignIn",
		"domain":      map[string]any{"name": "StreamGate", "version": "1", "chainId": 31337},
		"message":     map[string]any{"message": msg},
	})
	if err != nil {
		t.Fatal(err)
	}
	sig := cast(t, "wallet", "sign", "--private-key", hexutil.Encode(crypto.FromECDSA(key)), "--data", string(td))
	v := &SignInVerifier{}
	if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: sig, Scheme: SchemeTypedData}, expectations()); err != nil {
		t.Fatalf("cast's EIP-712 signature refused: %v", err)
	}
	// The same signature presented as personal_sign is not valid.
	if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: sig, Scheme: SchemePersonalSign}, expectations()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("EIP-712 signature accepted as personal_sign: %v", err)
	}
}

func TestSignInRefusals(t *testing.T) {
	key := devchain.Key(1)
	addr := devchain.Address(key).Hex()
	msg := signInMessage(addr, "31337")
	sig := sign(t, key, msg)
	v := &SignInVerifier{}
	verify := func(p Proof, want siwe.Expectations) error {
		_, err := v.Verify(context.Background(), p, want)
		return err
	}
	ok := Proof{Message: msg, Signature: hexutil.Encode(sig)}
	if err := verify(ok, expectations()); err != nil {
		t.Fatalf("valid sign-in refused: %v", err)
	}

	highS := append([]byte(nil), sig...)
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(highS[32:64])
	copy(highS[32:64], common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32))
	highS[64] ^= 1 // the twin signature recovers the same key with the other v

	other := devchain.Key(3)
	for name, tc := range map[string]struct {
		proof Proof
		want  func(*siwe.Expectations)
		err   error
	}{
		"wrong domain":       {ok, func(w *siwe.Expectations) { w.Origins[0].Host = "evil.example.com" }, ErrBadMessage},
		"wrong chain id":     {ok, func(w *siwe.Expectations) { w.ChainID = "1" }, ErrBadMessage},
		"expired":            {ok, func(w *siwe.Expectations) { w.Now = issued.Add(10 * time.Minute) }, ErrBadMessage},
		"not yet valid":      {Proof{Message: strings.Replace(msg, "Expiration Time", "Not Before: "+issued.Add(3*time.Minute).Format(time.RFC3339)+"\nExpiration Time", 1)}, nil, ErrBadMessage},
		"reused nonce":       {ok, func(w *siwe.Expectations) { w.Nonce = "freshnonce9876" }, ErrBadMessage},
		"malleable high-s":   {Proof{Message: msg, Signature: hexutil.Encode(highS)}, nil, ErrBadSignature},
		"truncated":          {Proof{Message: msg, Signature: hexutil.Encode(sig[:64])}, nil, ErrBadSignature},
		"other key":          {Proof{Message: msg, Signature: hexutil.Encode(sign(t, other, msg))}, nil, ErrBadSignature},
		"tampered message":   {Proof{Message: strings.Replace(msg, "members-only", "all", 1), Signature: hexutil.Encode(sig)}, nil, ErrBadSignature},
		"bad v":              {Proof{Message: msg, Signature: hexutil.Encode(append(append([]byte(nil), sig[:64]...), 29))}, nil, ErrBadSignature},
		"not hex":            {Proof{Message: msg, Signature: "zz"}, nil, ErrBadSignature},
		"unknown scheme":     {Proof{Message: msg, Signature: hexutil.Encode(sig), Scheme: "telepathy"}, nil, ErrBadSignature},
		"solana scheme, evm": {Proof{Message: msg, Signature: hexutil.Encode(sig), Scheme: SchemeSolana}, nil, ErrBadSignature},
	} {
		want := expectations()
		if tc.want != nil {
			tc.want(&want)
		}
		p := tc.proof
		if p.Signature == "" {
			p.Signature = hexutil.Encode(sign(t, key, p.Message))
		}
		if err := verify(p, want); !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.err)
		}
	}
}

func TestContractWalletsOnAnvil(t *testing.T) {
	anvil := devchain.StartAnvil(t)
	owner := devchain.Key(1)
	wallet := anvil.Deploy(t, "TestWallet1271", devchain.Address(owner))
	refusing := anvil.Deploy(t, "RejectingWallet1271")
	client, err := evm.Dial(context.Background(), anvil.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	v := &SignInVerifier{Wallets: func(chainID uint64) WalletChecker {
		if chainID == 31337 {
			return client
		}
		return nil
	}}
	for _, scheme := range []Scheme{SchemePersonalSign, SchemeTypedData} {
		msg := signInMessage(wallet.Address.Hex(), "31337")
		proof := Proof{Message: msg, Signature: hexutil.Encode(signScheme(t, owner, msg, scheme)), Scheme: scheme}
		if _, err := v.Verify(context.Background(), proof, expectations()); err != nil {
			t.Errorf("%s: the owner's signature for the contract wallet was refused: %v", scheme, err)
		}
		proof.Signature = hexutil.Encode(signScheme(t, devchain.Key(3), msg, scheme))
		if _, err := v.Verify(context.Background(), proof, expectations()); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: a stranger's signature for the contract wallet: %v", scheme, err)
		}
	}
	msg := signInMessage(refusing.Address.Hex(), "31337")
	proof := Proof{Message: msg, Signature: hexutil.Encode(sign(t, owner, msg))}
	if _, err := v.Verify(context.Background(), proof, expectations()); !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "EIP-1271") {
		t.Errorf("a 1271 wallet that says no: %v", err)
	}
	// Contracts whose answer starts with the magic value but is not
	// exactly bytes4(0x1626ba7e) as one ABI word accept nothing.
	for _, name := range []string{"EchoWallet1271", "DirtyWallet1271"} {
		hostile := anvil.Deploy(t, name)
		msg := signInMessage(hostile.Address.Hex(), "31337")
		proof := Proof{Message: msg, Signature: hexutil.Encode(sign(t, devchain.Key(3), msg))}
		if _, err := v.Verify(context.Background(), proof, expectations()); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s accepted a stranger's signature: %v", name, err)
		}
	}
	// Unreachable chain: fail closed, and say so.
	dead := &SignInVerifier{Wallets: func(uint64) WalletChecker { return deadChecker{} }}
	if _, err := dead.Verify(context.Background(), proof, expectations()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("unreachable chain: %v", err)
	}
}

type deadChecker struct{}

func (deadChecker) HasCode(context.Context, common.Address) (bool, error) {
	return false, fmt.Errorf("dial tcp 127.0.0.1:1: connection refused")
}

func (deadChecker) IsValidSignature(context.Context, common.Address, common.Hash, []byte) (bool, error) {
	return false, fmt.Errorf("unreachable")
}

func TestSolanaSignIn(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	addr := base58.Encode(pub)
	msg := "watch.example.com wants you to sign in with your Solana account:\n" + addr + "\n\n\n" +
		"URI: https://watch.example.com/watch/a/b\nVersion: 1\nChain ID: devnet\nNonce: n0nce1234abcd\nIssued At: " + issued.Format(time.RFC3339)
	want := expectations()
	want.ChainID = "devnet"
	sig := ed25519.Sign(priv, []byte(msg))
	v := &SignInVerifier{}
	for _, encoded := range []string{base58.Encode(sig), hexutil.Encode(sig)} {
		if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: encoded, Scheme: SchemeSolana}, want); err != nil {
			t.Errorf("valid Solana sign-in refused: %v", err)
		}
	}
	tampered := strings.Replace(msg, "devnet", "mainnet", 1)
	if _, err := v.Verify(context.Background(), Proof{Message: tampered, Signature: base58.Encode(sig), Scheme: SchemeSolana}, siwe.Expectations{
		Origins: want.Origins, ChainID: "mainnet", Nonce: want.Nonce, Now: want.Now}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered Solana message: %v", err)
	}
	if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: base58.Encode(sig[:63]), Scheme: SchemeSolana}, want); !errors.Is(err, ErrBadSignature) {
		t.Errorf("short Solana signature: %v", err)
	}
}

// The canonical encodings of the eight points of small order.
var smallOrderPoints = []string{
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
}

// Anyone can "sign" any message for a key of small order: R a small-order
// point and S = 0 pass Go's ed25519.Verify. The System Program's address
// 1111…1111 (32 zero bytes) is such a key, and NFTs are burnt to it.
func TestSolanaSmallOrderKeysCannotSignIn(t *testing.T) {
	v := &SignInVerifier{}
	want := expectations()
	want.ChainID = "mainnet"
	forged := 0
	for _, a := range smallOrderPoints {
		pub, _ := hex.DecodeString(a)
		addr := base58.Encode(pub)
		msg := "watch.example.com wants you to sign in with your Solana account:\n" + addr + "\n\n\n" +
			"URI: https://watch.example.com/\nVersion: 1\nChain ID: mainnet\nNonce: n0nce1234abcd\nIssued At: " + issued.Format(time.RFC3339)
		for _, r := range smallOrderPoints {
			sig, _ := hex.DecodeString(r + strings.Repeat("00", 32))
			if !ed25519.Verify(pub, []byte(msg), sig) {
				continue
			}
			forged++
			if _, err := v.Verify(context.Background(), Proof{Message: msg, Signature: base58.Encode(sig), Scheme: SchemeSolana}, want); !errors.Is(err, ErrBadSignature) {
				t.Errorf("forged sign-in as %s accepted: %v", addr, err)
			}
		}
	}
	if forged < len(smallOrderPoints)-1 { // the non-canonical encoding may not decode
		t.Fatalf("only %d forgeries pass ed25519.Verify: the test no longer shows the attack", forged)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	if !strongPoint(pub) {
		t.Fatal("a real key was called weak")
	}
	// y = p + 1, a non-canonical spelling of (0, 1).
	if strongPoint(append([]byte{0xee}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...)) {
		t.Fatal("non-canonical encoding accepted")
	}
}

func sign(t *testing.T, key *ecdsa.PrivateKey, msg string) []byte {
	return signScheme(t, key, msg, SchemePersonalSign)
}

// signScheme signs as a wallet does, with crypto.Sign on the real key.
func signScheme(t *testing.T, k *ecdsa.PrivateKey, msg string, scheme Scheme) []byte {
	t.Helper()
	var hash common.Hash
	if scheme == SchemeTypedData {
		var err error
		if hash, err = evm.TypedDataHash(SignInTypedData(msg, 31337)); err != nil {
			t.Fatal(err)
		}
	} else {
		hash = evm.PersonalHash([]byte(msg))
	}
	sig, err := crypto.Sign(hash[:], k)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return sig
}

// FuzzSolanaSignIn feeds Sign-In With Solana messages and signatures as a
// viewer sends them: nothing panics, errors are of the two known kinds,
// and nothing verifies that the key did not sign.
func FuzzSolanaSignIn(f *testing.F) {
	// A fixed key: fuzzing workers are other processes that must agree.
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	msg := "watch.example.com wants you to sign in with your Solana account:\n" + base58.Encode(pub) + "\n\n\n" +
		"URI: https://watch.example.com/\nVersion: 1\nChain ID: mainnet\nNonce: n0nce1234abcd\nIssued At: " + issued.Format(time.RFC3339)
	f.Add(msg, base58.Encode(ed25519.Sign(priv, []byte(msg))))
	f.Add(strings.Replace(msg, base58.Encode(pub), "11111111111111111111111111111111", 1), base58.Encode(make([]byte, 64)))
	f.Add(msg, "0x"+strings.Repeat("00", 64))
	want := expectations()
	want.ChainID = "mainnet"
	v := &SignInVerifier{}
	f.Fuzz(func(t *testing.T, message, signature string) {
		_, err := v.Verify(context.Background(), Proof{Message: message, Signature: signature, Scheme: SchemeSolana}, want)
		if err == nil {
			// Only a real signature of the one real key can verify.
			sig, derr := decodeSolanaSignature(signature)
			if derr != nil || !strings.Contains(message, base58.Encode(pub)) || !ed25519.Verify(pub, []byte(message), sig) {
				t.Fatalf("accepted %q signed %q", message, signature)
			}
			return
		}
		if !errors.Is(err, ErrBadMessage) && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("error of no known kind: %v", err)
		}
	})
}
