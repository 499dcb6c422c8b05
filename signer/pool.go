package signer

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// poolSlots is how many keyed Signers a Pool keeps at most, each in the
// slot its key hashes to. A few merchants' Signers then stay keyed between
// uses, and any number of merchants cost at most this many Signers.
const poolSlots = 256

// poolSeed seeds the slot hash of every Pool.
var poolSeed = maphash.MakeSeed()

// Pool lends Signers keyed for the key at hand. A Signer given back stays
// keyed in its key's slot, so the next Get for that key skips re-keying
// its HMAC states, the larger part of signing a short message; a Get whose
// slot holds another key's Signer re-keys it (Reset), so one Pool serves
// any number of merchants or endpoints in bounded memory. The zero Pool is
// ready to use and safe for concurrent use.
type Pool struct {
	slots [poolSlots]atomic.Pointer[Signer]
	spare sync.Pool // Signers pushed out of a slot, keys kept
}

// Get returns a Signer keyed with key; give it back with Put.
func (p *Pool) Get(key []byte) *Signer {
	s := p.slots[slotOf(key)].Swap(nil)
	if s == nil {
		s, _ = p.spare.Get().(*Signer)
	}
	if s == nil {
		return New(key)
	}
	s.Reset(key) // a no-op for the key s already holds
	return s
}

// Put gives s back to the pool. It takes the slot of its key; a Signer
// already there moves to the spares.
func (p *Pool) Put(s *Signer) {
	if old := p.slots[slotOf(s.key)].Swap(s); old != nil {
		p.spare.Put(old)
	}
}

// slotOf returns the slot of key.
func slotOf(key []byte) int {
	return int(maphash.Bytes(poolSeed, key) % poolSlots)
}
