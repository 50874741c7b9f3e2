package indexer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/go-logr/logr"

	"github.com/streamgate-io/streamgate/internal/chain/evm"
	"github.com/streamgate-io/streamgate/internal/indexerapi"
	"github.com/streamgate-io/streamgate/internal/redact"
)

// Event signatures.

// Contract is one followed contract (the operator's contract with the pod).
type Contract = indexerapi.Contract

// Config of a follower.
type Config struct {
	ChainID   uint64     `json:"chainId"`
	Contracts []Contract `json:"contracts"`
	// Confirmations: a block is applied once this many blocks follow it.
	Confirmations uint64 `json:"-"`
	// Finalized: apply blocks up to the node's "finalized" block, falling
	// back to Confirmations when the node has no such tag.
	Finalized    bool          `json:"-"`
	BatchBlocks  uint64        `json:"-"`
	MaxBatch     uint64        `json:"-"`
	PollInterval time.Duration `json:"-"`
}

// DefaultConfirmations is the depth used when a ChainIndexer names none.
func DefaultConfirmations(chainID uint64) uint64 {
	switch chainID {
	case 1:
		return 12
	case 137:
		return 200
	case 10, 8453, 42161:
		return 24
	case 31337, 1337:
		return 0 // local development chains
	default:
		return 64
	}
}

// Status is what the follower reports.
type Status = indexerapi.Status

// Follower keeps a Store in step with the chain.
type Follower struct {
	cfg    Config
	client *evm.Client
	store  *Store
	log    logr.Logger
	notify func(block uint64, changes []Change)
	m      *Metrics

	mu     sync.RWMutex
	status Status
	batch  uint64

	// prefetch holds the next range, read while the previous one was being
	// applied (backfill pipelining). It is used only if it starts right
	// after the checkpoint; reorgs are still caught by the checkpoint check.
	prefetch chan fetched
}

type fetched struct {
	from, to uint64
	blocks   []Block
	through  Checkpoint
	err      error
}

// NewFollower follows cfg.Contracts on the node behind client into store.
func NewFollower(cfg Config, client *evm.Client, store *Store, log logr.Logger, m *Metrics, notify func(uint64, []Change)) *Follower {
	if cfg.BatchBlocks == 0 {
		cfg.BatchBlocks = 2000
	}
	if cfg.MaxBatch == 0 {
		cfg.MaxBatch = max(cfg.BatchBlocks*8, 10000)
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if notify == nil {
		notify = func(uint64, []Change) {}
	}
	return &Follower{cfg: cfg, client: client, store: store, log: log, notify: notify, m: m, batch: cfg.BatchBlocks,
		status: Status{ChainID: cfg.ChainID, Contracts: cfg.Contracts}}
}

// Status returns the latest status.
func (f *Follower) Status() Status {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.status
}

func (f *Follower) setStatus(update func(*Status)) {
	f.mu.Lock()
	update(&f.status)
	s := f.status
	f.mu.Unlock()
	f.m.head.Set(float64(s.Head))
	f.m.indexed.Set(float64(s.Indexed))
	f.m.lag.Set(float64(s.Lag))
}

// Run follows the chain until ctx ends.
func (f *Follower) Run(ctx context.Context) error {
	if err := f.checkChain(ctx); err != nil {
		return err
	}
	for {
		caughtUp, err := f.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := time.Duration(0)
		switch {
		case err != nil:
			f.log.Error(err, "indexing step failed; retrying")
			wait = f.cfg.PollInterval
		case caughtUp:
			wait = f.cfg.PollInterval
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
	}
}

// ErrChainIDMismatch: the node serves another chain than configured.
var ErrChainIDMismatch = errors.New("chain id mismatch")

func (f *Follower) checkChain(ctx context.Context) error {
	for {
		var id hexutil.Uint64
		err := f.call(ctx, &id, "eth_chainId")
		if err == nil {
			if uint64(id) != f.cfg.ChainID {
				err := fmt.Errorf("%w: the node serves chain %d, the indexer is for %d", ErrChainIDMismatch, id, f.cfg.ChainID)
				f.setStatus(func(s *Status) { s.ErrReason, s.ErrMsg = indexerapi.ReasonChainIDMismatch, redact.String(err.Error()) })
				return err
			}
			f.setStatus(func(s *Status) { s.ErrReason, s.ErrMsg = "", "" })
			return nil
		}
		f.setStatus(func(s *Status) { s.ErrReason, s.ErrMsg = indexerapi.ReasonRPCUnreachable, redact.String(err.Error()) })
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(f.cfg.PollInterval):
		}
	}
}

type header struct {
	Number     hexutil.Uint64 `json:"number"`
	Hash       common.Hash    `json:"hash"`
	ParentHash common.Hash    `json:"parentHash"`
}

func (f *Follower) header(ctx context.Context, n uint64) (*header, error) {
	var h *header
	if err := f.call(ctx, &h, "eth_getBlockByNumber", hexutil.EncodeUint64(n), false); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, fmt.Errorf("eth_getBlockByNumber(%d): no such block", n)
	}
	return h, nil
}

