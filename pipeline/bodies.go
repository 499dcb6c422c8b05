package pipeline

import (
	"iter"
	"sync"
)

// maxPooledBody bounds the capacity of a body buffer kept for reuse.
const maxPooledBody = 64 << 10

// bodyPool recycles the buffers first attempts' signed bodies are built
// in. A buffer goes back only when no notification signed into it was
// handed to the Kafka writer (see notification.kept): a retry or
// dead-letter record's value is the body itself, and a write given up on
// may still be in the writer's hands. The Sender does not keep a request
// after Send returns (see Options.Sender).
type bodyPool struct{ p sync.Pool } // *[]byte

// get returns an empty buffer; store the body built in it back into it.
func (b *bodyPool) get() *[]byte {
	if buf, ok := b.p.Get().(*[]byte); ok {
		*buf = (*buf)[:0]
		return buf
	}
	return new([]byte)
}

// recycle takes back the buffers of ns, the notifications of one event,
// once every attempt of theirs is over.
func (b *bodyPool) recycle(ns []notification) {
	for buf := range reusable(ns) {
		b.p.Put(buf)
	}
}

// reusable yields each buffer of ns once (notifications may share one),
// none if a notification was kept, and none that grew too large to keep.
func reusable(ns []notification) iter.Seq[*[]byte] {
	return func(yield func(*[]byte) bool) {
		for i := range ns {
			if ns[i].kept {
				return
			}
		}
		for i := range ns {
			// A buffer shared with an earlier notification may be in
			// another goroutine's hands already: skip it before reading it.
			buf := ns[i].buf
			if buf == nil || sharedBefore(ns[:i], buf) || cap(*buf) > maxPooledBody {
				continue
			}
			if !yield(buf) {
				return
			}
		}
	}
}

// sharedBefore reports whether one of ns uses buf.
func sharedBefore(ns []notification, buf *[]byte) bool {
	for i := range ns {
		if ns[i].buf == buf {
			return true
		}
	}
	return false
}
