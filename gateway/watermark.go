package gateway

import "sync"

// Watermark tracks the messages of one topic-partition between fetch and
// completion, and tells how far the partition's offset may be committed:
// up to the highest offset below which every fetched message has finished.
// Messages may finish in any order; a message that never finishes holds
// the watermark back, so it (and everything after it) is fetched again
// after a restart or rebalance.
//
// Offsets must be added in increasing order (the order a partition is
// read in); gaps between them (compacted or transactional records) are
// fine. A Watermark is safe for concurrent use.
type Watermark struct {
	mu      sync.Mutex
	pending []pendingOffset // fetched, in fetch order; the front is the oldest unfinished
	next    int64           // offset after the last one added
	start   int64           // commit point when nothing is pending
}

type pendingOffset struct {
	offset int64
	done   bool
}

// NewWatermark returns a tracker for a partition whose next offset to read
// is start (the committed offset, or the first offset read).
func NewWatermark(start int64) *Watermark {
	return &Watermark{next: start, start: start}
}

// Add records that the message at offset was fetched and is in flight. An
// offset below the next expected one (a message already added) is ignored
// and reported false.
func (w *Watermark) Add(offset int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if offset < w.next {
		return false
	}
	w.pending = append(w.pending, pendingOffset{offset: offset})
	w.next = offset + 1
	return true
}

// Done records that the message at offset finished. It reports false for
// an offset that is not in flight.
func (w *Watermark) Done(offset int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := w.find(offset)
	if i < 0 || w.pending[i].done {
		return false
	}
	w.pending[i].done = true
	n := 0
	for n < len(w.pending) && w.pending[n].done {
		n++
	}
	if n > 0 {
		w.pending = w.pending[n:]
		if len(w.pending) == 0 {
			w.pending = nil
			w.start = w.next
		}
	}
	return true
}

// find returns the index of offset in pending (binary search), or -1.
func (w *Watermark) find(offset int64) int {
	lo, hi := 0, len(w.pending)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if w.pending[mid].offset < offset {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(w.pending) && w.pending[lo].offset == offset {
		return lo
	}
	return -1
}

// Committable returns the offset to commit: the offset of the oldest
// unfinished message, or the offset after the last one added when every
// message has finished. Kafka commits name the next offset to read.
func (w *Watermark) Committable() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) > 0 {
		return w.pending[0].offset
	}
	return w.start
}

// InFlight returns how many fetched messages have not finished.
func (w *Watermark) InFlight() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, p := range w.pending {
		if !p.done {
			n++
		}
	}
	return n
}
