package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/retryrecord"
)

// FollowOptions configures Follow. Conn and both topics are required.
type FollowOptions struct {
	Conn            *kafkaconn.Conn
	AttemptTopic    string
	DeadLetterTopic string
	// BatchSize is the most records applied in one transaction; default
	// 5000.
	BatchSize int
	// Linger is how long a partial batch waits; default 100ms.
	Linger time.Duration
	// Rescan is how often new partitions are looked for; default 30s.
	Rescan time.Duration
	Logger *slog.Logger
}

// item is one record read, with its topic.
type item struct {
	topic string
	msg   kafka.Message
}

// Follow reads both topics from where the view stopped (the first record
// for a new view) into s until ctx ends. It returns nil when ctx ends and
// an error when the view cannot be written.
func Follow(ctx context.Context, s *Store, o FollowOptions) error {
	if o.Conn == nil || o.AttemptTopic == "" || o.DeadLetterTopic == "" {
		return errors.New("console: follow needs a Kafka connection and both topics")
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
	if o.Linger <= 0 {
		o.Linger = 100 * time.Millisecond
	}
	if o.Rescan <= 0 {
		o.Rescan = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	items := make(chan item, o.BatchSize)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { discover(ctx, s, &o, items, &wg) })
	err := ingest(ctx, s, &o, items)
	cancel()
	return err
}

// discover starts a reader for every partition of both topics, now and
// every o.Rescan, until ctx ends.
func discover(ctx context.Context, s *Store, o *FollowOptions, items chan<- item, wg *sync.WaitGroup) {
	client := o.Conn.Client(10 * time.Second)
	started := map[string]map[int]bool{o.AttemptTopic: {}, o.DeadLetterTopic: {}}
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = o.Rescan
		for topic, running := range started {
			parts, err := partitions(ctx, client, topic)
			if err != nil {
				o.Logger.Debug("console: topic not readable yet", "topic", topic, "err", err)
				wait = min(wait, 2*time.Second)
				continue
			}
			offsets, err := s.Offsets(ctx, topic)
			if err != nil {
				o.Logger.Warn("console: offsets", "err", err)
				continue
			}
			for _, p := range parts {
				if !running[p] {
					running[p] = true
					next, ok := offsets[p]
					if !ok {
						next = kafka.FirstOffset
					}
					wg.Go(func() { readPartition(ctx, o, topic, p, next, items) })
				}
			}
		}
	}
}

// partitions lists topic's partitions.
func partitions(ctx context.Context, c *kafka.Client, topic string) ([]int, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", topic, err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		if len(md.Topics) == 1 {
			return nil, md.Topics[0].Error
		}
		return nil, fmt.Errorf("topic %s not found", topic)
	}
	var out []int
	for _, p := range md.Topics[0].Partitions {
		out = append(out, p.ID)
	}
	return out, nil
}

// readPartition reads one partition from next on into items. The view
// stores each batch's offsets in the batch's transaction, so a record is
// applied once however the console stops.
func readPartition(ctx context.Context, o *FollowOptions, topic string, p int, next int64, items chan<- item) {
	r := kafka.NewReader(o.Conn.ReaderConfig(kafka.ReaderConfig{Topic: topic, Partition: p,
		MaxWait: 250 * time.Millisecond, MaxBytes: 8 << 20, QueueCapacity: 1000}))
	defer r.Close()
	if err := r.SetOffset(next); err != nil {
		o.Logger.Warn("console: set offset", "topic", topic, "partition", p, "err", err)
		return
	}
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// The reader keeps its position: try again after a pause
			// rather than leave the partition unread.
			o.Logger.Warn("console: read", "topic", topic, "partition", p, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		select {
		case items <- item{topic, m}:
		case <-ctx.Done():
			return
		}
	}
}

// ingest applies what the readers send in batches until ctx ends.
func ingest(ctx context.Context, s *Store, o *FollowOptions, items <-chan item) error {
	var b Batch
	offsets := map[Offset]int64{}
	flush := func() error {
		b.Offsets = b.Offsets[:0]
		for k, next := range offsets {
			b.Offsets = append(b.Offsets, Offset{Topic: k.Topic, Partition: k.Partition, Next: next})
		}
		if len(b.Offsets) == 0 {
			return nil
		}
		if err := s.Apply(context.WithoutCancel(ctx), &b); err != nil {
			return err
		}
		b.Attempts, b.Dead = b.Attempts[:0], b.Dead[:0]
		clear(offsets)
		return nil
	}
	timer := time.NewTimer(o.Linger)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return flush()
		case <-timer.C:
			if err := flush(); err != nil {
				return err
			}
			timer.Reset(o.Linger)
		case it := <-items:
			add(&b, o, &it)
			offsets[Offset{Topic: it.topic, Partition: it.msg.Partition}] = it.msg.Offset + 1
			if b.Len() >= o.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
}

// add puts one record into b; an attempt record that does not parse is
// skipped (its offset still advances).
func add(b *Batch, o *FollowOptions, it *item) {
	if it.topic == o.DeadLetterTopic {
		if d := deadLetterOf(&it.msg); d.DeadKind != retryrecord.DeadReplayed {
			b.Dead = append(b.Dead, d)
		}
		return
	}
	r, err := attemptlog.Parse(it.msg.Value)
	if err != nil {
		o.Logger.Debug("console: attempt record skipped", "partition", it.msg.Partition, "offset", it.msg.Offset, "err", err)
		return
	}
	b.Attempts = append(b.Attempts, r)
}
