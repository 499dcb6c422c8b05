package delivery

import (
	"sync"
	"sync/atomic"
)

// endpointKey identifies an endpoint across configuration reloads: the
// same merchant, name and URL share their per-endpoint state (breaker,
// limiter, signers, parsed URL).
type endpointKey struct{ merchant, name, url string }

func keyOf(ep *Endpoint) endpointKey { return endpointKey{ep.Merchant, ep.Name, ep.URL} }

// label names the endpoint in error messages: merchant/name, never the URL.
func (e *Endpoint) label() string {
	switch {
	case e.Merchant == "" && e.Name == "":
		return "endpoint"
	case e.Name == "":
		return e.Merchant
	}
	return e.Merchant + "/" + e.Name
}

// registry holds one *T per endpoint. Entries whose settings went stale
// (a new key, a new concurrency bound) are replaced. Each entry remembers
// when it was last used, so the state of endpoints that disappeared, or
// stopped being used, can be swept: merchants change their endpoints at
// will, and the state of every URL ever used must not pile up.
type registry[T any] struct {
	m         sync.Map     // endpointKey → *entry[T]
	lastSweep atomic.Int64 // unix seconds of the last sweep, 0 before any use
}

// entry is one endpoint's state and when it was last used.
type entry[T any] struct {
	v    *T
	used atomic.Int64 // unix seconds
}

// touch records a use at now, writing only when the second changed.
func (e *entry[T]) touch(now int64) {
	if e.used.Load() != now {
		e.used.Store(now)
	}
}

// get returns the state of ep, building it when absent or when current
// reports the stored one stale, and records a use at now (unix seconds).
func (r *registry[T]) get(ep *Endpoint, now int64, current func(*T) bool, build func() *T) *T {
	k := keyOf(ep)
	for {
		v, ok := r.m.Load(k)
		if !ok {
			n := &entry[T]{v: build()}
			n.used.Store(now)
			if _, loaded := r.m.LoadOrStore(k, n); !loaded {
				return n.v
			}
			continue
		}
		if old := v.(*entry[T]); current(old.v) {
			old.touch(now)
			return old.v
		}
		n := &entry[T]{v: build()}
		n.used.Store(now)
		if r.m.CompareAndSwap(k, v, n) {
			return n.v
		}
	}
}

// forget drops the state of ep.
func (r *registry[T]) forget(ep *Endpoint) { r.m.Delete(keyOf(ep)) }

// load returns the state of ep if there is one.
func (r *registry[T]) load(ep *Endpoint) (*T, bool) {
	v, ok := r.m.Load(keyOf(ep))
	if !ok {
		return nil, false
	}
	return v.(*entry[T]).v, true
}

// each calls f with every state held.
func (r *registry[T]) each(f func(*T)) {
	r.m.Range(func(_, v any) bool {
		f(v.(*entry[T]).v)
		return true
	})
}

// sweepDue reports whether a sweep is due at now, every seconds after the
// last one, and claims it: one caller a period gets true.
func (r *registry[T]) sweepDue(now, every int64) bool {
	last := r.lastSweep.Load()
	if last == 0 {
		r.lastSweep.CompareAndSwap(0, now)
		return false
	}
	return now-last >= every && r.lastSweep.CompareAndSwap(last, now)
}

// sweep drops the entries last used before cutoff (unix seconds) for
// which idle reports nothing in progress, and returns how many it
// dropped. An entry used again while it is swept may be dropped anyway:
// the next use builds it again.
func (r *registry[T]) sweep(cutoff int64, idle func(*T) bool) (dropped int) {
	r.m.Range(func(k, v any) bool {
		if e := v.(*entry[T]); e.used.Load() < cutoff && idle(e.v) && r.m.CompareAndDelete(k, v) {
			dropped++
		}
		return true
	})
	return dropped
}
