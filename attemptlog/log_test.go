package attemptlog

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// blockingWriter holds its first write until release is closed and keeps
// every message written.
type blockingWriter struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
	mu      sync.Mutex
	got     []kafka.Message
}

func newBlockingWriter() *blockingWriter {
	return &blockingWriter{entered: make(chan struct{}), release: make(chan struct{})}
}

func (w *blockingWriter) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	w.once.Do(func() { close(w.entered) })
	<-w.release
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, msgs...)
	return nil
}

func TestRecordNeverBlocks(t *testing.T) {
	w := newBlockingWriter()
	reg := prometheus.NewPedanticRegistry()
	l, err := New(Options{Writer: w, Buffer: 4, BatchSize: 1, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	l.Record(sampleRecord())
	<-w.entered // the writer now holds record 1 and blocks
	for range 4 + 3 {
		l.Record(sampleRecord()) // 4 fit in the buffer, 3 are dropped
	}
	if got := testutil.ToFloat64(l.metrics.dropped); got != 3 {
		t.Fatalf("dropped %v, want 3", got)
	}
	close(w.release)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(w.got) != 5 {
		t.Fatalf("wrote %d records, want 5", len(w.got))
	}
	l.Record(sampleRecord())
	if got := testutil.ToFloat64(l.metrics.dropped); got != 4 {
		t.Fatalf("a record after Close: dropped %v, want 4", got)
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 4 {
		t.Fatalf("metrics: %d series, %v", n, err)
	}
}

func TestLogWritesToKafka(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, DefaultTopic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	addrs := c.ListenAddrs()
	kw := NewKafkaWriter(addrs, DefaultTopic, nil)
	defer kw.Close()
	l, err := New(Options{Writer: kw, Linger: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	for i := range n {
		r := sampleRecord()
		r.Merchant = fmt.Sprintf("M%d", i%3)
		r.MessageID = fmt.Sprintf("MSG-%d", i)
		l.Record(r)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(l.metrics.written); got != n {
		t.Fatalf("written %v, want %d", got, n)
	}
	seen := readAll(t, addrs, 3)
	if len(seen) != n {
		t.Fatalf("read %d records, want %d", len(seen), n)
	}
	partitionOf := map[string]int{}
	for _, m := range seen {
		r, err := Parse(m.Value)
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Key) != r.Merchant {
			t.Fatalf("key %q for merchant %q", m.Key, r.Merchant)
		}
		if p, ok := partitionOf[r.Merchant]; ok && p != m.Partition {
			t.Fatalf("merchant %s on partitions %d and %d", r.Merchant, p, m.Partition)
		}
		partitionOf[r.Merchant] = m.Partition
	}
}

func TestEnsureTopic(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl := &kafka.Client{Addr: kafka.TCP(c.ListenAddrs()...)}
	for range 2 { // the second call finds it and succeeds
		if err := EnsureTopic(t.Context(), cl, "attempts", 2, 1, DefaultRetention); err != nil {
			t.Fatal(err)
		}
	}
	res, err := cl.DescribeConfigs(t.Context(), &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: "attempts", ConfigNames: []string{"retention.ms"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Resources[0].ConfigEntries[0].ConfigValue; v != "604800000" {
		t.Fatalf("retention.ms %s", v)
	}
}

// readAll reads every record of the attempt topic's partitions.
func readAll(t *testing.T, addrs []string, partitions int) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	for p := range partitions {
		conn, err := kafka.DialLeader(t.Context(), "tcp", addrs[0], DefaultTopic, p)
		if err != nil {
			t.Fatal(err)
		}
		last, err := conn.ReadLastOffset()
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
		if last == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: addrs, Topic: DefaultTopic, Partition: p, MaxWait: 100 * time.Millisecond})
		for off := int64(0); off < last; off++ {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			m, err := r.ReadMessage(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		r.Close()
	}
	return out
}
