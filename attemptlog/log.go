package attemptlog

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
)

// Defaults of Options.
const (
	DefaultBuffer    = 65536
	DefaultBatchSize = 1000
	DefaultLinger    = 50 * time.Millisecond
	DefaultTimeout   = 10 * time.Second
)

// Writer writes a batch of records to Kafka. *kafka.Writer implements it.
type Writer interface {
	WriteMessages(ctx context.Context, msgs ...kafka.Message) error
}

// Options configures a Log. Writer is required; zero fields take defaults.
type Options struct {
	// Writer receives the batches; its topic (or each message's) must be
	// the attempt log topic. See NewKafkaWriter.
	Writer Writer
	// Buffer bounds the records waiting to be written; a record arriving
	// when it is full is dropped and counted. Default DefaultBuffer.
	Buffer int
	// BatchSize is the most records written in one call. Default
	// DefaultBatchSize.
	BatchSize int
	// Linger is how long a partial batch waits for more records. Default
	// DefaultLinger.
	Linger time.Duration
	// Timeout bounds each batch write. Default DefaultTimeout.
	Timeout time.Duration
	// Registerer receives the log's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives write failures. Default: discard.
	Logger *slog.Logger
}

// Log queues attempt records and writes them in batches. Record never
// blocks; Close flushes what is queued. Safe for concurrent use.
type Log struct {
	opts    Options
	queue   chan Record
	metrics *logMetrics
	done    chan struct{}
	closing sync.Once
	stop    chan struct{}
}

// New returns a Log and starts its writing goroutine; Close stops it.
func New(opts Options) (*Log, error) {
	if opts.Writer == nil {
		return nil, errors.New("attemptlog: no writer")
	}
	if opts.Buffer <= 0 {
		opts.Buffer = DefaultBuffer
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Linger <= 0 {
		opts.Linger = DefaultLinger
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := newLogMetrics(opts.Registerer, func() float64 { return 0 })
	if err != nil {
		return nil, err
	}
	l := &Log{opts: opts, queue: make(chan Record, opts.Buffer), metrics: m,
		done: make(chan struct{}), stop: make(chan struct{})}
	m.setQueued(func() float64 { return float64(len(l.queue)) })
	go l.run()
	return l, nil
}

// Record queues r for writing, or drops it (counted in
// lcngw_attemptlog_records_dropped_total) when the buffer is full or the
// log is closed. It never blocks.
func (l *Log) Record(r Record) {
	select {
	case <-l.stop:
		l.metrics.dropped.Inc()
		return
	default:
	}
	select {
	case l.queue <- r:
	default:
		l.metrics.dropped.Inc()
	}
}

// Close stops accepting records, writes those queued (within ctx) and
// returns once the writing goroutine has ended.
func (l *Log) Close(ctx context.Context) error {
	l.closing.Do(func() { close(l.stop) })
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// run collects batches until Close, then drains the queue.
func (l *Log) run() {
	defer close(l.done)
	batch := make([]kafka.Message, 0, l.opts.BatchSize)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case r := <-l.queue:
			if len(batch) == 0 {
				timer.Reset(l.opts.Linger)
			}
			if batch = append(batch, message(&r)); len(batch) == cap(batch) {
				timer.Stop()
				batch = l.flush(batch)
			}
		case <-timer.C:
			batch = l.flush(batch)
		case <-l.stop:
			timer.Stop()
			l.drain(batch)
			return
		}
	}
}

// drain writes everything still queued.
func (l *Log) drain(batch []kafka.Message) {
	for {
		select {
		case r := <-l.queue:
			if batch = append(batch, message(&r)); len(batch) == cap(batch) {
				batch = l.flush(batch)
			}
		default:
			l.flush(batch)
			return
		}
	}
}

// flush writes batch and returns it emptied. A failed write loses the
// batch (counted): the attempt log is best effort, delivery never waits.
func (l *Log) flush(batch []kafka.Message) []kafka.Message {
	if len(batch) == 0 {
		return batch
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
	err := l.opts.Writer.WriteMessages(ctx, batch...)
	cancel()
	if err != nil {
		l.metrics.failed.Add(float64(len(batch)))
		l.opts.Logger.Warn("attempt log: batch not written", "records", len(batch), "err", err)
	} else {
		l.metrics.written.Add(float64(len(batch)))
	}
	clear(batch)
	return batch[:0]
}

// message encodes r as a Kafka message keyed by merchant.
func message(r *Record) kafka.Message {
	return kafka.Message{Key: []byte(r.Merchant), Value: r.AppendJSON(make([]byte, 0, 384))}
}
