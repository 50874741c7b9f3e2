// Package indexer follows token transfers of EVM contracts (ERC-20, ERC-721,
// ERC-1155), and the expiries and rentals of ERC-721 passes (ERC-5643
// SubscriptionUpdate, ERC-4907 UpdateUser), into an embedded store, with
// confirmations and reorg handling, and answers ownership queries over
// HTTP. It knows nothing of Kubernetes.
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
	bucketHoldings = []byte("holdings")    // contract|id|owner -> balance
	bucketByOwner  = []byte("by_owner")    // owner|contract|id -> balance
	bucketBlocks   = []byte("blocks")      // number -> hash (applied blocks, for reorg checks)
	bucketUndo     = []byte("undo")        // number -> previous balances of what the block changed
	bucketPasses   = []byte("passes")      // contract|id -> pass state (see passValue)
	bucketByUser   = []byte("by_user")     // user|contract|id -> nothing (the renters of passes)
	bucketUndoPass = []byte("undo_passes") // number -> previous pass states of what the block changed
	bucketMeta     = []byte("meta")
	keyCheckpoint  = []byte("checkpoint") // number|hash of the last applied block
	keyConfig      = []byte("config")     // what this store indexes
	keySchema      = []byte("schema")     // what the store records (schemaVersion)
)

// schemaVersion 2 records pass expiries and rentals too. A store of an
// older schema lacks them for the blocks it applied, so it is emptied and
// indexed again from the first block: an index is derived data.
const schemaVersion = 2

var allBuckets = [][]byte{bucketHoldings, bucketByOwner, bucketBlocks, bucketUndo, bucketPasses, bucketByUser, bucketUndoPass, bucketMeta}

// keepBlocks is how many applied blocks keep their hash and undo record:
// reorgs deeper than this cannot be rolled back (no chain reorgs that deep
// past any sane confirmation depth).
const keepBlocks = 1024

// Store is the indexer's bbolt database.
type Store struct {
	db *bolt.DB
	// Reindexed: the store was of an older schema and starts over.
	Reindexed bool
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
	s := &Store{db: db}
	err = db.Update(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			if have := meta.Get(keyConfig); have != nil && !bytes.Equal(have, want) {
				return fmt.Errorf("the store at %s indexes %s, not %s: use a new volume", path, have, want)
			}
			if v := meta.Get(keySchema); len(v) != 8 || binary.BigEndian.Uint64(v) < schemaVersion {
				s.Reindexed = meta.Get(keyCheckpoint) != nil
				for _, b := range allBuckets {
					if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
						return err
					}
				}
			}
		}
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keySchema, binary.BigEndian.AppendUint64(nil, schemaVersion)); err != nil {
			return err
		}
		return meta.Put(keyConfig, want)
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
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

// PassUpdate is a decoded SubscriptionUpdate or UpdateUser.
type PassUpdate = evm.PassUpdate

// Event is one decoded log: a transfer or a pass update.
type Event struct {
	Transfer *Transfer
	Pass     *PassUpdate
}

// Block is what the follower applies at once: its events, in log order
// (a rental set and then a transfer in one block must end with no renter).
type Block struct {
	Number uint64
	Hash   common.Hash
	Events []Event
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
	Key   []byte // holdings: contract | token id | owner (72 bytes); passes: contract | token id (52 bytes)
	Value []byte // previous value; empty: the key did not exist
}

// Key lengths of the two undo records.
const (
	holdingKeyLen = 72
	passKeyLen    = 52
)

// encodeUndo writes entries as key (keyLen bytes) | length (1 byte) | value.
func encodeUndo(entries []undoEntry, keyLen int) []byte {
	out := make([]byte, 0, len(entries)*(keyLen+1+8))
	for _, e := range entries {
		out = append(out, e.Key...)
		out = append(out, byte(len(e.Value)))
		out = append(out, e.Value...)
	}
	return out
}

func decodeUndo(data []byte, keyLen int) ([]undoEntry, error) {
	var out []undoEntry
	for len(data) > 0 {
		if len(data) < keyLen+1 || len(data) < keyLen+1+int(data[keyLen]) {
			return nil, errors.New("corrupt undo record")
		}
		n := int(data[keyLen])
		// Copies: what bbolt returns is only valid, and read-only, inside the transaction.
		out = append(out, undoEntry{Key: append([]byte(nil), data[:keyLen]...), Value: append([]byte(nil), data[keyLen+1:keyLen+1+n]...)})
		data = data[keyLen+1+n:]
	}
	return out, nil
}

// undoLog remembers the first previous value of each key a block touches.
type undoLog struct {
	bucket  *bolt.Bucket
	entries []undoEntry
	touched map[string]bool
}

