package gateway

import (
	"sync"
	"sync/atomic"

	"github.com/segmentio/kafka-go"
)

// keyLanes runs records of one key strictly in order, one at a time, and
// records of different keys (or none) in parallel. The goroutines that run
// them are reused: one that finishes its key waits for the next task
// instead of exiting, so a steady stream of records does not pay for a new
// goroutine, and a fresh small stack, per record.
type keyLanes struct {
	mu     sync.Mutex
	queues map[string][]kafka.Message // present while a goroutine drains the key
	wg     *sync.WaitGroup
	run    func(*kafka.Message)
	idle   chan laneTask // hands a task to a goroutine waiting for one
	// started counts the goroutines started (only dispatch touches it),
	// waiting those waiting for a task.
	started int
	waiting atomic.Int32
}

// laneTask is a record without a key, or the first record of a key that
// was idle; the goroutine taking it then drains the key.
type laneTask struct {
	m     kafka.Message
	keyed bool
}

// newKeyLanes returns lanes running records with run, counting their
// goroutines in wg. Call dispatch from one goroutine, and close when done.
func newKeyLanes(wg *sync.WaitGroup, run func(*kafka.Message)) *keyLanes {
	return &keyLanes{queues: make(map[string][]kafka.Message), wg: wg, run: run, idle: make(chan laneTask)}
}

// dispatch queues m behind its key's earlier records, or hands it to a
// waiting goroutine, or starts one.
func (k *keyLanes) dispatch(m kafka.Message) {
	t := laneTask{m: m, keyed: len(m.Key) > 0}
	if t.keyed {
		key := string(m.Key)
		k.mu.Lock()
		q, busy := k.queues[key]
		k.queues[key] = append(q, m)
		k.mu.Unlock()
		if busy {
			return
		}
	}
	select {
	case k.idle <- t:
	default:
		k.started++
		k.wg.Go(func() { k.work(t) })
	}
}

// close lets the waiting goroutines exit; the busy ones exit when done.
func (k *keyLanes) close() { close(k.idle) }

func (k *keyLanes) work(t laneTask) {
	for ok := true; ok; t, ok = k.next() {
		if !t.keyed {
			k.run(&t.m)
			continue
		}
		k.drain(string(t.m.Key))
	}
}

// next waits for the next task; false once the lanes are closed.
func (k *keyLanes) next() (laneTask, bool) {
	k.waiting.Add(1)
	t, ok := <-k.idle
	k.waiting.Add(-1)
	return t, ok
}

func (k *keyLanes) drain(key string) {
	for {
		k.mu.Lock()
		q := k.queues[key]
		if len(q) == 0 {
			delete(k.queues, key)
			k.mu.Unlock()
			return
		}
		m := q[0]
		k.queues[key] = q[1:]
		k.mu.Unlock()
		k.run(&m)
	}
}
