// Package indexer follows token transfers of EVM contracts (ERC-20, ERC-721,
// ERC-1155) into an embedded store, with confirmations and reorg handling,
// and answers ownership queries over HTTP. It knows nothing of Kubernetes.
package indexer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/streamgate-io/streamgate/internal/chain/evm"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketHoldings = []byte("holdings") // contract|id|owner -> balance
	bucketByOwner  = []byte("by_owner") // owner|contract|id -> balance
	bucketBlocks   = []byte("blocks")   // number -> hash (applied blocks, for reorg checks)
	bucketUndo     = []byte("undo")     // number -> previous balances of what the block changed
	bucketMeta     = []byte("meta")
	keyCheckpoint  = []byte("checkpoint") // number|hash of the last applied block
	keyConfig      = []byte("config")     // what this store indexes
)

// keepBlocks is how many applied blocks keep their hash and undo record:
// reorgs deeper than this cannot be rolled back (no chain reorgs that deep
// past any sane confirmation depth).
const keepBlocks = 1024

// Store is the indexer's bbolt database.
type Store struct {
	db *bolt.DB
}

// Checkpoint is the last block applied.
type Checkpoint struct {
	Number uint64
	Hash   common.Hash
}

// OpenStore opens (or creates) the database at path. config identifies
// what is indexed; a store made for other contracts or another chain is
// refused rather than mixed.
func OpenStore(path string, config any) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	want, _ := json.Marshal(config)
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketHoldings, bucketByOwner, bucketBlocks, bucketUndo, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if have := meta.Get(keyConfig); have != nil && !bytes.Equal(have, want) {
			return fmt.Errorf("the store at %s indexes %s, not %s: use a new volume", path, have, want)
		}
		return meta.Put(keyConfig, want)
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Checkpoint returns the last applied block, or false when none is.
func (s *Store) Checkpoint() (Checkpoint, bool) {
	var cp Checkpoint
	found := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyCheckpoint)
		if len(v) == 40 {
			cp.Number, cp.Hash, found = binary.BigEndian.Uint64(v[:8]), common.BytesToHash(v[8:]), true
		}
		return nil
	})
	return cp, found
}

// Transfer is one decoded token movement.
type Transfer = evm.Transfer

// Block is what the follower applies at once: its transfers, in log order.
type Block struct {
	Number    uint64
	Hash      common.Hash
	Transfers []Transfer
}

// Change is a (contract, address) pair whose holdings changed.
type Change struct {
	Contract common.Address `json:"contract"`
	Address  common.Address `json:"address"`
}

func holdingKey(contract common.Address, id *big.Int, owner common.Address) []byte {
	k := make([]byte, 0, 72)
	k = append(k, contract[:]...)
	k = append(k, common.LeftPadBytes(id.Bytes(), 32)...)
	return append(k, owner[:]...)
}

func ownerKey(contract common.Address, id *big.Int, owner common.Address) []byte {
	k := make([]byte, 0, 72)
	k = append(k, owner[:]...)
	k = append(k, contract[:]...)
	return append(k, common.LeftPadBytes(id.Bytes(), 32)...)
}

func blockKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

type undoEntry struct {
	Key     []byte // 72 bytes: contract | token id | owner
	Balance []byte // previous balance; empty: the key did not exist
}

// encodeUndo writes entries as key (72 bytes) | length (1 byte) | balance.
func encodeUndo(entries []undoEntry) []byte {
	out := make([]byte, 0, len(entries)*(72+1+8))
	for _, e := range entries {
		out = append(out, e.Key...)
		out = append(out, byte(len(e.Balance)))
		out = append(out, e.Balance...)
	}
	return out
}

func decodeUndo(data []byte) ([]undoEntry, error) {
	var out []undoEntry
	for len(data) > 0 {
		if len(data) < 73 || len(data) < 73+int(data[72]) {
			return nil, errors.New("corrupt undo record")
		}
		n := int(data[72])
		// Copies: what bbolt returns is only valid, and read-only, inside the transaction.
		out = append(out, undoEntry{Key: append([]byte(nil), data[:72]...), Balance: append([]byte(nil), data[73:73+n]...)})
		data = data[73+n:]
	}
	return out, nil
}