func (u *undoLog) remember(key []byte) {
	if u.touched == nil {
		u.touched = map[string]bool{}
	}
	if u.touched[string(key)] {
		return
	}
	u.touched[string(key)] = true
	var prev []byte
	if v := u.bucket.Get(key); v != nil {
		prev = append([]byte(nil), v...)
	}
	u.entries = append(u.entries, undoEntry{Key: append([]byte(nil), key...), Value: prev})
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
	passes, byUser := tx.Bucket(bucketPasses), tx.Bucket(bucketByUser)
	undo, undoPasses := undoLog{bucket: holdings}, undoLog{bucket: passes}
	add := func(contract common.Address, id *big.Int, owner common.Address, delta *big.Int, set bool) error {
		if owner == (common.Address{}) {
			return nil // minted from, or burned to, the zero address
		}
		key := holdingKey(contract, id, owner)
		undo.remember(key)
		balance := new(big.Int).SetBytes(holdings.Get(key))
		if set {
			balance.Set(delta)
		} else {
			balance.Add(balance, delta)
		}
		changed(Change{Contract: contract, Address: owner})
		return putBalance(holdings, byOwner, key, ownerKey(contract, id, owner), balance)
	}
	// setPass writes a token's pass state; whoever it let in before, or
	// lets in now, is told: the renter, the new renter, and the owner
	// (who may watch only while the token is not rented out).
	setPass := func(contract common.Address, id *big.Int, next passState) error {
		key := passKey(contract, id)
		undoPasses.remember(key)
		prev := readPass(passes.Get(key))
		for _, a := range []common.Address{prev.User, next.User, ownerOfTx(holdings, contract, id)} {
			if a != (common.Address{}) {
				changed(Change{Contract: contract, Address: a})
			}
		}
		return putPass(passes, byUser, key, prev, next)
	}
	for _, e := range b.Events {
		if u := e.Pass; u != nil {
			state := readPass(passes.Get(passKey(u.Contract, u.TokenID)))
			if u.Subscription {
				state.Expires = u.Expires
			} else {
				state.User, state.UserExpires = u.User, u.Expires
			}
			if err := setPass(u.Contract, u.TokenID, state); err != nil {
				return err
			}
			continue
		}
		t := e.Transfer
		if t.NFT {
			if err := add(t.Contract, t.TokenID, t.From, big.NewInt(0), true); err != nil {
				return err
			}
			if err := add(t.Contract, t.TokenID, t.To, big.NewInt(1), true); err != nil {
				return err
			}
			// A rental does not survive a transfer (ERC-4907's reference
			// implementation clears it, with or without an UpdateUser
			// event), and a burnt token's subscription ends with it.
			if state := readPass(passes.Get(passKey(t.Contract, t.TokenID))); t.From != t.To && state != (passState{}) {
				state.User, state.UserExpires = common.Address{}, 0
				if t.To == (common.Address{}) {
					state = passState{}
				}
				if err := setPass(t.Contract, t.TokenID, state); err != nil {
					return err
				}
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
	if err := tx.Bucket(bucketUndo).Put(blockKey(b.Number), encodeUndo(undo.entries, holdingKeyLen)); err != nil {
		return err
	}
	if len(undoPasses.entries) > 0 {
		if err := tx.Bucket(bucketUndoPass).Put(blockKey(b.Number), encodeUndo(undoPasses.entries, passKeyLen)); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketBlocks).Put(blockKey(b.Number), b.Hash[:])
}

// passState is what the store keeps of a pass: its subscription's expiry
// (ERC-5643) and its renter until when (ERC-4907), in unix seconds.
type passState struct {
	Expires     uint64
	User        common.Address
	UserExpires uint64
}

func passKey(contract common.Address, id *big.Int) []byte {
	return append(append(make([]byte, 0, passKeyLen), contract[:]...), common.LeftPadBytes(id.Bytes(), 32)...)
}

func userKey(user common.Address, passKey []byte) []byte {
	return append(append(make([]byte, 0, 20+passKeyLen), user[:]...), passKey...)
}

// readPass decodes expires (8) | user (20) | userExpires (8); nothing is the zero state.
func readPass(v []byte) passState {
	if len(v) != 36 {
		return passState{}
	}
	return passState{Expires: binary.BigEndian.Uint64(v[:8]), User: common.BytesToAddress(v[8:28]), UserExpires: binary.BigEndian.Uint64(v[28:])}
}

func (p passState) bytes() []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 36), p.Expires)
	v = append(v, p.User[:]...)
	return binary.BigEndian.AppendUint64(v, p.UserExpires)
}

// putPass writes a pass state and keeps the renters' index in step; the
// zero state deletes it.
func putPass(passes, byUser *bolt.Bucket, key []byte, prev, next passState) error {
	if prev.User != (common.Address{}) && prev.User != next.User {
		if err := byUser.Delete(userKey(prev.User, key)); err != nil {
			return err
		}
	}
	if next.User != (common.Address{}) {
		if err := byUser.Put(userKey(next.User, key), nil); err != nil {
			return err
		}
	}
	if next == (passState{}) {
		return passes.Delete(key)
	}
	return passes.Put(key, next.bytes())
}

