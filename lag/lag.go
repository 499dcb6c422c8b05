// Package lag measures consumer groups' lag from the broker's own offsets:
// for every partition of the topics a group consumes, the log-end offset
// minus the offset the group committed. It also measures how many records
// some topics retain (the dead-letter topic's size).
//
// The figures come from the broker, not from a consumer's read-ahead, so
// they are the same whichever instance asks and whatever the instance
// holds: records fetched but not yet committed still count as waiting.
package lag

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"
)

// Group is a consumer group and the topics it consumes.
type Group struct {
	// ID is the consumer group ID.
	ID string
	// Lane names the group in metrics ("source", "retry").
	Lane string
	// Topics are the topics the group consumes.
	Topics []string
}

// PartitionLag is a group's lag on one partition.
type PartitionLag struct {
	Lane      string
	Topic     string
	Partition int
	// Start and End are the partition's log-start and log-end offsets.
	Start, End int64
	// Committed is the group's committed offset, -1 when it has none.
	Committed int64
	// Lag is End minus the offset the group resumes from: its committed
	// offset, or the log start when it has none or retention passed it.
	Lag int64
}

// Snapshot is one measurement.
type Snapshot struct {
	// Lags has one entry per partition of every group's topics, ordered by
	// lane, topic and partition.
	Lags []PartitionLag
	// Sizes are the records each sized topic retains (log end minus log
	// start, summed over its partitions).
	Sizes map[string]int64
}

// Meter measures lag and sizes with one kafka-go client. It is safe for
// concurrent use.
type Meter struct {
	client *kafka.Client
	groups []Group
	sized  []string
}

// NewMeter returns a Meter for groups and for the sizes of the topics
// sized. client must have its Addr set; its Transport carries TLS and SASL
// when the cluster needs them.
func NewMeter(client *kafka.Client, groups []Group, sized ...string) (*Meter, error) {
	if client == nil || client.Addr == nil {
		return nil, errors.New("lag: a kafka client with an address is required")
	}
	for _, g := range groups {
		if g.ID == "" || len(g.Topics) == 0 {
			return nil, fmt.Errorf("lag: group %q needs an ID and topics", g.ID)
		}
	}
	return &Meter{client: client, groups: slices.Clone(groups), sized: slices.Clone(sized)}, nil
}

// Measure asks the broker for the partitions, their offsets and each
// group's committed offsets: three requests plus one per group.
func (m *Meter) Measure(ctx context.Context) (*Snapshot, error) {
	topics := m.topics()
	parts, err := m.partitions(ctx, topics)
	if err != nil {
		return nil, err
	}
	offsets, err := m.offsets(ctx, parts)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Sizes: make(map[string]int64, len(m.sized))}
	for _, t := range m.sized {
		for _, p := range parts[t] {
			o := offsets[topicPartition{t, p}]
			s.Sizes[t] += max(o.LastOffset-o.FirstOffset, 0)
		}
	}
	for _, g := range m.groups {
		lags, err := m.groupLag(ctx, g, parts, offsets)
		if err != nil {
			return nil, err
		}
		s.Lags = append(s.Lags, lags...)
	}
	return s, nil
}

type topicPartition struct {
	topic     string
	partition int
}

// topics lists every topic measured, once.
func (m *Meter) topics() []string {
	var ts []string
	for _, g := range m.groups {
		ts = append(ts, g.Topics...)
	}
	ts = append(ts, m.sized...)
	slices.Sort(ts)
	return slices.Compact(ts)
}

// partitions returns the partition numbers of each topic, sorted.
func (m *Meter) partitions(ctx context.Context, topics []string) (map[string][]int, error) {
	resp, err := m.client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, fmt.Errorf("lag: metadata: %w", err)
	}
	parts := make(map[string][]int, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Error != nil {
			return nil, fmt.Errorf("lag: metadata of %s: %w", t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			parts[t.Name] = append(parts[t.Name], p.ID)
		}
		slices.Sort(parts[t.Name])
	}
	return parts, nil
}

// offsets returns the log-start and log-end offsets of every partition.
func (m *Meter) offsets(ctx context.Context, parts map[string][]int) (map[topicPartition]kafka.PartitionOffsets, error) {
	req := &kafka.ListOffsetsRequest{Topics: make(map[string][]kafka.OffsetRequest, len(parts))}
	for t, ps := range parts {
		for _, p := range ps {
			req.Topics[t] = append(req.Topics[t], kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
		}
	}
	resp, err := m.client.ListOffsets(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("lag: list offsets: %w", err)
	}
	out := make(map[topicPartition]kafka.PartitionOffsets)
	for t, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("lag: offsets of %s/%d: %w", t, p.Partition, p.Error)
			}
			out[topicPartition{t, p.Partition}] = p
		}
	}
	return out, nil
}

// groupLag computes a group's lag on every partition of its topics.
func (m *Meter) groupLag(ctx context.Context, g Group, parts map[string][]int,
	offsets map[topicPartition]kafka.PartitionOffsets) ([]PartitionLag, error) {
	req := &kafka.OffsetFetchRequest{GroupID: g.ID, Topics: make(map[string][]int, len(g.Topics))}
	for _, t := range g.Topics {
		req.Topics[t] = parts[t]
	}
	resp, err := m.client.OffsetFetch(ctx, req)
	if err == nil && errors.Is(resp.Error, kafka.GroupIdNotFound) {
		resp.Topics = nil // the group has not been created yet: nothing committed
	} else if err == nil {
		err = resp.Error
	}
	if err != nil {
		return nil, fmt.Errorf("lag: committed offsets of group %s: %w", g.ID, err)
	}
	committed := make(map[topicPartition]int64)
	for t, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("lag: committed offset of group %s on %s/%d: %w", g.ID, t, p.Partition, p.Error)
			}
			committed[topicPartition{t, p.Partition}] = p.CommittedOffset
		}
	}
	topics := slices.Sorted(slices.Values(g.Topics))
	var lags []PartitionLag
	for _, t := range topics {
		for _, p := range parts[t] {
			tp := topicPartition{t, p}
			o := offsets[tp]
			c, ok := committed[tp]
			if !ok {
				c = -1
			}
			lags = append(lags, PartitionLag{
				Lane: g.Lane, Topic: t, Partition: p,
				Start: o.FirstOffset, End: o.LastOffset, Committed: c,
				Lag: lagOf(o.FirstOffset, o.LastOffset, c),
			})
		}
	}
	return lags, nil
}

// lagOf is the records from where a group resumes to the log end: from
// committed, or from the log start when nothing is committed or retention
// deleted the records past the commit.
func lagOf(start, end, committed int64) int64 {
	from := committed
	if from < start {
		from = start
	}
	return max(end-from, 0)
}

// Poll measures every interval until ctx ends and hands each snapshot (or
// the error of a failed measurement) to report. Each measurement gets at
// most one interval.
func (m *Meter) Poll(ctx context.Context, interval time.Duration, report func(*Snapshot, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		mctx, cancel := context.WithTimeout(ctx, interval)
		s, err := m.Measure(mctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		report(s, err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
