package gateway_test

import (
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	return ch
}

// waiting returns how many waits are pending.
func (c *fakeClock) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// advance moves the clock and fires the waits that are due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// TestTiersRerouteUntilDue drives one retry record through the tiers with
// a clock under the test's control: written to the 5m tier and due 12
// minutes later, it waits 5m, moves to the 5m tier again, then to the 1m
// tier, waits in place for the last minute, and is attempted exactly when
// due, never before.
func TestTiersRerouteUntilDue(t *testing.T) {
	kc := kafkatest.New(t)
	kc.CreateTopics(1, testTopics.LCN, testTopics.IPN, testTopics.DeadLetter, testTopics.Retry+".1m", testTopics.Retry+".5m")
	rcv := newReceiver(t, nil)
	algs := signer.SetOf(signer.SHA256)
	e := &env{t: t, kc: kc}
	opts := e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs)), sender())
	opts.TierDelays = []time.Duration{time.Minute, 5 * time.Minute}
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: t0}
	opts.Clock = clock
	e.start(opts)

	value := eventJSON(t, signer.KindIPN, "new-order", "tier-1")
	mid, body := expectedBody(t, signer.KindIPN, value, algs)
	rec := []kafka.Header{
		{Key: retryrecord.HeaderAttempt, Value: []byte("1")}, {Key: retryrecord.HeaderRequests, Value: []byte("2")},
		{Key: retryrecord.HeaderFirst, Value: []byte(t0.Add(-time.Minute).Format(time.RFC3339Nano))},
		{Key: retryrecord.HeaderDue, Value: []byte(t0.Add(12 * time.Minute).Format(time.RFC3339Nano))},
		{Key: retryrecord.HeaderEnqueued, Value: []byte(t0.Format(time.RFC3339Nano))},
		{Key: retryrecord.HeaderKind, Value: []byte("ipn")}, {Key: retryrecord.HeaderMerchant, Value: []byte(vendor)},
		{Key: retryrecord.HeaderEndpoint, Value: []byte("main")}, {Key: retryrecord.HeaderMessageID, Value: []byte(mid)},
		{Key: retryrecord.HeaderEventID, Value: []byte("tier-1")}, {Key: retryrecord.HeaderLastReason, Value: []byte("status_5xx")},
		{Key: retryrecord.HeaderLastStatus, Value: []byte("503")}, {Key: retryrecord.HeaderLastError, Value: []byte("503")},
	}
	kc.Produce(kafka.Message{Topic: testTopics.Retry + ".5m", Key: []byte("k"), Value: body, Headers: rec})

	step := func(d time.Duration, what string, done func() bool) {
		t.Helper()
		kafkatest.Eventually(t, 10*time.Second, "no wait pending before "+what, func() bool { return clock.waiting() > 0 })
		if rcv.requests.Load() != 0 {
			t.Fatalf("attempted before %s", what)
		}
		clock.advance(d)
		kafkatest.Eventually(t, 10*time.Second, what, done)
	}
	step(5*time.Minute, "moved to the 5m tier again", func() bool { return kc.Count(testTopics.Retry+".5m") == 2 })
	step(5*time.Minute, "moved to the 1m tier", func() bool { return kc.Count(testTopics.Retry+".1m") == 1 })
	step(time.Minute, "held in place for the last minute", func() bool { return clock.waiting() > 0 })
	step(time.Minute, "attempted when due", func() bool { return rcv.wasDelivered("/main", signer.KindIPN, mid) })
	for _, m := range kc.ReadAll(testTopics.Retry + ".1m") {
		h := headers(m)
		if h[retryrecord.HeaderEnqueued] != t0.Add(10*time.Minute).Format(time.RFC3339Nano) || h[retryrecord.HeaderAttempt] != "1" {
			t.Errorf("rerouted record: enqueued %s, attempt %s", h[retryrecord.HeaderEnqueued], h[retryrecord.HeaderAttempt])
		}
	}
}
