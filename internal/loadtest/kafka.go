package loadtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/kafkaconn"
)

// AllTopics returns every topic of a run with the given retry tiers.
func AllTopics(tierDelays []time.Duration) ([]string, error) {
	tiers, err := gateway.NewTiers(Topics().Retry, tierDelays)
	if err != nil {
		return nil, err
	}
	return append(append([]string{Topics().LCN, Topics().IPN}, tiers.Topics()...), Topics().DeadLetter), nil
}

// client returns a Kafka client with a fresh transport: pooled
// connections go stale when the broker restarts.
func client(k *kafkaconn.Conn) *kafka.Client { return k.Client(10 * time.Second) }

// EndOffsets returns the next offset to be written of every partition of
// topic.
func EndOffsets(ctx context.Context, k *kafkaconn.Conn, topic string) (map[int]int64, error) {
	c := client(k)
	meta, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", topic, err)
	}
	if len(meta.Topics) != 1 || meta.Topics[0].Error != nil {
		return nil, fmt.Errorf("metadata of %s: topic missing", topic)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range meta.Topics[0].Partitions {
		reqs = append(reqs, kafka.LastOffsetOf(p.ID))
	}
	resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("offsets of %s: %w", topic, err)
	}
	out := map[int]int64{}
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("offsets of %s/%d: %w", topic, po.Partition, po.Error)
		}
		out[po.Partition] = po.LastOffset
	}
	return out, nil
}

// Committed returns group's committed offset of every partition of topic
// (-1 where none is committed).
func Committed(ctx context.Context, k *kafkaconn.Conn, group, topic string, partitions []int) (map[int]int64, error) {
	resp, err := client(k).OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group,
		Topics: map[string][]int{topic: partitions}})
	if err != nil {
		return nil, fmt.Errorf("committed offsets of %s: %w", topic, err)
	}
	if resp.Error != nil {
		return nil, fmt.Errorf("committed offsets of %s: %w", topic, resp.Error)
	}
	out := map[int]int64{}
	for _, p := range resp.Topics[topic] {
		out[p.Partition] = p.CommittedOffset
		if p.Error != nil {
			out[p.Partition] = -1
		}
	}
	return out, nil
}

// AllCommitted reports whether group has committed every record of the
// source topics.
func AllCommitted(ctx context.Context, k *kafkaconn.Conn, group string) (bool, error) {
	for _, topic := range []string{Topics().LCN, Topics().IPN} {
		ends, err := EndOffsets(ctx, k, topic)
		if err != nil {
			return false, err
		}
		parts := make([]int, 0, len(ends))
		for p := range ends {
			parts = append(parts, p)
		}
		got, err := Committed(ctx, k, group, topic, parts)
		if err != nil {
			return false, err
		}
		for p, end := range ends {
			if end > 0 && got[p] < end {
				return false, nil
			}
		}
	}
	return true, nil
}

// errTimeout reports a wait that ran out of time.
var errTimeout = errors.New("timed out")

// RetryRecords returns how many records the run's retry tiers hold:
// scheduled retries, hand-offs of saturated endpoints and moves between
// tiers, each one a produce and a fetch for the broker and the gateway.
func (h *Harness) RetryRecords(ctx context.Context) (int64, error) {
	tiers, err := gateway.NewTiers(Topics().Retry, h.tierDelays())
	if err != nil {
		return 0, err
	}
	var n int64
	for _, topic := range tiers.Topics() {
		ends, err := EndOffsets(ctx, h.Conn(), topic)
		if err != nil {
			return 0, err
		}
		for _, end := range ends {
			n += end
		}
	}
	return n, nil
}
