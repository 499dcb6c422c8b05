// Package kafkatest runs an in-process Kafka cluster (kfake) for tests and
// offers the few client helpers tests need: create topics, produce, read a
// topic to its end, and read a group's committed offsets.
package kafkatest

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Cluster is a running in-process cluster.
type Cluster struct {
	*kfake.Cluster
	// Addr is the bootstrap address, 127.0.0.1:<random port>.
	Addr      string
	t         testing.TB
	dialer    *kafka.Dialer
	transport kafka.RoundTripper
}

// Connect makes the helpers connect through d and t, for a cluster
// started with kfake.TLS or kfake.EnableSASL.
func (c *Cluster) Connect(d *kafka.Dialer, t kafka.RoundTripper) {
	c.dialer, c.transport = d, t
}

// New starts a one-broker cluster on a random port, closed when the test
// ends. Groups accept session timeouts from 100ms, so tests can use short
// ones; opts add to or override that.
func New(t testing.TB, opts ...kfake.Opt) *Cluster {
	t.Helper()
	base := []kfake.Opt{kfake.NumBrokers(1), kfake.GroupMinSessionTimeout(100 * time.Millisecond)}
	c, err := kfake.NewCluster(append(base, opts...)...)
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return &Cluster{Cluster: c, Addr: c.ListenAddrs()[0], t: t}
}

// Brokers returns the bootstrap address as a list.
func (c *Cluster) Brokers() []string { return []string{c.Addr} }

func (c *Cluster) client() *kafka.Client {
	return &kafka.Client{Addr: kafka.TCP(c.Addr), Timeout: 10 * time.Second, Transport: c.transport}
}

func (c *Cluster) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 20*time.Second)
}

// CreateTopics creates topics with the given number of partitions.
func (c *Cluster) CreateTopics(partitions int, topics ...string) {
	c.t.Helper()
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: t, NumPartitions: partitions, ReplicationFactor: 1})
	}
	ctx, cancel := c.ctx()
	defer cancel()
	resp, err := c.client().CreateTopics(ctx, req)
	if err != nil {
		c.t.Fatalf("create topics: %v", err)
	}
	for t, err := range resp.Errors {
		if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			c.t.Fatalf("create topic %s: %v", t, err)
		}
	}
}

// Writer returns a writer with the settings that never lose a record
// (RequireAll) and do not wait long for batches; the test closes it.
func (c *Cluster) Writer() *kafka.Writer {
	w := &kafka.Writer{Addr: kafka.TCP(c.Addr), Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchTimeout: 2 * time.Millisecond, Transport: c.transport}
	c.t.Cleanup(func() { _ = w.Close() })
	return w
}

// Produce writes msgs (each naming its topic) and fails the test on error.
// A topic another client has just created may not be known to every part
// of the broker yet: the records refused for that reason are written
// again until the context ends.
func (c *Cluster) Produce(msgs ...kafka.Message) {
	c.t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	w := c.Writer()
	for len(msgs) > 0 {
		err := w.WriteMessages(ctx, msgs...)
		if err == nil {
			return
		}
		if msgs = unknownTopic(msgs, err); msgs == nil || ctx.Err() != nil {
			c.t.Fatalf("produce: %v", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// unknownTopic returns the records of msgs that err refused because their
// topic was unknown, or nil when err is anything else.
func unknownTopic(msgs []kafka.Message, err error) []kafka.Message {
	var we kafka.WriteErrors
	if !errors.As(err, &we) {
		if errors.Is(err, kafka.UnknownTopicOrPartition) {
			return msgs
		}
		return nil
	}
	var again []kafka.Message
	for i, e := range we {
		switch {
		case e == nil:
		case errors.Is(e, kafka.UnknownTopicOrPartition):
			again = append(again, msgs[i])
		default:
			return nil
		}
	}
	return again
}

// Partitions returns the partition IDs of topic.
func (c *Cluster) Partitions(topic string) []int {
	c.t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	resp, err := c.client().Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil || len(resp.Topics) != 1 || resp.Topics[0].Error != nil {
		c.t.Fatalf("metadata of %s: %v", topic, errors.Join(err, firstTopicErr(resp)))
	}
	var ids []int
	for _, p := range resp.Topics[0].Partitions {
		ids = append(ids, p.ID)
	}
	sort.Ints(ids)
	return ids
}

func firstTopicErr(resp *kafka.MetadataResponse) error {
	if resp == nil || len(resp.Topics) == 0 {
		return nil
	}
	return resp.Topics[0].Error
}

// EndOffsets returns the next offset to be written, per partition.
func (c *Cluster) EndOffsets(topic string) map[int]int64 {
	c.t.Helper()
	var reqs []kafka.OffsetRequest
	for _, p := range c.Partitions(topic) {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	ctx, cancel := c.ctx()
	defer cancel()
	resp, err := c.client().ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		c.t.Fatalf("list offsets of %s: %v", topic, err)
	}
	out := make(map[int]int64)
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			c.t.Fatalf("list offsets of %s/%d: %v", topic, po.Partition, po.Error)
		}
		out[po.Partition] = po.LastOffset
	}
	return out
}

// Count returns how many records topic holds.
func (c *Cluster) Count(topic string) int64 {
	var n int64
	for _, end := range c.EndOffsets(topic) {
		n += end
	}
	return n
}

// ReadAll returns every record of topic, partition by partition in
// offset order.
func (c *Cluster) ReadAll(topic string) []kafka.Message {
	c.t.Helper()
	var out []kafka.Message
	for p, end := range c.EndOffsets(topic) {
		out = append(out, c.readPartition(topic, p, end)...)
	}
	return out
}

func (c *Cluster) readPartition(topic string, partition int, end int64) []kafka.Message {
	if end == 0 {
		return nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: c.Brokers(), Topic: topic, Partition: partition,
		MaxWait: 100 * time.Millisecond, Dialer: c.dialer})
	defer r.Close()
	ctx, cancel := c.ctx()
	defer cancel()
	var out []kafka.Message
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			c.t.Fatalf("read %s/%d: %v", topic, partition, err)
		}
		out = append(out, m)
		if m.Offset >= end-1 {
			return out
		}
	}
}

// Committed returns the offsets group committed for topic, per partition
// (partitions without a commit are left out; none while the group does
// not exist yet).
func (c *Cluster) Committed(group, topic string) map[int]int64 {
	c.t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	resp, err := c.client().OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group,
		Topics: map[string][]int{topic: c.Partitions(topic)}})
	out := make(map[int]int64)
	if err == nil && errors.Is(resp.Error, kafka.GroupIdNotFound) {
		return out // the group has not been created yet: nothing committed
	}
	if err != nil || resp.Error != nil {
		c.t.Fatalf("offset fetch %s/%s: %v", group, topic, errors.Join(err, respErr(resp)))
	}
	for _, p := range resp.Topics[topic] {
		if p.Error == nil && p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out
}

func respErr(resp *kafka.OffsetFetchResponse) error {
	if resp == nil {
		return nil
	}
	return resp.Error
}

// Eventually polls cond every 20ms until it holds, failing the test with
// msg after timeout.
func Eventually(t testing.TB, timeout time.Duration, msg string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
