package gateway_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// TestSlowEndpointDoesNotHoldOthers runs a gateway with 16 records in
// flight (8 of them fetching) and an endpoint that answers nothing until
// released, beside a healthy one. The slow endpoint's waiting
// notifications give up after 200ms and mark it saturated; from then it
// holds one request and two waiting notifications, and the rest of its
// notifications go to the retry tiers as endpoint_busy at once. So the
// healthy endpoint receives everything while the slow one hangs. Released,
// the slow endpoint receives all of its notifications through the retry
// path, no hand-off having used an attempt of the schedule, and nothing is
// dead-lettered.
func TestSlowEndpointDoesNotHoldOthers(t *testing.T) {
	e := newEnv(t)
	gate := make(chan struct{})
	rcv := newReceiver(t, func(path, _ string, _ int) int {
		if path == "/slow" {
			<-gate
		}
		return 0
	})
	release := sync.OnceFunc(func() { close(gate) })
	t.Cleanup(release) // before the receiver's server closes, it waits for its handlers
	both := signer.SetOf(signer.SHA256, signer.SHA3256)
	slow := endpoint("slow", rcv.url("/slow"), config.KindsOf(signer.KindLCN), both)
	slow.Timeout = 30 * time.Second
	slow.MaxConcurrency, slow.MaxWaiting, slow.MaxSlotWait = 1, 2, 200*time.Millisecond
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, both), slow)
	dir[vendor].Retry = &delivery.Schedule{Offsets: []time.Duration{50 * time.Millisecond}, Every: 100 * time.Millisecond, MaxAge: time.Minute}
	opts := e.options(dir, sender())
	opts.MaxInFlight = 16 // each of the 8 partitions' readers holds one while it fetches
	e.start(opts)

	const n = 60
	msgs := sampleEvents(t, "slow", n)
	for i := range msgs {
		msgs[i].Key = fmt.Appendf(nil, "key-%d", i) // one key each: no record waits behind another
	}
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 20*time.Second, "the healthy endpoint was held up by the slow one", func() bool {
		return rcv.deliveredCount("/main") == n
	})
	if got := rcv.deliveredCount("/slow"); got != 0 {
		t.Fatalf("the slow endpoint answered %d notifications before it was released", got)
	}
	// While the slow endpoint hangs, its notifications keep coming back
	// and are handed off again, each counting its hand-offs in a row.
	var busy []map[string]string
	kafkatest.Eventually(t, 10*time.Second, "no notification was handed off busy twice in a row", func() bool {
		busy = busy[:0]
		again := false
		for _, m := range e.kc.ReadAll(testTopics.Retry + ".50ms") {
			if h := headers(m); h[retryrecord.HeaderEndpoint] == "slow" && h[retryrecord.HeaderLastReason] == string(delivery.ReasonBusy) {
				busy = append(busy, h)
				again = again || h[retryrecord.HeaderBusy] == "2"
			}
		}
		return again
	})
	for _, h := range busy {
		if h[retryrecord.HeaderAttempt] != "0" {
			t.Errorf("a busy hand-off used an attempt of the schedule: attempt %q", h[retryrecord.HeaderAttempt])
		}
		if k, err := strconv.Atoi(h[retryrecord.HeaderBusy]); err != nil || k < 1 {
			t.Errorf("a busy hand-off counts %q hand-offs in a row, want ≥ 1", h[retryrecord.HeaderBusy])
		}
	}
	release()
	kafkatest.Eventually(t, 30*time.Second, "the slow endpoint did not receive all its notifications", func() bool {
		return rcv.deliveredCount("/slow") == n/2
	})
	if dead := e.kc.Count(testTopics.DeadLetter); dead != 0 {
		t.Errorf("%d dead letters, want none", dead)
	}
	t.Logf("%d hand-offs as endpoint_busy while the slow endpoint hung", len(busy))
}
