package delivery

import "sync"

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
// (a new key, a new concurrency bound) are replaced; entries of endpoints
// that disappear stay until forgotten.
type registry[T any] struct{ m sync.Map }

// get returns the state of ep, building it when absent or when current
// reports the stored one stale.
func (r *registry[T]) get(ep *Endpoint, current func(*T) bool, build func() *T) *T {
	k := keyOf(ep)
	for {
		v, ok := r.m.Load(k)
		if !ok {
			n := build()
			if _, loaded := r.m.LoadOrStore(k, n); !loaded {
				return n
			}
			continue
		}
		if old := v.(*T); current(old) {
			return old
		}
		if n := build(); r.m.CompareAndSwap(k, v, n) {
			return n
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
	return v.(*T), true
}
