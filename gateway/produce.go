package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// producer writes retry and dead-letter records. Every write waits for all
// in-sync replicas: once it succeeds, the source offset may be committed
// and the record is the only copy of the pending work.
type producer struct {
	w       *kafka.Writer
	timeout time.Duration
	clock   Clock
	log     *slog.Logger
}

func newProducer(o *Options) *producer {
	return &producer{
		w: &kafka.Writer{
			Addr:         kafka.TCP(o.Brokers...),
			Balancer:     &kafka.Hash{},
			RequiredAcks: kafka.RequireAll,
			BatchTimeout: o.BatchTimeout,
			Transport:    o.Transport,
		},
		timeout: o.ProduceTimeout,
		clock:   o.Clock,
		log:     o.Logger,
	}
}

// Backoff between failed writes of the same records.
const (
	produceBackoffMin = 100 * time.Millisecond
	produceBackoffMax = 5 * time.Second
)

// write writes msgs, retrying failed writes with backoff until they
// succeed or ctx ends.
func (p *producer) write(ctx context.Context, msgs ...kafka.Message) error {
	wait := produceBackoffMin
	for {
		wctx, cancel := context.WithTimeout(ctx, p.timeout)
		err := p.w.WriteMessages(wctx, msgs...)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("write to %s: %w", msgs[0].Topic, err)
		}
		p.log.Warn("write failed; retrying", "topic", msgs[0].Topic, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return fmt.Errorf("write to %s: %w", msgs[0].Topic, err)
		case <-p.clock.After(wait):
		}
		wait = min(2*wait, produceBackoffMax)
	}
}

func (p *producer) close() error { return p.w.Close() }
