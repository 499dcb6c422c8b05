// Package opslog keeps the gateway's info-level log readable at any
// traffic: repeated lines about one endpoint are rate-limited and carry
// the count of the lines left out, and a periodic summary tells what was
// delivered, retried and dead-lettered in each interval.
package opslog

import (
	"sync"
	"time"
)

// DefaultMaxKeys bounds the keys a Throttle remembers.
const DefaultMaxKeys = 10_000

// Throttle lets one line per key through each interval. It is safe for
// concurrent use; its memory is bounded by maxKeys.
type Throttle struct {
	every   time.Duration
	maxKeys int
	now     func() time.Time

	mu   sync.Mutex
	keys map[string]*window
}

type window struct {
	last       time.Time
	suppressed int
}

// NewThrottle returns a Throttle letting one line per key through every
// interval (at least a nanosecond), remembering at most maxKeys keys
// (DefaultMaxKeys when not positive). now is the clock; nil is
// time.Now.
func NewThrottle(every time.Duration, maxKeys int, now func() time.Time) *Throttle {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	if now == nil {
		now = time.Now
	}
	return &Throttle{every: max(every, 1), maxKeys: maxKeys, now: now, keys: map[string]*window{}}
}

// Allow reports whether a line about key may be logged now and, if so,
// how many lines about it were left out since the last one let through.
// A nil *Throttle lets every line through.
func (t *Throttle) Allow(key string) (ok bool, suppressed int) {
	if t == nil {
		return true, 0
	}
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.keys[key]
	if w == nil {
		t.makeRoom(now)
		t.keys[key] = &window{last: now}
		return true, 0
	}
	if now.Sub(w.last) < t.every {
		w.suppressed++
		return false, 0
	}
	n := w.suppressed
	w.last, w.suppressed = now, 0
	return true, n
}

// makeRoom forgets keys whose window has passed with nothing left out,
// and, when the map is still full, every key: a forgotten key's next line
// goes through, and lines left out before are not counted again.
func (t *Throttle) makeRoom(now time.Time) {
	if len(t.keys) < t.maxKeys {
		return
	}
	for k, w := range t.keys {
		if w.suppressed == 0 && now.Sub(w.last) >= t.every {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= t.maxKeys {
		clear(t.keys)
	}
}
