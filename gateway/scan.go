package gateway

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// scanTopic calls fn with every record of topic that exists when the scan
// starts, partition by partition in offset order. Records written during
// the scan are not visited, so replaying into the topic cannot loop.
func (g *Gateway) scanTopic(ctx context.Context, topic string, fn func(*kafka.Message) error) error {
	bounds, err := g.offsetBounds(ctx, topic)
	if err != nil {
		return err
	}
	for p, b := range bounds {
		if b[0] >= b[1] {
			continue
		}
		if err := g.scanPartition(ctx, topic, p, b[0], b[1], fn); err != nil {
			return err
		}
	}
	return nil
}

// offsetBounds returns [first, end) offsets of every partition of topic.
func (g *Gateway) offsetBounds(ctx context.Context, topic string) (map[int][2]int64, error) {
	c := g.client()
	meta, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", topic, err)
	}
	if len(meta.Topics) != 1 || meta.Topics[0].Error != nil {
		return nil, fmt.Errorf("metadata of %s: topic not found", topic)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range meta.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("offsets of %s: %w", topic, err)
	}
	out := make(map[int][2]int64)
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("offsets of %s/%d: %w", topic, po.Partition, po.Error)
		}
		out[po.Partition] = [2]int64{po.FirstOffset, po.LastOffset}
	}
	return out, nil
}

func (g *Gateway) scanPartition(ctx context.Context, topic string, partition int, first, end int64,
	fn func(*kafka.Message) error) error {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: g.opts.Brokers, Topic: topic, Partition: partition,
		Dialer: g.dialer, MaxWait: g.opts.MaxWait, MaxBytes: g.opts.MaxBytes})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return fmt.Errorf("scan %s/%d: %w", topic, partition, err)
	}
	idle := 4*g.opts.MaxWait + 2*time.Second
	for {
		fctx, cancel := context.WithTimeout(ctx, idle)
		m, err := r.FetchMessage(fctx)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
			return nil // the offsets left are not records (transaction markers, compacted away)
		case err != nil:
			return fmt.Errorf("scan %s/%d: %w", topic, partition, err)
		}
		if m.Offset >= end {
			return nil
		}
		if err := fn(&m); err != nil {
			return err
		}
		if m.Offset >= end-1 {
			return nil
		}
	}
}
