package lag_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/lag"
)

const (
	source = "lcn"
	tier1  = "retry.30s"
	tier2  = "retry.5m"
	dead   = "dead"
	group  = "gw"
)

// setup starts a cluster with a source topic of 3 partitions, two retry
// tiers and a dead-letter topic, and a meter for the source group and its
// retry group.
func setup(t *testing.T) (*kafkatest.Cluster, *lag.Meter) {
	t.Helper()
	c := kafkatest.New(t)
	c.CreateTopics(3, source, tier1, tier2, dead)
	m, err := lag.NewMeter(&kafka.Client{Addr: kafka.TCP(c.Addr), Timeout: 10 * time.Second},
		[]lag.Group{
			{ID: group, Lane: "source", Topics: []string{source}},
			{ID: group + ".retry", Lane: "retry", Topics: []string{tier1, tier2}},
		}, dead)
	if err != nil {
		t.Fatal(err)
	}
	return c, m
}

func produce(c *kafkatest.Cluster, topic string, n int) {
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Topic: topic, Key: []byte(fmt.Sprint(i)), Value: []byte("x")}
	}
	c.Produce(msgs...)
}

// commit commits offsets for group through the OffsetCommit API, as a
// consumer outside any generation does.
func commit(t *testing.T, c *kafkatest.Cluster, group, topic string, offsets map[int]int64) {
	t.Helper()
	cl := &kafka.Client{Addr: kafka.TCP(c.Addr), Timeout: 10 * time.Second}
	req := &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{}}
	for p, o := range offsets {
		req.Topics[topic] = append(req.Topics[topic], kafka.OffsetCommit{Partition: p, Offset: o})
	}
	resp, err := cl.OffsetCommit(context.Background(), req)
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	for _, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				t.Fatalf("commit %s/%d: %v", topic, p.Partition, p.Error)
			}
		}
	}
}