// Apply applies a range of blocks and moves the checkpoint to through (the
// range's last block, which may carry no transfers), all in one
// transaction: a crash leaves the store before the range or after it, never
// inside a block.
func (s *Store) Apply(blocks []Block, through Checkpoint) ([]Change, error) {
	var changes []Change
	seen := map[Change]bool{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if cp, ok := checkpointTx(tx); ok && cp.Number >= through.Number {
			return nil
		}
		for _, b := range blocks {
			if err := applyBlock(tx, b, func(c Change) {
				if !seen[c] {
					seen[c] = true
					changes = append(changes, c)
				}
			}); err != nil {
				return fmt.Errorf("apply block %d: %w", b.Number, err)
			}
		}
		if err := tx.Bucket(bucketBlocks).Put(blockKey(through.Number), through.Hash[:]); err != nil {
			return err
		}
		if err := setCheckpoint(tx, through); err != nil {
			return err
		}
		return pruneOld(tx, through.Number)
	})
	return changes, err
}

func checkpointTx(tx *bolt.Tx) (Checkpoint, bool) {
	v := tx.Bucket(bucketMeta).Get(keyCheckpoint)
	if len(v) != 40 {
		return Checkpoint{}, false
	}
	return Checkpoint{Number: binary.BigEndian.Uint64(v[:8]), Hash: common.BytesToHash(v[8:])}, true
}

func setCheckpoint(tx *bolt.Tx, cp Checkpoint) error {
	v := binary.BigEndian.AppendUint64(nil, cp.Number)
	return tx.Bucket(bucketMeta).Put(keyCheckpoint, append(v, cp.Hash[:]...))
}

func applyBlock(tx *bolt.Tx, b Block, changed func(Change)) error {
	holdings, byOwner := tx.Bucket(bucketHoldings), tx.Bucket(bucketByOwner)
	var undo []undoEntry
	touched := map[string]bool{}
	remember := func(key []byte) {
		if touched[string(key)] {
			return
		}
		touched[string(key)] = true
		var prev []byte
		if v := holdings.Get(key); v != nil {
			prev = append([]byte(nil), v...)
		}
		undo = append(undo, undoEntry{Key: append([]byte(nil), key...), Balance: prev})
	}
	add := func(contract common.Address, id *big.Int, owner common.Address, delta *big.Int, set bool) error {
		if owner == (common.Address{}) {
			return nil // minted from, or burned to, the zero address
		}
		key := holdingKey(contract, id, owner)
		remember(key)
		balance := new(big.Int).SetBytes(holdings.Get(key))
		if set {
			balance.Set(delta)
		} else {
			balance.Add(balance, delta)
		}
		changed(Change{Contract: contract, Address: owner})
		return putBalance(holdings, byOwner, key, ownerKey(contract, id, owner), balance)
	}
	for _, t := range b.Transfers {
		if t.NFT {
			if err := add(t.Contract, t.TokenID, t.From, big.NewInt(0), true); err != nil {
				return err
			}
			if err := add(t.Contract, t.TokenID, t.To, big.NewInt(1), true); err != nil {
				return err
			}
			continue
		}
		if err := add(t.Contract, t.TokenID, t.From, new(big.Int).Neg(t.Amount), false); err != nil {
			return err
		}
		if err := add(t.Contract, t.TokenID, t.To, t.Amount, false); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketUndo).Put(blockKey(b.Number), encodeUndo(undo)); err != nil {
		return err
	}
	return tx.Bucket(bucketBlocks).Put(blockKey(b.Number), b.Hash[:])
}

// putBalance writes a balance in both indexes; zero deletes it.
func putBalance(holdings, byOwner *bolt.Bucket, key, okey []byte, balance *big.Int) error {
	if balance.Sign() <= 0 {
		if err := holdings.Delete(key); err != nil {
			return err
		}
		return byOwner.Delete(okey)
	}
	if err := holdings.Put(key, balance.Bytes()); err != nil {
		return err
	}
	return byOwner.Put(okey, balance.Bytes())
}

