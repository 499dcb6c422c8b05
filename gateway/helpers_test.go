package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// vendor is the vendor code of every example event.
const vendor = "250111206876"

var testKey = []byte("gateway-test-secret")

var testTopics = config.Topics{LCN: "t.subscriptions", IPN: "t.orders", Retry: "t.retry", DeadLetter: "t.dead"}

var testTiers = []time.Duration{50 * time.Millisecond, 250 * time.Millisecond}

// fastSchedule retries 50ms, 150ms and 300ms after the first attempt, then
// every 200ms for up to 3s.
var fastSchedule = delivery.Schedule{
	Offsets: []time.Duration{50 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond},
	Every:   200 * time.Millisecond, MaxAge: 3 * time.Second,
}

// examples lists the example events used, by kind.
var examples = map[signer.Kind][]string{
	signer.KindLCN: {"licence-change", "renewal-api", "upgrade-by-customer", "licence-expiration", "full", "paused"},
	signer.KindIPN: {"new-order", "renewal", "upgrade", "refund", "full"},
}

// eventJSON returns example name of kind k with its event_id set to id
// (and no explicit message_id), after applying mutate to the document.
func eventJSON(t testing.TB, k signer.Kind, name, id string, mutate ...func(map[string]any)) []byte {
	t.Helper()
	var data []byte
	var err error
	if k == signer.KindLCN {
		data, err = lcn.Example(name)
	} else {
		data, err = ipn.Example(name)
	}
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	doc["event_id"] = id
	delete(doc, "message_id")
	for _, f := range mutate {
		f(doc)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sampleEvents returns n valid events, LCN and IPN alternating, keyed so
// that several events share a key.
func sampleEvents(t testing.TB, prefix string, n int) []kafka.Message {
	msgs := make([]kafka.Message, n)
	for i := range n {
		k, topic := signer.KindLCN, testTopics.LCN
		if i%2 == 1 {
			k, topic = signer.KindIPN, testTopics.IPN
		}
		names := examples[k]
		id := fmt.Sprintf("%s-%d", prefix, i)
		msgs[i] = kafka.Message{Topic: topic, Key: fmt.Appendf(nil, "key-%d", i%7),
			Value: eventJSON(t, k, names[i%len(names)], id), Headers: []kafka.Header{{Key: "trace", Value: []byte(id)}}}
	}
	return msgs
}

// expectedBody builds and signs an event independently of the gateway,
// with the default layout and time zone.
func expectedBody(t testing.TB, k signer.Kind, value []byte, algs signer.Algorithms) (mid string, body []byte) {
	t.Helper()
	var fs signer.Fields
	var err error
	if k == signer.KindLCN {
		ev, derr := lcn.Decode(value)
		if derr != nil {
			t.Fatal(derr)
		}
		fs, err = lcn.Build(ev, lcn.Options{})
	} else {
		ev, derr := ipn.Decode(value)
		if derr != nil {
			t.Fatal(derr)
		}
		fs, err = ipn.Build(ev, ipn.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	mid, _ = fs.Get("MESSAGE_ID")
	return mid, signer.New(testKey).AppendSignedForm(nil, fs, algs)
}

// idOf returns the MESSAGE_ID an event's notification carries.
func idOf(eventID string) string { return fmt.Sprint(param.MessageID(vendor, eventID)) }

// env is one test's Kafka cluster with the gateway's topics.
type env struct {
	t        *testing.T
	kc       *kafkatest.Cluster
	benchURL string
}

func newEnv(t *testing.T) *env {
	kc := kafkatest.New(t)
	kc.CreateTopics(4, testTopics.LCN, testTopics.IPN)
	tiers, err := gateway.NewTiers(testTopics.Retry, testTiers)
	if err != nil {
		t.Fatal(err)
	}
	kc.CreateTopics(2, tiers.Topics()...)
	kc.CreateTopics(1, testTopics.DeadLetter)
	return &env{t: t, kc: kc}
}

// endpoint returns an endpoint of the test merchant.
func endpoint(name, url string, kinds config.Kinds, algs signer.Algorithms) pipeline.Endpoint {
	return pipeline.Endpoint{
		Endpoint: delivery.Endpoint{Merchant: vendor, Name: name, URL: url, Key: testKey, Receipt: algs,
			Timeout: 2 * time.Second, ConnectTimeout: time.Second},
		Kinds: kinds, Algorithms: algs,
	}
}

// merchants returns a directory with the test merchant and its endpoints.
func merchants(eps ...pipeline.Endpoint) pipeline.MerchantMap {
	return pipeline.MerchantMap{vendor: &pipeline.Merchant{VendorCode: vendor, Key: testKey, Endpoints: eps}}
}

// sender returns the production Deliverer over a client that may reach
// loopback, with one quick retry 10ms later and no breaker.
func sender() *delivery.Deliverer {
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{AllowLoopback: true}})
	return delivery.NewDeliverer(client, delivery.Options{
		Quick: delivery.QuickRetry{Attempts: 2, InitialInterval: 10 * time.Millisecond, MaxInterval: 10 * time.Millisecond, Multiplier: 1},
	})
}

// options returns gateway options for the environment with short timings.
func (e *env) options(dir pipeline.Merchants, s delivery.Sender) gateway.Options {
	return gateway.Options{
		Brokers: e.kc.Brokers(), GroupID: "gw", Topics: testTopics, TierDelays: testTiers,
		MaxWait: 100 * time.Millisecond, HeartbeatInterval: 200 * time.Millisecond,
		SessionTimeout: 3 * time.Second, RebalanceTimeout: 5 * time.Second,
		CommitInterval: 100 * time.Millisecond, ShutdownTimeout: 4 * time.Second,
		Merchants: dir, Sender: s, DefaultRetry: fastSchedule,
	}
}

// running is a gateway running in the background.
type running struct {
	gw     *gateway.Gateway
	cancel context.CancelFunc
	done   chan error
}

func (e *env) start(opts gateway.Options) *running {
	e.t.Helper()
	return e.startTB(e.t, opts)
}

// startTB runs a gateway until the test or benchmark ends.
func (e *env) startTB(t testing.TB, opts gateway.Options) *running {
	t.Helper()
	if testing.Verbose() && os.Getenv("GW_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	gw, err := gateway.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{gw: gw, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- gw.Run(ctx) }()
	t.Cleanup(func() { r.stopWithin(t, 30*time.Second) })
	return r
}

// stopWithin cancels the gateway and fails unless Run returns nil in time.
func (r *running) stopWithin(t testing.TB, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			if err != nil {
				t.Errorf("Run: %v", err)
			}
			close(r.done)
		}
	case <-time.After(limit):
		t.Fatalf("Run did not return within %v of cancellation", limit)
	}
	return time.Since(start)
}

// waitCommitted waits until group has committed every record of topic.
func (e *env) waitCommitted(group, topic string, timeout time.Duration) {
	e.t.Helper()
	end := e.kc.EndOffsets(topic)
	kafkatest.Eventually(e.t, timeout, "group "+group+" did not commit all of "+topic, func() bool {
		got := e.kc.Committed(group, topic)
		for p, o := range end {
			if o > 0 && got[p] != o {
				return false
			}
		}
		return true
	})
}

// headers returns the headers of m as a map (last value wins).
func headers(m kafka.Message) map[string]string {
	h := make(map[string]string, len(m.Headers))
	for _, x := range m.Headers {
		h[x.Key] = string(x.Value)
	}
	return h
}
