package gateway_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// TestShutdownHandsOff stops a gateway whose endpoint hangs: after
// DrainTimeout the deliveries are cancelled and handed to the retry tiers
// uncounted, the source offsets are committed, Run returns in time, and
// the next gateway delivers them.
func TestShutdownHandsOff(t *testing.T) {
	e := newEnv(t)
	var hang atomic.Bool
	hang.Store(true)
	rcv := newReceiver(t, func(string, string, int) int {
		if hang.Load() {
			return -1
		}
		return 0
	})
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	dir[vendor].Endpoints[0].Timeout = time.Minute
	opts := e.options(dir, sender())
	opts.DrainTimeout = 300 * time.Millisecond
	first := e.start(opts)
	const n = 3
	msgs := sampleEvents(t, "handoff", n)
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 20*time.Second, "requests did not reach the endpoint", func() bool {
		return rcv.requests.Load() >= n
	})
	took := first.stopWithin(t, 10*time.Second)
	if took > 3*time.Second {
		t.Errorf("stop took %v, want about the 300ms drain timeout", took)
	}
	e.waitCommitted("gw", testTopics.LCN, 5*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 5*time.Second)
	var handed int
	for _, topic := range e.tierTopics() {
		for _, m := range e.kc.ReadAll(topic) {
			h := headers(m)
			if h[retryrecord.HeaderAttempt] != "0" || h[retryrecord.HeaderLastReason] != string(delivery.ReasonCanceled) {
				t.Errorf("handed-off record: attempt %q, last reason %q; want 0 and canceled",
					h[retryrecord.HeaderAttempt], h[retryrecord.HeaderLastReason])
			}
			handed++
		}
	}
	if handed != n {
		t.Fatalf("%d records handed off, want %d", handed, n)
	}
	hang.Store(false)
	e.start(e.options(dir, sender()))
	kafkatest.Eventually(t, 20*time.Second, "handed-off notifications not delivered", func() bool {
		return rcv.deliveredCount("/main") == n
	})
}

// TestStopWhileStarting stops a gateway before it has checked its topics,
// as a SIGTERM right after start does: Run returns nil, a clean stop, not
// the cancelled metadata request.
func TestStopWhileStarting(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	gw, err := gateway.New(e.options(dir, sender()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run stopped while starting returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of being stopped while starting")
	}
}