func pruneOld(tx *bolt.Tx, head uint64) error {
	if head <= keepBlocks {
		return nil
	}
	limit := blockKey(head - keepBlocks)
	for _, name := range [][]byte{bucketBlocks, bucketUndo} {
		c := tx.Bucket(name).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
	}
	return nil
}

// RecentBlocks lists applied block numbers and hashes, newest first.
func (s *Store) RecentBlocks(limit int) []Checkpoint {
	var out []Checkpoint
	_ = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBlocks).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			out = append(out, Checkpoint{Number: binary.BigEndian.Uint64(k), Hash: common.BytesToHash(v)})
		}
		return nil
	})
	return out
}

// ErrTooDeep: a reorg reaches below what the store remembers.
var ErrTooDeep = errors.New("reorg deeper than the blocks kept")

// Rollback undoes every applied block above ancestor, newest first, in one
// transaction, and returns the holdings it changed.
func (s *Store) Rollback(ancestor Checkpoint) ([]Change, error) {
	var changes []Change
	err := s.db.Update(func(tx *bolt.Tx) error {
		holdings, byOwner := tx.Bucket(bucketHoldings), tx.Bucket(bucketByOwner)
		undoB, blocks := tx.Bucket(bucketUndo), tx.Bucket(bucketBlocks)
		c := blocks.Cursor()
		for k, _ := c.Last(); k != nil && binary.BigEndian.Uint64(k) > ancestor.Number; k, _ = c.Last() {
			undo, err := decodeUndo(undoB.Get(k))
			if err != nil {
				return err
			}
			for i := len(undo) - 1; i >= 0; i-- {
				u := undo[i]
				contract, id, owner := common.BytesToAddress(u.Key[:20]), new(big.Int).SetBytes(u.Key[20:52]), common.BytesToAddress(u.Key[52:])
				if err := putBalance(holdings, byOwner, u.Key, ownerKey(contract, id, owner), new(big.Int).SetBytes(u.Balance)); err != nil {
					return err
				}
				changes = append(changes, Change{Contract: contract, Address: owner})
			}
			if err := undoB.Delete(k); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return setCheckpoint(tx, ancestor)
	})
	return changes, err
}

// Holding is one balance.
type Holding struct {
	Contract common.Address `json:"contract"`
	TokenID  string         `json:"tokenId"`
	Balance  string         `json:"balance"`
}

// HoldingsOf lists what owner holds, optionally in one contract.
func (s *Store) HoldingsOf(owner common.Address, contract *common.Address) ([]Holding, Checkpoint) {
	var out []Holding
	var cp Checkpoint
	_ = s.db.View(func(tx *bolt.Tx) error {
		cp, _ = checkpointTx(tx)
		prefix := owner[:]
		if contract != nil {
			prefix = append(append([]byte(nil), owner[:]...), contract[:]...)
		}
		c := tx.Bucket(bucketByOwner).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out = append(out, Holding{Contract: common.BytesToAddress(k[20:40]), TokenID: new(big.Int).SetBytes(k[40:]).String(),
				Balance: new(big.Int).SetBytes(v).String()})
		}
		return nil
	})
	return out, cp
}

// BalanceOf is the balance of (owner, contract, id).
func (s *Store) BalanceOf(owner, contract common.Address, id *big.Int) (*big.Int, Checkpoint) {
	balance := new(big.Int)
	var cp Checkpoint
	_ = s.db.View(func(tx *bolt.Tx) error {
		cp, _ = checkpointTx(tx)
		balance.SetBytes(tx.Bucket(bucketHoldings).Get(holdingKey(contract, id, owner)))
		return nil
	})
	return balance, cp
}

// OwnerOf is the holder of an ERC-721 token, or the zero address.
func (s *Store) OwnerOf(contract common.Address, id *big.Int) (common.Address, Checkpoint) {
	var owner common.Address
	var cp Checkpoint
	_ = s.db.View(func(tx *bolt.Tx) error {
		cp, _ = checkpointTx(tx)
		prefix := holdingKey(contract, id, common.Address{})[:52]
		c := tx.Bucket(bucketHoldings).Cursor()
		if k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
			owner = common.BytesToAddress(k[52:])
		}
		return nil
	})
	return owner, cp
}
