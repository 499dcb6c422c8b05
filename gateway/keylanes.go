package gateway

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/segmentio/kafka-go"
)

// keyLanes runs records of one key strictly in order, one at a time, and
// records of different keys (or none) in parallel. The goroutines that run
// them are reused: one that finishes its key waits for the next task
// instead of exiting, so a steady stream of records does not pay for a new
// goroutine, and a fresh small stack, per record. The goroutine idle for
// the shortest time takes the next task: a few busy goroutines keep their
// grown stacks (the garbage collector shrinks those of goroutines idle at
// a collection, which then grow again on their next record). So are the
// queues reused: dispatching a record allocates nothing once the lanes are
// warm.
//
// Keys are told apart by a 64-bit hash: two keys that collide share a lane
// and run one after another, which keeps each key's order and costs only
// parallelism, for one pair in billions.
type keyLanes struct {
	mu     sync.Mutex
	queues map[uint64]*keyQueue // present while a goroutine drains the key
	free   []*keyQueue          // drained queues, for reuse
	seed   maphash.Seed
	wg     *sync.WaitGroup
	run    func(*kafka.Message)
	idle   []chan laneTask // goroutines waiting for a task, the latest last
	closed bool
	// started counts the goroutines started (only dispatch touches it),
	// waiting those waiting for a task.
	started int
	waiting atomic.Int32
}

// laneTask is a queue to drain: a key's, or that of one record without a
// key.
type laneTask struct {
	q     *keyQueue
	hash  uint64
	keyed bool
}

// maxFree bounds the drained queues kept for reuse, and maxKeptQueue the
// capacity of one kept queue.
const (
	maxFree      = 256
	maxKeptQueue = 16
)

// newKeyLanes returns lanes running records with run, counting their
// goroutines in wg. Call dispatch from one goroutine, and close when done.
// run must not keep the record it is given after it returns.
func newKeyLanes(wg *sync.WaitGroup, run func(*kafka.Message)) *keyLanes {
	return &keyLanes{queues: make(map[uint64]*keyQueue), seed: maphash.MakeSeed(), wg: wg, run: run}
}

// dispatch queues m behind its key's earlier records, or hands it to a
// waiting goroutine, or starts one.
func (k *keyLanes) dispatch(m kafka.Message) {
	t := laneTask{keyed: len(m.Key) > 0}
	if t.keyed {
		t.hash = maphash.Bytes(k.seed, m.Key)
	}
	k.mu.Lock()
	busy := false
	if t.keyed {
		t.q, busy = k.queues[t.hash]
	}
	if !busy {
		t.q = k.newQueue()
		if t.keyed {
			k.queues[t.hash] = t.q
		}
	}
	t.q.push(m)
	var wake chan laneTask
	if n := len(k.idle); n > 0 && !busy {
		wake = k.idle[n-1]
		k.idle = k.idle[:n-1]
	}
	k.mu.Unlock()
	switch {
	case busy:
	case wake != nil:
		wake <- t
	default:
		k.started++
		k.wg.Go(func() { k.work(t) })
	}
}

// close lets the waiting goroutines exit; the busy ones exit when done.
func (k *keyLanes) close() {
	k.mu.Lock()
	idle := k.idle
	k.idle, k.closed = nil, true
	k.mu.Unlock()
	for _, wake := range idle {
		close(wake)
	}
}

func (k *keyLanes) work(t laneTask) {
	wake := make(chan laneTask, 1)
	for ok := true; ok; t, ok = k.next(wake) {
		k.drain(t)
	}
}

// next waits on wake for the next task; false once the lanes are closed.
func (k *keyLanes) next(wake chan laneTask) (laneTask, bool) {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return laneTask{}, false
	}
	k.idle = append(k.idle, wake)
	k.waiting.Add(1)
	k.mu.Unlock()
	t, ok := <-wake
	k.waiting.Add(-1)
	return t, ok
}

// drain runs the records of t's queue until it is empty, then retires it.
// The record being run stays at the front of the queue until it is done.
func (k *keyLanes) drain(t laneTask) {
	q := t.q
	k.mu.Lock()
	for q.len() > 0 {
		m := q.front()
		k.mu.Unlock()
		k.run(m)
		k.mu.Lock()
		q.pop()
	}
	if t.keyed {
		delete(k.queues, t.hash)
	}
	k.retire(q)
	k.mu.Unlock()
}

// newQueue returns an empty queue, a drained one if any. Call with mu held.
func (k *keyLanes) newQueue() *keyQueue {
	if n := len(k.free); n > 0 {
		q := k.free[n-1]
		k.free = k.free[:n-1]
		return q
	}
	return new(keyQueue)
}

// retire keeps an empty queue for reuse, unless enough are kept or it
// grew large. Call with mu held.
func (k *keyLanes) retire(q *keyQueue) {
	if len(k.free) < maxFree && cap(q.msgs) <= maxKeptQueue {
		q.msgs, q.head = q.msgs[:0], 0
		k.free = append(k.free, q)
	}
}

// keyQueue holds the records of one key, oldest first. Its front record
// is the one running: push never moves records within the array, so the
// pointer front returned stays valid until pop.
type keyQueue struct {
	msgs []kafka.Message
	head int // index of the front record
}

func (q *keyQueue) len() int { return len(q.msgs) - q.head }

func (q *keyQueue) front() *kafka.Message { return &q.msgs[q.head] }

// push appends m. A full array whose front was consumed is replaced by a
// new one rather than compacted, as its front record may be running.
func (q *keyQueue) push(m kafka.Message) {
	if len(q.msgs) == cap(q.msgs) && q.head > 0 {
		q.msgs = append(make([]kafka.Message, 0, 2*q.len()+1), q.msgs[q.head:]...)
		q.head = 0
	}
	q.msgs = append(q.msgs, m)
}

// pop drops the front record.
func (q *keyQueue) pop() {
	q.msgs[q.head] = kafka.Message{}
	q.head++
}
