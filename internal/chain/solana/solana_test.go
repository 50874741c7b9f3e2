package solana_test

import (
	"context"
	"testing"

	"github.com/streamgate-io/streamgate/internal/chain/solana"
	"github.com/streamgate-io/streamgate/internal/devchain"
)

func TestVerifiedCollectionHoldingsOnLiteSVM(t *testing.T) {
	ctx := context.Background()
	svm := devchain.StartSVM(t)
	collection := svm.CallString(t, "test_createMint")
	wallet := func() string { return svm.CallString(t, "test_newWallet") }
	holder, holder2022, unverified, forged, nobody := wallet(), wallet(), wallet(), wallet(), wallet()

	nft := svm.NFT(t, holder, collection, "token", true)
	svm.NFT(t, holder2022, collection, "token2022", true)
	svm.NFT(t, unverified, collection, "token", false)
	forgedMint := svm.CallString(t, "test_createMint")
	svm.Call(t, "test_mintTo", map[string]any{"mint": forgedMint, "owner": forged})
	// Metadata at the right address but written by some other program.
	svm.Call(t, "test_setMetadata", map[string]any{"mint": forgedMint, "collection": collection, "owner": "11111111111111111111111111111111"})
	otherCollection := svm.CallString(t, "test_createMint")
	svm.NFT(t, nobody, otherCollection, "token", true)

	c := solana.NewClient(svm.URL)
	for _, tc := range []struct {
		name, owner string
		want        bool
	}{
		{"SPL Token holder", holder, true},
		{"Token-2022 holder", holder2022, true},
		{"unverified collection", unverified, false},
		{"metadata not owned by the metadata program", forged, false},
		{"another collection", nobody, false},
	} {
		got, err := c.HoldsVerifiedCollection(ctx, tc.owner, collection)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}

	// Selling the NFT moves access with it.
	svm.Call(t, "test_transfer", map[string]any{"mint": nft, "from": holder, "to": nobody})
	if got, _ := c.HoldsVerifiedCollection(ctx, holder, collection); got {
		t.Error("the seller still passes")
	}
	if got, _ := c.HoldsVerifiedCollection(ctx, nobody, collection); !got {
		t.Error("the buyer does not pass")
	}

	if owner, exists, err := c.AccountOwner(ctx, collection); err != nil || !exists || owner != solana.TokenProgram.String() {
		t.Errorf("collection mint owner %s %v %v", owner, exists, err)
	}
	if _, exists, err := c.AccountOwner(ctx, "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"); err != nil || exists {
		t.Errorf("absent account: exists=%v err=%v", exists, err)
	}
	if _, err := c.GenesisHash(ctx); err != nil {
		t.Error(err)
	}
}

func TestDecodeMetadataRefusesTruncatedData(t *testing.T) {
	for _, data := range [][]byte{nil, {4}, {4, 1, 2, 3}, append([]byte{4}, make([]byte, 70)...)} {
		if _, err := solana.DecodeMetadata(data); err == nil {
			t.Errorf("decoded %d bytes of junk", len(data))
		}
	}
}

func FuzzDecodeMetadata(f *testing.F) {
	f.Add([]byte{4})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = solana.DecodeMetadata(data) // must not panic or hang
	})
}
