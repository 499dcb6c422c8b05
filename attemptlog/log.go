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
	DefaultBuffer    = 8192
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
	full    chan struct{} // a batch's worth is queued: write it before the linger ends
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
		done: make(chan struct{}), stop: make(chan struct{}), full: make(chan struct{}, 1)}
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
		if len(l.queue) >= l.opts.BatchSize {
			select {
			case l.full <- struct{}{}:
			default:
			}
		}
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

// batch is the records being collected, encoded into one reused buffer:
// no allocation per record. A message keeps pointing into the array it was
// encoded in when buf grows, so slices stay valid until the batch is
// written; WriteMessages returns once it was.
type batch struct {
	msgs []kafka.Message
	buf  []byte
}

// add encodes r into the batch, keyed by merchant.
func (b *batch) add(r *Record) {
	start := len(b.buf)
	b.buf = append(b.buf, r.Merchant...)
	keyEnd := len(b.buf)
	b.buf = r.AppendJSON(b.buf)
	end := len(b.buf)
	b.msgs = append(b.msgs, kafka.Message{Key: b.buf[start:keyEnd:keyEnd], Value: b.buf[keyEnd:end:end]})
}

// reset empties the batch for reuse.
func (b *batch) reset() {
	clear(b.msgs)
	b.msgs, b.buf = b.msgs[:0], b.buf[:0]
}

// run collects batches until Close, then drains the queue. Once a batch
// has started it lets records wait in the queue until the linger ends or
// a batch's worth is queued, then takes them all: the goroutine wakes
// once a batch, not once a record (a wake-up costs the recording
// goroutine a scheduler hand-off, several times the send).
func (l *Log) run() {
	defer close(l.done)
	b := &batch{msgs: make([]kafka.Message, 0, l.opts.BatchSize), buf: make([]byte, 0, 384*l.opts.BatchSize)}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case r := <-l.queue:
			if b.add(&r); len(b.msgs) < l.opts.BatchSize {
				timer.Reset(l.opts.Linger)
				select {
				case <-timer.C:
				case <-l.full:
					timer.Stop()
				case <-l.stop:
					timer.Stop()
				}
			}
			l.drain(b)
		case <-l.stop:
			l.drain(b)
			return
		}
	}
}

// drain writes everything still queued.
func (l *Log) drain(b *batch) {
	for {
		select {
		case r := <-l.queue:
			if b.add(&r); len(b.msgs) == l.opts.BatchSize {
				l.flush(b)
			}
		default:
			l.flush(b)
			return
		}
	}
}

// flush writes the batch and empties it. A failed write loses the batch
// (counted): the attempt log is best effort, delivery never waits.
func (l *Log) flush(b *batch) {
	if len(b.msgs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
	err := l.opts.Writer.WriteMessages(ctx, b.msgs...)
	cancel()
	if err != nil {
		l.metrics.failed.Add(float64(len(b.msgs)))
		l.opts.Logger.Warn("attempt log: batch not written", "records", len(b.msgs), "err", err)
	} else {
		l.metrics.written.Add(float64(len(b.msgs)))
	}
	b.reset()
}