// ownerOfTx is the holder of an ERC-721 token, or the zero address.
func ownerOfTx(holdings *bolt.Bucket, contract common.Address, id *big.Int) common.Address {
	prefix := holdingKey(contract, id, common.Address{})[:passKeyLen]
	if k, _ := holdings.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
		return common.BytesToAddress(k[passKeyLen:])
	}
	return common.Address{}
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
	for _, name := range [][]byte{bucketBlocks, bucketUndo, bucketUndoPass} {
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
		passes, byUser := tx.Bucket(bucketPasses), tx.Bucket(bucketByUser)
		undoB, undoPassB, blocks := tx.Bucket(bucketUndo), tx.Bucket(bucketUndoPass), tx.Bucket(bucketBlocks)
		c := blocks.Cursor()
		for k, _ := c.Last(); k != nil && binary.BigEndian.Uint64(k) > ancestor.Number; k, _ = c.Last() {
			undo, err := decodeUndo(undoB.Get(k), holdingKeyLen)
			if err != nil {
				return err
			}
			for i := len(undo) - 1; i >= 0; i-- {
				u := undo[i]
				contract, id, owner := common.BytesToAddress(u.Key[:20]), new(big.Int).SetBytes(u.Key[20:52]), common.BytesToAddress(u.Key[52:])
				if err := putBalance(holdings, byOwner, u.Key, ownerKey(contract, id, owner), new(big.Int).SetBytes(u.Value)); err != nil {
					return err
				}
				changes = append(changes, Change{Contract: contract, Address: owner})
			}
			undoPasses, err := decodeUndo(undoPassB.Get(k), passKeyLen)
			if err != nil {
				return err
			}
			for i := len(undoPasses) - 1; i >= 0; i-- {
				u := undoPasses[i]
				contract, id := common.BytesToAddress(u.Key[:20]), new(big.Int).SetBytes(u.Key[20:])
				current, prev := readPass(passes.Get(u.Key)), readPass(u.Value)
				if err := putPass(passes, byUser, u.Key, current, prev); err != nil {
					return err
				}
				for _, a := range []common.Address{current.User, prev.User, ownerOfTx(holdings, contract, id)} {
					if a != (common.Address{}) {
						changes = append(changes, Change{Contract: contract, Address: a})
					}
				}
			}
			for _, b := range []*bolt.Bucket{undoB, undoPassB} {
				if err := b.Delete(k); err != nil {
					return err
				}
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

// MaxHoldings bounds one answer of HoldingsOf, as MaxPasses does PassesOf:
// anyone can airdrop an address a million tokens.
const MaxHoldings = 1024

// HoldingsOf lists what owner holds, optionally in one contract: at most
// limit holdings (1 to MaxHoldings; truncated says when there were more).
func (s *Store) HoldingsOf(owner common.Address, contract *common.Address, limit int) (out []Holding, truncated bool, cp Checkpoint) {
	limit = min(max(limit, 1), MaxHoldings)
	_ = s.db.View(func(tx *bolt.Tx) error {
		cp, _ = checkpointTx(tx)
		prefix := owner[:]
		if contract != nil {
			prefix = append(append([]byte(nil), owner[:]...), contract[:]...)
		}
		c := tx.Bucket(bucketByOwner).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(out) == limit {
				truncated = true
				return nil
			}
			out = append(out, Holding{Contract: common.BytesToAddress(k[20:40]), TokenID: new(big.Int).SetBytes(k[40:]).String(),
				Balance: new(big.Int).SetBytes(v).String()})
		}
		return nil
	})
	return out, truncated, cp
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
		owner = ownerOfTx(tx.Bucket(bucketHoldings), contract, id)
		return nil
	})
	return owner, cp
}

// Pass is what the store knows of one ERC-721 pass: who owns it, until when
// its subscription runs (ERC-5643), and who rents it until when (ERC-4907),
// in unix seconds; zero where the contract said nothing.
type Pass struct {
	TokenID     string         `json:"tokenId"`
	Owner       common.Address `json:"owner"`
	ExpiresAt   uint64         `json:"expiresAt"`
	User        common.Address `json:"user"`
	UserExpires uint64         `json:"userExpires"`
}

// MaxPasses bounds one answer of PassesOf: an address can be sent any
// number of tokens. What is left out can only make a gate refuse.
const MaxPasses = 1024

// PassesOf lists the passes of contract that address owns or rents (at
// most MaxPasses; truncated says when there were more).
func (s *Store) PassesOf(address, contract common.Address) (passes []Pass, truncated bool, cp Checkpoint) {
	_ = s.db.View(func(tx *bolt.Tx) error {
		cp, _ = checkpointTx(tx)
		holdings, state := tx.Bucket(bucketHoldings), tx.Bucket(bucketPasses)
		seen := map[string]bool{}
		prefix := append(append([]byte(nil), address[:]...), contract[:]...)
		for _, bucket := range []*bolt.Bucket{tx.Bucket(bucketByOwner), tx.Bucket(bucketByUser)} {
			c := bucket.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				id := new(big.Int).SetBytes(k[40:])
				if seen[id.String()] {
					continue
				}
				if len(passes) == MaxPasses {
					truncated = true
					return nil
				}
				seen[id.String()] = true
				p := readPass(state.Get(passKey(contract, id)))
				passes = append(passes, Pass{TokenID: id.String(), Owner: ownerOfTx(holdings, contract, id),
					ExpiresAt: p.Expires, User: p.User, UserExpires: p.UserExpires})
			}
		}
		return nil
	})
	return passes, truncated, cp
}
