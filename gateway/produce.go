package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
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
	// failed is told the topic of every failed try (nil: nobody).
	failed func(topic string)
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
// succeed or ctx ends. A permanent failure (see isPermanent) is not retried:
// it returns a *permanentError at once.
func (p *producer) write(ctx context.Context, msgs ...kafka.Message) error {
	wait := produceBackoffMin
	for {
		wctx, cancel := context.WithTimeout(ctx, p.timeout)
		err := p.w.WriteMessages(wctx, msgs...)
		cancel()
		if err == nil {
			return nil
		}
		if p.failed != nil {
			p.failed(msgs[0].Topic)
		}
		if isPermanent(err) {
			return &permanentError{fmt.Errorf("write to %s: %w", msgs[0].Topic, err)}
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

// maxMessageBytes is the topic setting that bounds a record's size.
const maxMessageBytes = "max.message.bytes"

// sizeWriter lets the producer write records as large as the largest
// topic it writes (the retry tiers and the dead-letter topic) accepts:
// kafka-go's writer otherwise refuses anything over 1 MiB before sending.
// A record larger than its own topic accepts is still refused, by the
// broker, and dead-lettered as too_large. Without the topics' settings the
// writer keeps its default.
func (g *Gateway) sizeWriter(ctx context.Context) {
	limit, err := g.topicLimit(ctx, append(g.tiers.Topics(), g.opts.Topics.DeadLetter))
	if err != nil {
		g.log.Warn("topic size limits unknown; records over 1 MiB will be dead-lettered as too_large", "err", err)
		return
	}
	if limit > 0 {
		g.prod.w.BatchBytes = limit
	}
}

// topicLimit returns the largest max.message.bytes of topics.
func (g *Gateway) topicLimit(ctx context.Context, topics []string) (int64, error) {
	req := &kafka.DescribeConfigsRequest{}
	for _, t := range topics {
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: t, ConfigNames: []string{maxMessageBytes}})
	}
	resp, err := g.client().DescribeConfigs(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("describe topic configs: %w", err)
	}
	var limit int64
	for _, r := range resp.Resources {
		if r.Error != nil {
			return 0, fmt.Errorf("describe %s: %w", r.ResourceName, r.Error)
		}
		for _, e := range r.ConfigEntries {
			if e.ConfigName != maxMessageBytes {
				continue
			}
			n, err := strconv.ParseInt(e.ConfigValue, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s of %s: %q is not a number", maxMessageBytes, r.ResourceName, e.ConfigValue)
			}
			limit = max(limit, n)
		}
	}
	return limit, nil
}
