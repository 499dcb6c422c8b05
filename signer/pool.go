package signer

import "sync"

// Pool lends Signers re-keyed for the key at hand (Reset), so one pool
// serves any number of merchants or endpoints; a pool per key would be
// registered again with the runtime after every collection, under one
// global lock. The zero Pool is ready to use and safe for concurrent use.
type Pool struct{ p sync.Pool }

// Get returns a Signer keyed with key; give it back with Put.
func (p *Pool) Get(key []byte) *Signer {
	s, _ := p.p.Get().(*Signer)
	if s == nil {
		return New(key)
	}
	s.Reset(key)
	return s
}

// Put gives s back to the pool.
func (p *Pool) Put(s *Signer) { p.p.Put(s) }
