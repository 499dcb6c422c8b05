package registry

import (
	"slices"
	"strings"
	"sync"
)

// table is the registry's in-memory view: the latest entry of every vendor
// code. Lookups and listings take a read lock; the sorted index for
// listing is rebuilt lazily after changes.
type table struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	sorted  []string // vendor codes in order; nil after a change
}

func newTable() *table { return &table{entries: map[string]*Entry{}} }

func (t *table) get(vendor string) (*Entry, bool) {
	t.mu.RLock()
	e, ok := t.entries[vendor]
	t.mu.RUnlock()
	return e, ok
}

// set stores e, or deletes vendor when e is nil, and returns the entry it
// replaced.
func (t *table) set(vendor string, e *Entry) *Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	old, had := t.entries[vendor]
	switch {
	case e != nil:
		t.entries[vendor] = e
		if !had {
			t.sorted = nil
		}
	case had:
		delete(t.entries, vendor)
		t.sorted = nil
	}
	return old
}

func (t *table) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.entries)
}

// list returns up to limit entries whose vendor code starts with prefix and
// sorts after after, and whether more follow. It takes the read lock, as
// lookups do, unless the index must be rebuilt after a change.
func (t *table) list(prefix, after string, limit int) ([]*Entry, bool) {
	t.mu.RLock()
	if t.sorted != nil {
		defer t.mu.RUnlock()
		return t.page(prefix, after, limit)
	}
	t.mu.RUnlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sorted == nil {
		t.sorted = make([]string, 0, len(t.entries))
		for v := range t.entries {
			t.sorted = append(t.sorted, v)
		}
		slices.Sort(t.sorted)
	}
	return t.page(prefix, after, limit)
}

// page is list on the sorted index; the caller holds a lock.
func (t *table) page(prefix, after string, limit int) ([]*Entry, bool) {
	start := max(prefix, after)
	i, found := slices.BinarySearch(t.sorted, start)
	if found && start == after {
		i++
	}
	var out []*Entry
	for ; i < len(t.sorted) && strings.HasPrefix(t.sorted[i], prefix); i++ {
		if len(out) == limit {
			return out, true
		}
		out = append(out, t.entries[t.sorted[i]])
	}
	return out, false
}
