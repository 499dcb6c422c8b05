package broker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// start runs the broker in the background and returns its address and a
// function that stops it and waits for Run to return.
func start(t *testing.T, o Options) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan string, 1)
	o.Ready = func(a string) { addrs <- a }
	done := make(chan error, 1)
	go func() { done <- Run(ctx, o) }()
	select {
	case a := <-addrs:
		stopped := false
		stop := func() {
			if stopped {
				return
			}
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
		t.Cleanup(stop)
		return a, stop
	case err := <-done:
		cancel()
		t.Fatalf("Run returned before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("broker not ready after 10s")
	}
	return "", nil
}

func produce(t *testing.T, addr, topic string, values ...string) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(addr), RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond,
		AllowAutoTopicCreation: true}
	defer w.Close()
	msgs := make([]kafka.Message, len(values))
	for i, v := range values {
		msgs[i] = kafka.Message{Topic: topic, Value: []byte(v)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

// offsets returns the first and the next offset of partition 0.
func offsets(t *testing.T, addr, topic string) (first, next int64) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	resp, err := c.ListOffsets(context.Background(), &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		t.Fatalf("list offsets: %v", err)
	}
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			t.Fatalf("list offsets: %v", po.Error)
		}
		return po.FirstOffset, po.LastOffset
	}
	t.Fatalf("no offsets for %s", topic)
	return 0, 0
}

func TestSeedTopics(t *testing.T) {
	addr, _ := start(t, Options{Partitions: 4, Topics: []string{" a ", "", "b"}})
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("address %q is not on loopback", addr)
	}
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	resp, err := c.Metadata(context.Background(), &kafka.MetadataRequest{Topics: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range resp.Topics {
		if tp.Error != nil || len(tp.Partitions) != 4 {
			t.Errorf("topic %s: %d partitions, error %v; want 4 partitions", tp.Name, len(tp.Partitions), tp.Error)
		}
	}
}

// TestDataDirSurvivesRestart stops a broker and starts another on the same
// directory: the records written before are still there.
func TestDataDirSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	addr, stop := start(t, Options{Partitions: 1, Topics: []string{"events"}, DataDir: dir})
	produce(t, addr, "events", "one", "two", "three")
	stop()
	addr, _ = start(t, Options{Partitions: 1, DataDir: dir})
	if _, next := offsets(t, addr, "events"); next != 3 {
		t.Fatalf("after restart the topic ends at offset %d, want 3", next)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: "events", Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := r.ReadMessage(ctx)
	if err != nil || string(m.Value) != "one" {
		t.Fatalf("first record %q, %v; want one", m.Value, err)
	}
}

// TestRetentionBoundsPartitions writes more than the retention bound: the
// oldest segments are dropped within a few retention passes.
func TestRetentionBoundsPartitions(t *testing.T) {
	addr, _ := start(t, Options{Partitions: 1, Topics: []string{"big"}, RetentionBytes: SegmentBytes})
	value := strings.Repeat("x", 64<<10)
	for range 8 { // 8 × 8 × 64 KiB = 4 MiB
		produce(t, addr, "big", value, value, value, value, value, value, value, value)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		first, next := offsets(t, addr, "big")
		if first > 0 {
			if kept := next - first; kept*int64(len(value)) > 3*SegmentBytes {
				t.Fatalf("%d records (%d KiB) kept, want at most about 2 segments", kept, kept*64)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("retention never dropped a segment")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestRejectsOptions(t *testing.T) {
	for _, o := range []Options{{Port: -1}, {Port: 70000}, {Partitions: -2}, {RetentionBytes: -1}} {
		if err := Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}
