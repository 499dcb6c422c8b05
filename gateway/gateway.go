package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/pipeline"
)

// Gateway reads subscription and order events from Kafka and delivers the
// signed notifications they become to merchant endpoints, at least once.
type Gateway struct {
	opts    Options
	tiers   Tiers
	pipe    *pipeline.Pipeline
	prod    *producer
	clock   Clock
	log     *slog.Logger
	obs     Observer
	metrics *Metrics
	dialer  *kafka.Dialer
	joined  joined
}

// RetryGroupSuffix is appended to the group ID to name the retry lane's
// consumer group.
const RetryGroupSuffix = ".retry"

// Queue capacities of the partition readers: records fetched ahead of
// processing. Retry tiers keep few, as their heads may wait long.
const (
	sourceQueue = 100
	retryQueue  = 16
)

// New checks opts and returns a gateway; nothing connects before Run.
func New(opts Options) (*Gateway, error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	tiers, err := NewTiers(o.Topics.Retry, o.TierDelays)
	if err != nil {
		return nil, fmt.Errorf("gateway options: %w", err)
	}
	pipe, err := pipeline.New(pipeline.Options{
		Merchants: o.Merchants,
		Sender:    o.Sender,
		Policy:    delivery.Policy{Schedule: o.DefaultRetry, MaxRetryAfter: o.MaxRetryAfter, BusyBackoff: tiers[0].Delay},
		Recorder:  o.Recorder,
		Metrics:   o.PipelineMetrics,
		Clock:     o.Clock,
		Logger:    o.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("gateway options: %w", err)
	}
	g := &Gateway{
		opts:    o,
		tiers:   tiers,
		pipe:    pipe,
		prod:    newProducer(&o),
		clock:   o.Clock,
		log:     o.Logger,
		obs:     o.Observer,
		metrics: o.Metrics,
		dialer:  o.Dialer,
	}
	g.prod.failed = g.writeFailed
	return g, nil
}

// writeFailed counts a failed write to topic by its purpose.
func (g *Gateway) writeFailed(topic string) {
	purpose := PurposeOther
	switch {
	case topic == g.opts.Topics.DeadLetter:
		purpose = PurposeDeadLetter
	case slices.Contains(g.tiers.Topics(), topic):
		purpose = PurposeRetry
	}
	g.metrics.WriteFailed(purpose)
}

// Tiers returns the retry tiers.
func (g *Gateway) Tiers() Tiers { return g.tiers }

// Topics returns every topic the gateway reads or writes: the two source
// topics, the retry tiers and the dead-letter topic.
func (g *Gateway) Topics() []string {
	t := g.opts.Topics
	return append(append([]string{t.LCN, t.IPN}, g.tiers.Topics()...), t.DeadLetter)
}

// Run consumes until ctx ends, then stops within ShutdownTimeout: it stops
// fetching, lets in-flight work finish or hands it to the retry tiers,
// commits, and closes its clients. A stop is a clean stop, nil, also
// when it comes during start-up or a rebalance. Run fails at once when a
// topic is missing.
func (g *Gateway) Run(ctx context.Context) error {
	if err := g.checkTopics(ctx); err != nil {
		if ctx.Err() != nil {
			// Stopped while starting: nothing was read, nothing to drain.
			return nil
		}
		return err
	}
	g.sizeWriter(ctx)
	var stack cleanups
	stack.push("retry and dead-letter producer", g.prod.close)
	src, err := g.newLane(LaneSource, g.opts.GroupID, []string{g.opts.Topics.LCN, g.opts.Topics.IPN},
		g.opts.StartOffset, g.opts.MaxInFlight, sourceQueue, g.sourceWorker)
	if err != nil {
		return stack.run(g.log, g.opts.closeTimeout(), err)
	}
	stack.push("source consumer group", src.cg.Close)
	retry, err := g.newLane(LaneRetry, g.opts.GroupID+RetryGroupSuffix, g.tiers.Topics(),
		kafka.FirstOffset, g.opts.RetryMaxInFlight, retryQueue, g.retryWorker)
	if err != nil {
		return stack.run(g.log, g.opts.closeTimeout(), err)
	}
	stack.push("retry consumer group", retry.cg.Close)
	g.log.Info("gateway started", "group", g.opts.GroupID, "topics", g.Topics())
	lanes := make(chan struct{})
	go func() {
		defer close(lanes)
		var wg sync.WaitGroup
		wg.Go(func() { src.run(ctx) })
		wg.Go(func() { retry.run(ctx) })
		wg.Wait()
	}()
	<-ctx.Done()
	g.stop(lanes, &stack)
	return nil
}

// stop bounds a requested stop by ShutdownTimeout from now: the lanes
// drain, hand off and commit on their own schedule (see lane.drain); what
// is left of the time closes the clients. Work still unsettled at the
// deadline is abandoned: its offsets are not committed, so it is read
// again. Close failures are logged; they lose nothing.
func (g *Gateway) stop(lanes <-chan struct{}, stack *cleanups) {
	deadline := time.Now().Add(g.opts.ShutdownTimeout)
	select {
	case <-lanes:
	case <-time.After(time.Until(deadline)):
		g.log.Warn("stop deadline reached with work unsettled; it will be read again",
			"shutdown_timeout", g.opts.ShutdownTimeout)
	}
	if err := stack.run(g.log, max(time.Until(deadline), minCloseTime), nil); err != nil {
		g.log.Warn("gateway stopped; some clients did not close cleanly", "err", err)
		return
	}
	g.log.Info("gateway stopped")
}

// minCloseTime is the least time the clients get to close at a stop.
const minCloseTime = 100 * time.Millisecond

// kafkaLogger bridges kafka-go's logs to debug records.
func kafkaLogger(l *slog.Logger, args ...any) kafka.Logger {
	l = l.With(args...)
	return kafka.LoggerFunc(func(format string, a ...any) {
		l.Debug("kafka: " + fmt.Sprintf(format, a...))
	})
}
