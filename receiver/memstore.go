package receiver

import (
	"context"
	"sync"
	"time"
)

// Defaults of the in-memory store.
const (
	// DefaultTTL outlasts the platform's retry window (hourly retries for
	// two days after the first attempt).
	DefaultTTL = 72 * time.Hour
	// DefaultClaimTTL bounds how long a request may hold a claim.
	DefaultClaimTTL = 5 * time.Minute
	// DefaultMaxEntries bounds the in-memory store (about 100 bytes each).
	DefaultMaxEntries = 100_000
)

// MemoryStoreConfig configures NewMemoryStore. Zero fields take defaults.
type MemoryStoreConfig struct {
	// TTL is how long a committed key is remembered. Default: DefaultTTL.
	TTL time.Duration
	// ClaimTTL is how long an uncommitted claim blocks the key.
	// Default: DefaultClaimTTL.
	ClaimTTL time.Duration
	// MaxEntries bounds the number of keys; when full, the oldest key is
	// forgotten first. Default: DefaultMaxEntries.
	MaxEntries int
	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

// MemoryStore is the default Store: a bounded in-process map with
// expiry, safe for concurrent use. It is lost on restart and not shared
// between processes; use a shared Store for several replicas.
type MemoryStore struct {
	cfg MemoryStoreConfig

	mu      sync.Mutex
	entries map[string]memEntry
	queue   []queued // keys in insertion order, possibly stale
	head    int
	seq     uint64
}

type memEntry struct {
	done    bool
	expires int64 // unix nanoseconds
	seq     uint64
}

type queued struct {
	key string
	seq uint64
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(cfg MemoryStoreConfig) *MemoryStore {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.ClaimTTL <= 0 {
		cfg.ClaimTTL = DefaultClaimTTL
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &MemoryStore{cfg: cfg, entries: make(map[string]memEntry)}
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, key string) (Status, error) {
	now := s.cfg.Now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && now < e.expires {
		if e.done {
			return StatusDone, nil
		}
		return StatusPending, nil
	}
	s.insert(now, key, memEntry{expires: now + int64(s.cfg.ClaimTTL)})
	return StatusNew, nil
}

// Commit implements Store. A key whose claim expired or was evicted is
// remembered as done all the same.
func (s *MemoryStore) Commit(_ context.Context, key string) error {
	now := s.cfg.Now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		s.insert(now, key, memEntry{done: true, expires: now + int64(s.cfg.TTL)})
		return nil
	}
	e.done, e.expires = true, now+int64(s.cfg.TTL)
	s.entries[key] = e
	return nil
}

// Release implements Store. A committed key stays done.
func (s *MemoryStore) Release(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && !e.done {
		delete(s.entries, key)
	}
	return nil
}

// Len returns the number of keys held (expired ones included until they
// are evicted).
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// insert adds key after dropping expired and stale keys from the front of
// the queue and, when still full, the oldest key; s.mu is held.
func (s *MemoryStore) insert(now int64, key string, e memEntry) {
	for s.head < len(s.queue) {
		q := s.queue[s.head]
		if old, ok := s.entries[q.key]; ok && old.seq == q.seq && now < old.expires {
			break
		}
		s.popFront()
	}
	for len(s.queue)-s.head >= s.cfg.MaxEntries {
		s.popFront()
	}
	s.seq++
	e.seq = s.seq
	s.entries[key] = e
	s.queue = append(s.queue, queued{key: key, seq: e.seq})
}

// popFront forgets the oldest queued key unless it was re-inserted since.
func (s *MemoryStore) popFront() {
	q := s.queue[s.head]
	s.queue[s.head] = queued{}
	s.head++
	if e, ok := s.entries[q.key]; ok && e.seq == q.seq {
		delete(s.entries, q.key)
	}
	if s.head >= 1024 && s.head*2 >= len(s.queue) {
		n := copy(s.queue, s.queue[s.head:])
		clear(s.queue[n:])
		s.queue = s.queue[:n]
		s.head = 0
	}
}
