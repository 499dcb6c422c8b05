package loadtest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
)

// Producer publishes the events of a run and remembers when each was
// handed to Kafka.
type Producer struct {
	events *Events
	mixed  Mixed
	w      *kafka.Writer
	sent   []atomic.Int64 // unix nanoseconds per sequence number; 0: not yet
	next   atomic.Int64   // flat out: the next sequence number to take
	done   atomic.Int64   // events acknowledged by the broker
	retry  atomic.Int64   // batches written again after an error
}

// Produce options.
type ProduceOptions struct {
	// Rate is events per second; 0 produces flat out.
	Rate float64
	// Writers is the number of concurrent writes; default 8.
	Writers int
	// Chunk is the number of events per write; default 256 (flat out) or
	// what is due each millisecond (paced).
	Chunk int
}

// NewProducer returns a producer of the events of mixed to broker.
func NewProducer(broker string, events *Events, mixed Mixed) *Producer {
	return &Producer{
		events: events,
		mixed:  mixed,
		sent:   make([]atomic.Int64, mixed.Total()),
		w: &kafka.Writer{Addr: kafka.TCP(broker), Balancer: &kafka.Hash{}, RequiredAcks: kafka.RequireAll,
			BatchTimeout: time.Millisecond, BatchSize: 1000, BatchBytes: 4 << 20, MaxAttempts: 3,
			WriteBackoffMin: 50 * time.Millisecond, WriteBackoffMax: 500 * time.Millisecond},
	}
}

// SentAt returns when event seq was handed to Kafka (unix nanoseconds;
// 0 if not yet): when paced, the time it was due.
func (p *Producer) SentAt(seq int) int64 { return p.sent[seq].Load() }

// Acknowledged returns how many events the broker acknowledged.
func (p *Producer) Acknowledged() int64 { return p.done.Load() }

// Retries returns how many writes failed and were made again; a retried
// write may publish some events twice.
func (p *Producer) Retries() int64 { return p.retry.Load() }

// Close flushes and closes the writer.
func (p *Producer) Close() error { return p.w.Close() }

// Run publishes every event, retrying failed writes until ctx ends.
func (p *Producer) Run(ctx context.Context, o ProduceOptions) error {
	if o.Writers <= 0 {
		o.Writers = 8
	}
	chunks := make(chan []int, o.Writers)
	var wg sync.WaitGroup
	errs := make(chan error, o.Writers)
	for range o.Writers {
		wg.Go(func() {
			for c := range chunks {
				if err := p.write(ctx, c); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	if o.Rate > 0 {
		p.pace(ctx, o, chunks)
	} else {
		p.flatOut(ctx, o, chunks)
	}
	close(chunks)
	wg.Wait()
	close(errs)
	return errors.Join(ctx.Err(), <-errs)
}

// flatOut hands out chunks of consecutive events as fast as they are
// written.
func (p *Producer) flatOut(ctx context.Context, o ProduceOptions, chunks chan<- []int) {
	size := o.Chunk
	if size <= 0 {
		size = 256
	}
	total := p.mixed.Total()
	for from := 0; from < total && ctx.Err() == nil; from += size {
		c := make([]int, 0, size)
		for seq := from; seq < min(from+size, total); seq++ {
			c = append(c, seq)
		}
		select {
		case chunks <- c:
		case <-ctx.Done():
		}
	}
}

// pace hands out, every millisecond, the events due by then, each with
// its due time as its send time.
func (p *Producer) pace(ctx context.Context, o ProduceOptions, chunks chan<- []int) {
	start := time.Now()
	total := p.mixed.Total()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for seq := 0; seq < total; {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			due := min(int(now.Sub(start).Seconds()*o.Rate)+1, total)
			var c []int
			for ; seq < due; seq++ {
				at := start.Add(time.Duration(float64(seq) / o.Rate * float64(time.Second)))
				p.sent[seq].CompareAndSwap(0, at.UnixNano())
				c = append(c, seq)
			}
			if len(c) == 0 {
				continue
			}
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
		}
	}
}

// write publishes one chunk, again and again until it succeeds or ctx ends.
func (p *Producer) write(ctx context.Context, seqs []int) error {
	msgs := make([]kafka.Message, len(seqs))
	now := time.Now().UnixNano()
	for i, seq := range seqs {
		if p.mixed.IsPoison(seq) {
			msgs[i] = p.events.PoisonMessage(seq, p.mixed.PoisonKind(seq))
		} else {
			msgs[i] = p.events.Message(seq, nil)
		}
		p.sent[seq].CompareAndSwap(0, now)
	}
	for {
		err := p.w.WriteMessages(ctx, msgs...)
		if err == nil {
			p.done.Add(int64(len(msgs)))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.retry.Add(1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
