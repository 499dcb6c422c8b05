package loadtest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Producer publishes the events of a run and remembers when each was
// handed to Kafka. It stands in for the billing platform: a franz-go
// client that sends a record as soon as no produce request is in flight
// and gathers the records of every partition into the next request while
// one is, as a platform's producer with no linger does. It retries failed
// requests until the run's context ends.
type Producer struct {
	events *Events
	mixed  Mixed
	cl     *kgo.Client
	sent   []atomic.Int64 // unix nanoseconds per sequence number; 0: not yet
	acked  []atomic.Int64 // when the broker acknowledged each; 0: not yet
	done   atomic.Int64   // events acknowledged by the broker
	retry  atomic.Int64   // produce requests that failed and were sent again
	failed atomic.Pointer[error]
}

// ProduceOptions shape a run's publishing.
type ProduceOptions struct {
	// Rate is events per second; 0 produces flat out.
	Rate float64
}

// NewProducer returns a producer of the events of mixed to broker; opts
// add to or override its client options.
func NewProducer(broker string, events *Events, mixed Mixed, opts ...kgo.Opt) (*Producer, error) {
	p := &Producer{events: events, mixed: mixed, sent: make([]atomic.Int64, mixed.Total()),
		acked: make([]atomic.Int64, mixed.Total())}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(broker),
		kgo.RequiredAcks(kgo.AllISRAcks()), kgo.DisableIdempotentWrite(),
		kgo.ProducerLinger(0), kgo.ProducerBatchCompression(kgo.NoCompression()),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)), kgo.MaxBufferedRecords(16384),
		kgo.RetryBackoffFn(func(int) time.Duration { return 200 * time.Millisecond }),
		kgo.WithHooks(retryCounter{&p.retry})}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("loadtest: producer: %w", err)
	}
	p.cl = cl
	return p, nil
}

// retryCounter counts the produce requests that failed; the client sends
// their records again, so a failed request may publish some twice.
type retryCounter struct{ n *atomic.Int64 }

// OnBrokerE2E implements kgo.HookBrokerE2E.
func (r retryCounter) OnBrokerE2E(_ kgo.BrokerMetadata, key int16, e2e kgo.BrokerE2E) {
	const produceKey = 0
	if key == produceKey && e2e.Err() != nil {
		r.n.Add(1)
	}
}

// SentAt returns when event seq was handed to Kafka (unix nanoseconds;
// 0 if not yet): when paced, the time it was due.
func (p *Producer) SentAt(seq int) int64 { return p.sent[seq].Load() }

// AckedAt returns when the broker acknowledged event seq (unix
// nanoseconds; 0 if not yet). A retried event keeps its first
// acknowledgement.
func (p *Producer) AckedAt(seq int) int64 { return p.acked[seq].Load() }

// Acknowledged returns how many events the broker acknowledged.
func (p *Producer) Acknowledged() int64 { return p.done.Load() }

// Retries returns how many produce requests failed and were sent again;
// a retried request may publish some events twice.
func (p *Producer) Retries() int64 { return p.retry.Load() }

// Close closes the client; records not yet acknowledged are abandoned.
func (p *Producer) Close() error {
	p.cl.Close()
	return nil
}

// Run publishes every event and waits until the broker acknowledged them
// all or ctx ends.
func (p *Producer) Run(ctx context.Context, o ProduceOptions) error {
	if o.Rate > 0 {
		p.pace(ctx, o.Rate)
	} else {
		p.flatOut(ctx)
	}
	err := p.cl.Flush(ctx)
	if f := p.failed.Load(); f != nil {
		err = errors.Join(err, *f)
	}
	return errors.Join(ctx.Err(), err)
}

// flatOut hands every event to the client as fast as it buffers them.
func (p *Producer) flatOut(ctx context.Context) {
	for seq := range p.mixed.Total() {
		if ctx.Err() != nil {
			return
		}
		p.sent[seq].CompareAndSwap(0, time.Now().UnixNano())
		p.produce(ctx, seq)
	}
}

// pace hands to the client, every millisecond, the events due by then,
// each with its due time as its send time.
func (p *Producer) pace(ctx context.Context, rate float64) {
	start := time.Now()
	total := p.mixed.Total()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for seq := 0; seq < total; {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			due := min(int(now.Sub(start).Seconds()*rate)+1, total)
			for ; seq < due; seq++ {
				at := start.Add(time.Duration(float64(seq) / rate * float64(time.Second)))
				p.sent[seq].CompareAndSwap(0, at.UnixNano())
				p.produce(ctx, seq)
			}
		}
	}
}

// produce hands event seq to the client; it blocks while the client's
// buffer is full.
func (p *Producer) produce(ctx context.Context, seq int) {
	var m kafka.Message
	if p.mixed.IsPoison(seq) {
		m = p.events.PoisonMessage(seq, p.mixed.PoisonKind(seq))
	} else {
		m = p.events.Message(seq, nil)
	}
	r := &kgo.Record{Topic: m.Topic, Key: m.Key, Value: m.Value, Headers: make([]kgo.RecordHeader, len(m.Headers))}
	for i, h := range m.Headers {
		r.Headers[i] = kgo.RecordHeader{Key: h.Key, Value: h.Value}
	}
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) { p.acknowledged(seq, err) })
}

// acknowledged counts an acknowledged record, or remembers the first
// failure other than the run's end.
func (p *Producer) acknowledged(seq int, err error) {
	if err == nil {
		p.acked[seq].CompareAndSwap(0, time.Now().UnixNano())
		p.done.Add(1)
		return
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		p.failed.CompareAndSwap(nil, &err)
	}
}