// Step applies at most one range of confirmed blocks; it tells whether the
// store has caught up.
func (f *Follower) Step(ctx context.Context) (bool, error) {
	var head hexutil.Uint64
	if err := f.call(ctx, &head, "eth_blockNumber"); err != nil {
		f.setStatus(func(s *Status) { s.ErrReason, s.ErrMsg = indexerapi.ReasonRPCUnreachable, redact.String(err.Error()) })
		return false, err
	}
	f.setStatus(func(s *Status) { s.Head, s.ErrReason, s.ErrMsg = uint64(head), "", "" })
	target, ok := f.finalized(ctx)
	if !ok {
		if uint64(head) < f.cfg.Confirmations {
			return true, nil
		}
		target = uint64(head) - f.cfg.Confirmations
	}

	cp, ok := f.store.Checkpoint()
	if ok && cp.Number > target {
		return true, nil // the finalized block can lag what was applied under an older setting
	}
	if ok {
		// A reorg replaced the last applied block: roll back to the newest
		// block both sides agree on.
		h, err := f.header(ctx, cp.Number)
		if err != nil {
			return false, err
		}
		if h.Hash != cp.Hash {
			if err := f.rollback(ctx); err != nil {
				return false, err
			}
			cp, ok = f.store.Checkpoint()
		}
	}
	from := f.startBlock()
	if ok {
		from = cp.Number + 1
	}
	if from > target {
		f.report(cp.Number, uint64(head), true)
		return true, nil
	}
	to := min(from+f.currentBatch()-1, target)
	var blocks []Block
	var through Checkpoint
	var err error
	if p := f.takePrefetch(); p != nil && p.from == from && p.err == nil && p.to <= target {
		blocks, through = p.blocks, p.through
	} else if blocks, through, err = f.fetch(ctx, from, to); err != nil {
		return false, err
	}
	if next := through.Number + 1; next <= target {
		nextTo := min(next+f.currentBatch()-1, target)
		ch := make(chan fetched, 1)
		f.prefetch = ch
		go func() {
			b, t, err := f.fetch(ctx, next, nextTo)
			ch <- fetched{from: next, to: nextTo, blocks: b, through: t, err: err}
		}()
	}
	changes, err := f.store.Apply(blocks, through)
	if err != nil {
		return false, err
	}
	if len(changes) > 0 {
		f.notify(through.Number, changes)
	}
	f.report(through.Number, uint64(head), through.Number >= target)
	return through.Number >= target, nil
}

func (f *Follower) takePrefetch() *fetched {
	if f.prefetch == nil {
		return nil
	}
	p := <-f.prefetch
	f.prefetch = nil
	return &p
}

// finalized asks the node for its finalized block when configured to; false
// when it is not, or the node has no such tag.
func (f *Follower) finalized(ctx context.Context) (uint64, bool) {
	if !f.cfg.Finalized {
		return 0, false
	}
	var h *header
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := f.client.CallRaw(cctx, &h, "eth_getBlockByNumber", "finalized", false); err != nil || h == nil {
		return 0, false
	}
	return uint64(h.Number), true
}

func (f *Follower) report(indexed, head uint64, caughtUp bool) {
	f.setStatus(func(s *Status) {
		s.Indexed, s.Head, s.CaughtUp = indexed, head, caughtUp
		s.Lag = 0
		if head > indexed {
			s.Lag = head - indexed
		}
	})
}

func (f *Follower) startBlock() uint64 {
	from := uint64(1<<63 - 1)
	for _, c := range f.cfg.Contracts {
		from = min(from, c.FromBlock)
	}
	return from
}

func (f *Follower) rollback(ctx context.Context) error {
	f.m.reorgs.Inc()
	for _, b := range f.store.RecentBlocks(keepBlocks) {
		h, err := f.header(ctx, b.Number)
		if err != nil {
			return err
		}
		if h.Hash == b.Hash {
			changes, err := f.store.Rollback(b)
			if err != nil {
				return err
			}
			f.log.Info("reorg: rolled back", "toBlock", b.Number)
			f.notify(b.Number, changes)
			return nil
		}
	}
	// Nothing kept is still on the chain: start over.
	changes, err := f.store.Rollback(Checkpoint{})
	if err != nil {
		return err
	}
	f.notify(0, changes)
	return fmt.Errorf("%w: restarted from the first block", ErrTooDeep)
}

func (f *Follower) currentBatch() uint64 {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.batch
}

