package gateway

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
)

// lane is one consumer group member: the source lane reads the event
// topics, the retry lane the retry tiers. Each lane has its own group, its
// own in-flight bound and its own partitions, so a backlog of retries never
// delays first attempts and the reverse.
//
// kafka-go's group Reader hides partition assignment, so a lane drives
// kafka.ConsumerGroup itself: per generation it opens a partition reader
// for every assigned partition, tracks a Watermark per partition, commits
// the watermarks, and on revocation stops fetching, drains, commits and
// drops the partitions; what was not settled is read again by the next
// owner.
type lane struct {
	name        string
	g           *Gateway
	group       string
	topics      []string
	startOffset int64
	queue       int // partition reader queue capacity
	slots       chan struct{}
	inflight    atomic.Int64
	worker      func(*laneRun, *partition)
	cg          *kafka.ConsumerGroup
}

// partition is one assigned partition of a generation.
type partition struct {
	topic     string
	id        int
	reader    *kafka.Reader
	wm        *Watermark
	committed int64
}

// laneRun is the state of a lane during one generation.
type laneRun struct {
	lane *lane
	stop context.Context // fetching stops when it ends
	work work
	wg   sync.WaitGroup // fetch loops and processing goroutines
}

// newLane creates a lane: a consumer group member for topics whose
// partitions worker reads, with at most maxInFlight records in process.
func (g *Gateway) newLane(name, group string, topics []string, start int64, maxInFlight, queue int,
	worker func(*laneRun, *partition)) (*lane, error) {
	o := &g.opts
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                group,
		Brokers:           o.Brokers,
		Dialer:            g.dialer,
		Topics:            topics,
		HeartbeatInterval: o.HeartbeatInterval,
		SessionTimeout:    o.SessionTimeout,
		RebalanceTimeout:  o.RebalanceTimeout,
		JoinGroupBackoff:  time.Second,
		StartOffset:       start,
		Timeout:           o.ProduceTimeout,
		ErrorLogger:       kafkaLogger(g.log, "lane", name),
	})
	if err != nil {
		return nil, fmt.Errorf("%s lane: %w", name, err)
	}
	return &lane{name: name, g: g, group: group, topics: topics, startOffset: start, queue: queue,
		slots: make(chan struct{}, maxInFlight), worker: worker, cg: cg}, nil
}

// run takes part in the group until ctx ends. Cancelling ctx closes the
// group at once, so the member leaves after its last generation drains
// instead of joining a new one.
func (l *lane) run(ctx context.Context) {
	stopClose := context.AfterFunc(ctx, func() { l.cg.Close() })
	defer stopClose()
	for {
		gen, err := l.cg.Next(ctx)
		switch {
		case ctx.Err() != nil, errors.Is(err, kafka.ErrGroupClosed):
			return
		case err != nil:
			l.g.log.Warn("consumer group error", "lane", l.name, "err", err)
			continue
		}
		done := make(chan struct{})
		gen.Start(func(genCtx context.Context) {
			defer close(done)
			l.generation(ctx, genCtx, gen)
		})
		<-done
	}
}

// generation processes the partitions of one generation until the
// generation or ctx ends, then drains and commits.
func (l *lane) generation(ctx, genCtx context.Context, gen *kafka.Generation) {
	stop, cancelStop := context.WithCancel(ctx)
	defer cancelStop()
	defer context.AfterFunc(genCtx, cancelStop)()
	deliverCtx, cancelDeliver := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelDeliver()
	durableCtx, cancelDurable := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelDurable()

	run := &laneRun{lane: l, stop: stop, work: work{deliver: deliverCtx, durable: durableCtx}}
	parts := l.open(gen)
	l.g.log.Info("partitions assigned", "lane", l.name, "generation", gen.ID, "partitions", len(parts))
	l.g.metrics.Assigned(l.name, len(parts))
	l.g.metrics.Rebalanced(l.name)
	l.g.joined.set(l.name, true)
	for _, p := range parts {
		run.wg.Go(func() { l.worker(run, p) })
	}
	drained := make(chan struct{})
	committer := make(chan struct{})
	go func() {
		defer close(committer)
		l.commitLoop(gen, parts, stop, drained)
	}()
	<-stop.Done()
	l.drain(run, cancelDeliver, cancelDurable)
	close(drained)
	<-committer
	l.commit(gen, parts, false)
	l.closeReaders(parts)
	l.g.joined.set(l.name, false)
	l.g.metrics.Assigned(l.name, 0)
	l.g.log.Info("partitions released", "lane", l.name, "generation", gen.ID)
}

// open creates a reader and a watermark for every assigned partition.
func (l *lane) open(gen *kafka.Generation) []*partition {
	o := &l.g.opts
	var parts []*partition
	for topic, assigned := range gen.Assignments {
		for _, a := range assigned {
			r := kafka.NewReader(kafka.ReaderConfig{
				Brokers: o.Brokers, Topic: topic, Partition: a.ID, Dialer: l.g.dialer,
				MinBytes: o.MinBytes, MaxBytes: o.MaxBytes, MaxWait: o.MaxWait, QueueCapacity: l.queue,
				ErrorLogger: kafkaLogger(l.g.log, "topic", topic),
			})
			if err := r.SetOffset(a.Offset); err != nil {
				l.g.log.Error("partition not opened", "topic", topic, "partition", a.ID, "err", err)
				continue
			}
			parts = append(parts, &partition{topic: topic, id: a.ID, reader: r, wm: NewWatermark(a.Offset), committed: a.Offset})
		}
	}
	return parts
}

// drain waits for in-flight work after fetching stopped: half the
// shutdown timeout for deliveries to finish, then cancels them (they hand
// over to the retry tiers) and waits until three quarters of it for those
// writes, then cancels writes.
func (l *lane) drain(run *laneRun, cancelDeliver, cancelDurable context.CancelFunc) {
	start := time.Now()
	done := make(chan struct{})
	go func() {
		run.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return
	case <-time.After(l.g.opts.drainEnd()):
	}
	l.g.log.Warn("in-flight deliveries cancelled; handing them to the retry tiers", "lane", l.name, "in_flight", l.inflight.Load())
	cancelDeliver()
	select {
	case <-done:
		return
	case <-time.After(l.g.opts.handoffEnd() - time.Since(start)):
	}
	l.g.log.Warn("hand-off writes cancelled; unsettled records will be read again", "lane", l.name)
	cancelDurable()
	<-done
}

func (l *lane) closeReaders(parts []*partition) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Go(func() { _ = p.reader.Close() })
	}
	wg.Wait()
}

// acquire takes an in-flight slot, waiting while the lane is full; false
// when fetching stops first.
func (r *laneRun) acquire() bool {
	select {
	case r.lane.slots <- struct{}{}:
		r.lane.g.metrics.InFlight(r.lane.name, int(r.lane.inflight.Add(1)))
		return true
	case <-r.stop.Done():
		return false
	}
}

// release gives an in-flight slot back.
func (r *laneRun) release() {
	<-r.lane.slots
	r.lane.g.metrics.InFlight(r.lane.name, int(r.lane.inflight.Add(-1)))
}

// finish releases the slot of the record at offset and, when it settled,
// lets the watermark pass it.
func (r *laneRun) finish(p *partition, offset int64, settled bool) {
	if settled {
		p.wm.Done(offset)
	}
	r.release()
}

// sleep waits d or until fetching stops; false when it stopped.
func (r *laneRun) sleep(d time.Duration) bool {
	select {
	case <-r.stop.Done():
		return false
	case <-r.lane.g.clock.After(d):
		return true
	}
}