func measure(t *testing.T, m *lag.Meter) *lag.Snapshot {
	t.Helper()
	s, err := m.Measure(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sum(s *lag.Snapshot, lane string, topics ...string) int64 {
	var n int64
	for _, l := range s.Lags {
		if l.Lane == lane && (len(topics) == 0 || slices.Contains(topics, l.Topic)) {
			n += l.Lag
		}
	}
	return n
}

func TestMeasureMatchesBrokerOffsets(t *testing.T) {
	c, m := setup(t)
	produce(c, source, 3000)
	produce(c, tier1, 40)
	produce(c, tier2, 7)
	produce(c, dead, 5)

	// No group has committed anything yet: everything waits.
	s := measure(t, m)
	if got := sum(s, "source"); got != 3000 {
		t.Errorf("source lag before any commit = %d, want 3000", got)
	}
	if got := sum(s, "retry"); got != 47 {
		t.Errorf("retry lag before any commit = %d, want 47", got)
	}
	if s.Sizes[dead] != 5 {
		t.Errorf("dead-letter size = %d, want 5", s.Sizes[dead])
	}

	// The source group commits a part of each partition; the retry group
	// everything of the first tier.
	ends := c.EndOffsets(source)
	half := map[int]int64{}
	var want int64
	for p, end := range ends {
		half[p] = end / 2
		want += end - end/2
	}
	commit(t, c, group, source, half)
	commit(t, c, group+".retry", tier1, c.EndOffsets(tier1))

	s = measure(t, m)
	if got := sum(s, "source"); got != want {
		t.Errorf("source lag = %d, want %d (log end minus committed)", got, want)
	}
	if got := sum(s, "retry", tier1); got != 0 {
		t.Errorf("committed tier lag = %d, want 0", got)
	}
	if got := sum(s, "retry", tier2); got != 7 {
		t.Errorf("uncommitted tier lag = %d, want 7", got)
	}
	for _, l := range s.Lags {
		if l.Lane == "source" && (l.Committed != half[l.Partition] || l.End != ends[l.Partition]) {
			t.Errorf("%s/%d: committed %d end %d, broker says %d and %d", l.Topic, l.Partition,
				l.Committed, l.End, half[l.Partition], ends[l.Partition])
		}
	}
}

func TestMetricsReportSnapshot(t *testing.T) {
	c, m := setup(t)
	produce(c, tier1, 12)
	produce(c, tier2, 3)
	produce(c, dead, 2)
	produce(c, source, 30)
	commit(t, c, group, source, c.EndOffsets(source))

	reg := prometheus.NewPedanticRegistry()
	met, err := lag.NewMetrics(reg, lag.MetricsOptions{
		Tiers:      map[string]string{tier1: "30s", tier2: "5m"},
		DeadLetter: dead,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before the first measurement, every tier waits on nothing.
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP lcngw_retry_pending Retry records waiting in a tier (fetched or not, not yet committed), from the broker's offsets; the same on every instance.
# TYPE lcngw_retry_pending gauge
lcngw_retry_pending{tier="30s"} 0
lcngw_retry_pending{tier="5m"} 0
`), "lcngw_retry_pending"); err != nil {
		t.Error(err)
	}
	met.Report(m.Measure(context.Background()))
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP lcngw_retry_pending Retry records waiting in a tier (fetched or not, not yet committed), from the broker's offsets; the same on every instance.
# TYPE lcngw_retry_pending gauge
lcngw_retry_pending{tier="30s"} 12
lcngw_retry_pending{tier="5m"} 3
# HELP lcngw_dead_letter_records Records the dead-letter topic retains (log end minus log start over its partitions).
# TYPE lcngw_dead_letter_records gauge
lcngw_dead_letter_records 2
`), "lcngw_retry_pending", "lcngw_dead_letter_records"); err != nil {
		t.Error(err)
	}
	var lagSum float64
	n, err := testutil.GatherAndCount(reg, "lcngw_kafka_consumer_lag")
	if err != nil || n != 9 { // 3 partitions × (source + two tiers)
		t.Errorf("lag series = %d (%v), want 9", n, err)
	}
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "lcngw_kafka_consumer_lag" {
			for _, s := range mf.GetMetric() {
				lagSum += s.GetGauge().GetValue()
			}
		}
	}
	if lagSum != 15 {
		t.Errorf("lag summed = %v, want 15 (the tiers; the source is committed)", lagSum)
	}

	// A failed measurement keeps the last figures and is counted.
	met.Report(nil, context.DeadlineExceeded)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP lcngw_kafka_offsets_measure_failures_total Measurements of the broker's offsets that failed; the lag figures keep their last values.
# TYPE lcngw_kafka_offsets_measure_failures_total counter
lcngw_kafka_offsets_measure_failures_total 1
# HELP lcngw_dead_letter_records Records the dead-letter topic retains (log end minus log start over its partitions).
# TYPE lcngw_dead_letter_records gauge
lcngw_dead_letter_records 2
`), "lcngw_kafka_offsets_measure_failures_total", "lcngw_dead_letter_records"); err != nil {
		t.Error(err)
	}
}

func TestNewMeterRejectsBadInput(t *testing.T) {
	if _, err := lag.NewMeter(nil, nil); err == nil {
		t.Error("nil client accepted")
	}
	cl := &kafka.Client{Addr: kafka.TCP("127.0.0.1:1")}
	if _, err := lag.NewMeter(cl, []lag.Group{{ID: "g"}}); err == nil {
		t.Error("group without topics accepted")
	}
}

// TestPollStopsWithContext: Poll reports a measurement at once and returns
// when its context ends, without waiting for the next tick. Each
// measurement may take up to the interval: a minute, so a busy machine
// cannot fail the first one.
func TestPollStopsWithContext(t *testing.T) {
	_, m := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Poll(ctx, time.Minute, func(_ *lag.Snapshot, err error) { got <- err })
	}()
	if err := <-got; err != nil {
		t.Errorf("first poll: %v", err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // well before the next tick
		t.Fatal("Poll did not return when its context ended")
	}
}