// fetch reads the logs of [from, to], adapting the range to what the node
// accepts: halving on "too many results" and range errors, growing again
// after successes. The hash of the range's last block is read before and
// after, so a reorg in between is noticed rather than half-applied.
func (f *Follower) fetch(ctx context.Context, from, to uint64) ([]Block, Checkpoint, error) {
	for {
		before, err := f.header(ctx, to)
		if err != nil {
			return nil, Checkpoint{}, err
		}
		logs, err := f.getLogs(ctx, from, to)
		if err != nil {
			if evm.IsRangeError(err) && to > from {
				to = from + (to-from)/2
				f.mu.Lock()
				f.batch = max(f.batch/2, 1)
				f.mu.Unlock()
				f.m.rpcErrors.WithLabelValues("range").Inc()
				continue
			}
			return nil, Checkpoint{}, err
		}
		after, err := f.header(ctx, to)
		if err != nil {
			return nil, Checkpoint{}, err
		}
		if after.Hash != before.Hash {
			continue // reorg while reading: read again
		}
		f.mu.Lock()
		f.batch = min(f.batch*2, f.cfg.MaxBatch)
		f.mu.Unlock()
		blocks, err := f.decode(logs)
		if err != nil {
			return nil, Checkpoint{}, err
		}
		for _, b := range blocks {
			if b.Number == to && b.Hash != after.Hash {
				return nil, Checkpoint{}, fmt.Errorf("logs of block %d come from another fork", to)
			}
		}
		f.m.logs.Add(float64(len(logs)))
		return blocks, Checkpoint{Number: to, Hash: after.Hash}, nil
	}
}

func (f *Follower) getLogs(ctx context.Context, from, to uint64) ([]types.Log, error) {
	var addrs []common.Address
	for _, c := range f.cfg.Contracts {
		if c.FromBlock <= to {
			addrs = append(addrs, c.Address)
		}
	}
	var logs []types.Log
	err := f.retry(ctx, "eth_getLogs", func(ctx context.Context) (err error) {
		logs, err = f.client.TransferLogs(ctx, from, to, addrs)
		return err
	})
	return logs, err
}

// call runs one RPC method under retry.
func (f *Follower) call(ctx context.Context, result any, method string, args ...any) error {
	return f.retry(ctx, method, func(ctx context.Context) error { return f.client.CallRaw(ctx, result, method, args...) })
}

// retry runs one RPC with a timeout, backing off and retrying on 429 and
// transient failures a few times; errors are counted by kind.
func (f *Follower) retry(ctx context.Context, method string, do func(context.Context) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = do(cctx)
		cancel()
		if err == nil {
			return nil
		}
		kind := evm.ErrorKind(err)
		f.m.rpcErrors.WithLabelValues(kind).Inc()
		if kind == "range" || ctx.Err() != nil {
			break
		}
		wait := time.Duration(100<<attempt) * time.Millisecond
		if kind == "rate_limited" {
			wait *= 4
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	return fmt.Errorf("%s: %w", method, err)
}

// decode turns logs into per-block transfers, in chain order.
func (f *Follower) decode(logs []types.Log) ([]Block, error) {
	standards := map[common.Address]string{}
	for _, c := range f.cfg.Contracts {
		standards[c.Address] = c.Standard
	}
	sort.Slice(logs, func(i, j int) bool {
		if logs[i].BlockNumber != logs[j].BlockNumber {
			return logs[i].BlockNumber < logs[j].BlockNumber
		}
		return logs[i].Index < logs[j].Index
	})
	var blocks []Block
	for _, l := range logs {
		if l.Removed {
			continue
		}
		standard, ok := standards[l.Address]
		if !ok {
			continue
		}
		var events []Event
		if evm.IsPassLog(l) {
			// Only an ERC-721 token is a pass: a SubscriptionUpdate or
			// UpdateUser of another contract means nothing here.
			u, err := evm.DecodePassLog(l)
			if err != nil || standard != "ERC721" {
				f.log.V(1).Info("skipping a pass log that does not decode", "tx", l.TxHash, "standard", standard, "error", fmt.Sprint(err))
				continue
			}
			events = []Event{{Pass: &u}}
		} else {
			transfers, err := evm.DecodeTransferLog(l, standard)
			if err != nil {
				f.log.V(1).Info("skipping a log that does not decode", "tx", l.TxHash, "error", err.Error())
				continue
			}
			for i := range transfers {
				events = append(events, Event{Transfer: &transfers[i]})
			}
		}
		if len(blocks) == 0 || blocks[len(blocks)-1].Number != l.BlockNumber {
			blocks = append(blocks, Block{Number: l.BlockNumber, Hash: l.BlockHash})
		}
		b := &blocks[len(blocks)-1]
		b.Events = append(b.Events, events...)
	}
	return blocks, nil
}
