package gateway_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// bigTopicBytes is the source topics' raised max.message.bytes, as common
// deployments set it.
const bigTopicBytes = 4 << 20

// newBigSourceEnv is newEnv with source topics that accept records up to
// bigTopicBytes; the retry and dead-letter topics keep the broker's
// default of about 1 MiB unless bigDeadLetters.
func newBigSourceEnv(t *testing.T, bigDeadLetters bool) *env {
	kc := kafkatest.New(t)
	createSized(t, kc, 2, bigTopicBytes, testTopics.LCN, testTopics.IPN)
	tiers, err := gateway.NewTiers(testTopics.Retry, testTiers)
	if err != nil {
		t.Fatal(err)
	}
	kc.CreateTopics(2, tiers.Topics()...)
	if bigDeadLetters {
		createSized(t, kc, 1, bigTopicBytes, testTopics.DeadLetter)
	} else {
		kc.CreateTopics(1, testTopics.DeadLetter)
	}
	return &env{t: t, kc: kc}
}

// createSized creates topics with max.message.bytes set to limit.
func createSized(t *testing.T, kc *kafkatest.Cluster, partitions, limit int, topics ...string) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(kc.Addr), Timeout: 10 * time.Second}
	req := &kafka.CreateTopicsRequest{}
	for _, topic := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "max.message.bytes", ConfigValue: strconv.Itoa(limit)}}})
	}
	resp, err := c.CreateTopics(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for topic, err := range resp.Errors {
		if err != nil {
			t.Fatalf("create %s: %v", topic, err)
		}
	}
}

// produceBig writes msgs with a writer that accepts records up to
// bigTopicBytes.
func produceBig(t *testing.T, e *env, msgs ...kafka.Message) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(e.kc.Addr), Balancer: &kafka.Hash{}, RequiredAcks: kafka.RequireAll,
		BatchTimeout: 2 * time.Millisecond, BatchBytes: 2 * bigTopicBytes}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// TestOversizedEventDoesNotStopItsPartition: an input event larger than
// the dead-letter topic accepts is dead-lettered as a stub (reason
// too_large, its size and where to fetch it, not its value), and the
// events after it on the same partition are delivered and committed.
// Before, the dead-letter write was retried for ever and the partition's
// offsets were never committed again.
func TestOversizedEventDoesNotStopItsPartition(t *testing.T) {
	e := newBigSourceEnv(t, false)
	rcv := newReceiver(t, nil)
	algs := signer.SetOf(signer.SHA256)
	e.start(e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs)), sender()))

	const key = "same-partition"
	big := []byte(`{"schema":"lcngw.lcn.v1","padding":"` + strings.Repeat("x", 2<<20) + `"}`)
	good := sampleEvents(t, "good", 2)
	for i := range good {
		good[i].Key = []byte(key)
	}
	produceBig(t, e, good[0], kafka.Message{Topic: testTopics.LCN, Key: []byte(key), Value: big}, good[1])

	kafkatest.Eventually(t, 30*time.Second, "events after the oversized one not delivered", func() bool {
		return rcv.deliveredCount("/main") == 2
	})
	e.waitCommitted("gw", testTopics.LCN, 20*time.Second)
	dead := e.kc.ReadAll(testTopics.DeadLetter)
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dead))
	}
	d := dead[0]
	h := headers(d)
	src := e.kc.ReadAll(testTopics.LCN)
	var at kafka.Message
	for _, m := range src {
		if len(m.Value) == len(big) {
			at = m
		}
	}
	for k, want := range map[string]string{
		retryrecord.HeaderReason:          "too_large",
		retryrecord.HeaderDeadLetter:      retryrecord.DeadInput,
		retryrecord.HeaderSourceTopic:     testTopics.LCN,
		retryrecord.HeaderSourcePartition: strconv.Itoa(at.Partition),
		retryrecord.HeaderSourceOffset:    strconv.FormatInt(at.Offset, 10),
		retryrecord.HeaderSize:            strconv.Itoa(len(big)),
	} {
		if h[k] != want {
			t.Errorf("header %s = %q, want %q", k, h[k], want)
		}
	}
	if len(d.Value) != 0 || string(d.Key) != key {
		t.Errorf("stub holds %d value bytes and key %q; want no value and the key", len(d.Value), d.Key)
	}
	gw, err := gateway.New(e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs)), sender()))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := gw.Replay(context.Background(), gateway.ReplayOptions{})
	if err != nil || sum.Replayed != 0 || sum.Skipped[gateway.ReasonTooLarge] != 1 {
		t.Errorf("replay of the stub: %v, %v; want it skipped as too_large", sum, err)
	}
}

// TestOversizedEventFitsARaisedDeadLetterTopic: the producer is sized from
// the topics it writes, so a dead-letter topic whose limit was raised
// holds the oversized event whole, with its usual reason.
func TestOversizedEventFitsARaisedDeadLetterTopic(t *testing.T) {
	e := newBigSourceEnv(t, true)
	rcv := newReceiver(t, nil)
	e.start(e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256))), sender()))
	big := []byte(`{"schema":"lcngw.lcn.v1","padding":"` + strings.Repeat("x", 2<<20) + `"}`)
	produceBig(t, e, kafka.Message{Topic: testTopics.LCN, Key: []byte("k"), Value: big})
	e.waitCommitted("gw", testTopics.LCN, 20*time.Second)
	dead := e.kc.ReadAll(testTopics.DeadLetter)
	if len(dead) != 1 || len(dead[0].Value) != len(big) {
		t.Fatalf("%d dead letters; want 1 holding the %d-byte event", len(dead), len(big))
	}
	if r := headers(dead[0])[retryrecord.HeaderReason]; r == gateway.ReasonTooLarge || r == "" {
		t.Errorf("reason %q, want the event's own", r)
	}
}
