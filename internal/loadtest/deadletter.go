package loadtest

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/retryrecord"
)

// DeadLetters reads the dead-letter topic while a run goes on and tallies
// it: by kind and reason, which notifications (endpoint and event) and
// which input events ended there.
type DeadLetters struct {
	topo *Topology

	mu       sync.Mutex
	byReason map[string]int64 // "kind/reason" → records
	delivery map[[2]int]bool  // {global endpoint, seq}
	input    map[int]bool     // seq
	records  int64
	next     map[int]int64 // partition → next offset to read
}

// NewDeadLetters returns an empty tally for the endpoints of topo.
func NewDeadLetters(topo *Topology) *DeadLetters {
	return &DeadLetters{topo: topo, byReason: map[string]int64{}, delivery: map[[2]int]bool{},
		input: map[int]bool{}, next: map[int]int64{}}
}

// Watch reads the topic with its own consumer group from the first offset
// until ctx ends, surviving broker restarts.
func (d *DeadLetters) Watch(ctx context.Context, k *kafkaconn.Conn, group string) {
	r := kafka.NewReader(k.ReaderConfig(kafka.ReaderConfig{
		GroupID: group, Topic: Topics().DeadLetter, StartOffset: kafka.FirstOffset,
		MaxWait: 200 * time.Millisecond, HeartbeatInterval: time.Second, SessionTimeout: 6 * time.Second,
		CommitInterval: time.Second, ReadBackoffMax: 500 * time.Millisecond,
	}))
	defer r.Close()
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
			continue
		}
		d.add(m)
	}
}

func (d *DeadLetters) add(m kafka.Message) {
	h := map[string]string{}
	for _, x := range m.Headers {
		h[x.Key] = string(x.Value)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if m.Offset < d.next[m.Partition] {
		return // read again after a rebalance
	}
	d.next[m.Partition] = m.Offset + 1
	d.records++
	kind := h[retryrecord.HeaderDeadLetter]
	d.byReason[kind+"/"+h[retryrecord.HeaderReason]]++
	seq, err := strconv.Atoi(h[SeqHeader])
	if err != nil {
		return
	}
	switch kind {
	case retryrecord.DeadInput:
		d.input[seq] = true
	case retryrecord.DeadDelivery:
		if ep, ok := d.topo.Index(h[retryrecord.HeaderMerchant], h[retryrecord.HeaderEndpoint]); ok {
			d.delivery[[2]int{ep, seq}] = true
		}
	}
}

// Has reports whether the notification of event seq for endpoint ep was
// dead-lettered.
func (d *DeadLetters) Has(ep, seq int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.delivery[[2]int{ep, seq}]
}

// HasInput reports whether event seq was dead-lettered as invalid input.
func (d *DeadLetters) HasInput(seq int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.input[seq]
}

// Tally is a snapshot of the dead letters.
type Tally struct {
	// Records counts dead-letter records read (duplicates included).
	Records int64
	// Delivery and Input count distinct notifications and events.
	Delivery, Input int64
	// ByReason counts records by "kind/reason".
	ByReason map[string]int64
}

// Tally returns the current counts.
func (d *DeadLetters) Tally() Tally {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := Tally{Records: d.records, Delivery: int64(len(d.delivery)), Input: int64(len(d.input)),
		ByReason: map[string]int64{}}
	for k, v := range d.byReason {
		t.ByReason[k] = v
	}
	return t
}

// CaughtUp reports whether every record up to the ends given (partition →
// next offset) has been read.
func (d *DeadLetters) CaughtUp(ends map[int]int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for p, end := range ends {
		if end > 0 && d.next[p] < end {
			return false
		}
	}
	return true
}
