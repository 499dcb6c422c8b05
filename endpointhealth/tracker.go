// Package endpointhealth follows every endpoint's health (its last
// success, its oldest undelivered notification, its failures, its circuit
// breaker and pause) and exports per-endpoint series only for the
// endpoints an operator needs to see: those failing now or recently,
// those whose breaker is not closed, paused ones, and every endpoint of an
// opt-in list of merchants. A healthy endpoint has no series of its own,
// so the number of series is bounded by Options.MaxDetailed, whatever the
// number of merchants. Series are never pre-created.
package endpointhealth

import (
	"errors"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of Options.
const (
	DefaultMaxDetailed = 1000
	DefaultHold        = 15 * time.Minute
	// maxPending bounds the undelivered notifications followed per
	// endpoint; past it the newest are not followed (the oldest decide the
	// age).
	maxPending = 4096
)

// Options configures New.
type Options struct {
	// Registerer receives the per-endpoint collector and the tracker's own
	// gauges; required.
	Registerer prometheus.Registerer
	// Merchants are vendor codes whose endpoints always have detail.
	Merchants []string
	// MaxDetailed bounds the endpoints with detail; default
	// DefaultMaxDetailed. Past it the endpoints with the oldest
	// undelivered notification win, and the rest are counted in
	// lcngw_endpoints_detail_omitted.
	MaxDetailed int
	// Hold is how long an endpoint keeps its detail after its last
	// failure; default DefaultHold.
	Hold time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Key names an endpoint.
type Key struct{ Merchant, Endpoint string }

// Tracker follows every endpoint seen. It is safe for concurrent use; a
// delivered attempt on a healthy endpoint costs one map lookup and one
// atomic store.
type Tracker struct {
	opts    Options
	optIn   map[string]bool
	states  sync.Map // Key → *state
	metrics *metrics

	mu         sync.Mutex
	candidates map[Key]*state // endpoints that may need detail
}

// New returns a Tracker registered on o.Registerer.
func New(o Options) (*Tracker, error) {
	if o.Registerer == nil {
		return nil, errors.New("endpointhealth: a registerer is required")
	}
	if o.MaxDetailed <= 0 {
		o.MaxDetailed = DefaultMaxDetailed
	}
	if o.Hold <= 0 {
		o.Hold = DefaultHold
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t := &Tracker{opts: o, optIn: map[string]bool{}, candidates: map[Key]*state{}}
	for _, m := range o.Merchants {
		t.optIn[m] = true
	}
	m, err := newMetrics(o.Registerer, t)
	if err != nil {
		return nil, err
	}
	t.metrics = m
	return t, nil
}

// state returns k's state, created on first sight; opt-in merchants'
// endpoints become candidates at once.
func (t *Tracker) state(k Key) *state {
	if s, ok := t.states.Load(k); ok {
		return s.(*state)
	}
	s, loaded := t.states.LoadOrStore(k, newState())
	st := s.(*state)
	if !loaded && t.optIn[k.Merchant] {
		t.candidate(k, st)
	}
	return st
}

// candidate marks k as an endpoint that may need detail.
func (t *Tracker) candidate(k Key, s *state) {
	if s.candidate.Load() {
		return
	}
	t.mu.Lock()
	t.candidates[k] = s
	s.candidate.Store(true)
	t.mu.Unlock()
}
