package loadtest

import (
	"bufio"
	"io"
	"sync"

	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
)

// Collector tallies the endpoints' record stream against the events of a
// run: which notification reached which endpoint, how often, and how long
// after it was produced.
type Collector struct {
	times SendTimes
	index map[uint64]int32 // MESSAGE_ID → sequence number of good events

	mu        sync.Mutex
	eps       []*EndpointTally
	delivered int64
	dups      int64
	foreign   int64 // acknowledged notifications of no event of this run
	faults    map[string]int64
	rejected  map[int]int64
	addrs     []string
	ready     chan struct{}
	bad       int64 // lines that were not records
}

// EndpointTally is what one endpoint acknowledged.
type EndpointTally struct {
	seen []uint64 // bitmap over sequence numbers
	// Delivered counts distinct notifications, Duplicates the
	// acknowledgements beyond the first of each.
	Delivered, Duplicates int64
	// Latencies are produce-to-receipt times of first deliveries, ns.
	Latencies []int64
	// FromAck are the times from the broker's acknowledgement of the
	// produce request to the receipt, ns: the part of Latencies after
	// the event was stored. A receipt tallied before its acknowledgement
	// counts 0.
	FromAck []int64
	// First and Last are the first and last first-delivery times (unix ns).
	First, Last int64
}

// SendTimes tells, per sequence number (unix nanoseconds, 0 if not yet),
// when an event was handed to Kafka and when the broker acknowledged it.
type SendTimes interface {
	SentAt(seq int) int64
	AckedAt(seq int) int64
}

// NewCollector indexes the good events of mixed by MESSAGE_ID; times
// tells when each event was produced and acknowledged.
func NewCollector(events *Events, mixed Mixed, endpointCount int, times SendTimes) *Collector {
	c := &Collector{times: times, index: make(map[uint64]int32, mixed.Good),
		faults: map[string]int64{}, rejected: map[int]int64{}, ready: make(chan struct{})}
	for seq := range mixed.Total() {
		if !mixed.IsPoison(seq) {
			c.index[events.MessageID(seq)] = int32(seq)
		}
	}
	words := (mixed.Total() + 63) / 64
	for range endpointCount {
		c.eps = append(c.eps, &EndpointTally{seen: make([]uint64, words)})
	}
	return c
}

// Consume reads the endpoints' stream until it ends.
func (c *Collector) Consume(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rec, err := endpoints.ParseRecord(sc.Bytes())
		c.mu.Lock()
		if err != nil {
			c.bad++
		} else {
			c.add(rec)
		}
		c.mu.Unlock()
	}
}

// add tallies one record; c.mu is held.
func (c *Collector) add(r endpoints.Record) {
	switch r.Kind {
	case endpoints.Listening:
		c.addrs = append(c.addrs, r.Addr)
	case endpoints.Ready:
		close(c.ready)
	case endpoints.Faulted:
		c.faults[r.Fault]++
	case endpoints.Rejected:
		c.rejected[r.Status]++
	case endpoints.Delivered:
		c.deliver(r)
	}
}

func (c *Collector) deliver(r endpoints.Record) {
	seq, ok := c.index[r.MessageID]
	if !ok || r.Endpoint >= len(c.eps) {
		c.foreign++
		return
	}
	ep := c.eps[r.Endpoint]
	word, bit := seq/64, uint64(1)<<(seq%64)
	if ep.seen[word]&bit != 0 {
		ep.Duplicates++
		c.dups++
		return
	}
	ep.seen[word] |= bit
	ep.Delivered++
	c.delivered++
	if sent := c.times.SentAt(int(seq)); sent > 0 {
		ep.Latencies = append(ep.Latencies, r.At-sent)
		var fromAck int64 // 0 when not acknowledged yet: the receipt came first
		if acked := c.times.AckedAt(int(seq)); acked > 0 {
			fromAck = max(0, r.At-acked)
		}
		ep.FromAck = append(ep.FromAck, fromAck)
	}
	if ep.First == 0 || r.At < ep.First {
		ep.First = r.At
	}
	ep.Last = max(ep.Last, r.At)
}

// Ready is closed once every endpoint listens.
func (c *Collector) Ready() <-chan struct{} { return c.ready }

// Addrs returns the endpoints' addresses in global order.
func (c *Collector) Addrs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.addrs...)
}

// Has reports whether endpoint ep acknowledged event seq.
func (c *Collector) Has(ep, seq int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.eps[ep].seen[seq/64]&(1<<(seq%64)) != 0
}

// Counts is a snapshot of the tallies.
type Counts struct {
	Delivered, Duplicates, Foreign, Malformed int64
	Faults                                    map[string]int64
	Rejected                                  map[int]int64
	// Last is the latest first-delivery time (unix ns), 0 before any.
	Last int64
}

// Counts returns the current tallies.
func (c *Collector) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Counts{Delivered: c.delivered, Duplicates: c.dups, Foreign: c.foreign, Malformed: c.bad,
		Faults: map[string]int64{}, Rejected: map[int]int64{}}
	for k, v := range c.faults {
		out.Faults[k] = v
	}
	for k, v := range c.rejected {
		out.Rejected[k] = v
	}
	for _, ep := range c.eps {
		out.Last = max(out.Last, ep.Last)
	}
	return out
}

// Endpoint returns a copy of endpoint ep's tally (without the bitmap).
func (c *Collector) Endpoint(ep int) EndpointTally {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := *c.eps[ep]
	t.seen = nil
	t.Latencies = append([]int64(nil), t.Latencies...)
	t.FromAck = append([]int64(nil), t.FromAck...)
	return t
}
