package gateway_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/signer"
)

// TestRestartLosesNothing stops a gateway in the middle of a stream and
// starts another in the same group: every notification is delivered.
func TestRestartLosesNothing(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	// A slow endpoint keeps work in flight when the first gateway stops.
	slow := delivery.SenderFunc(func(ctx context.Context, req *delivery.Request) delivery.Outcome {
		time.Sleep(5 * time.Millisecond)
		return sender().Send(ctx, req)
	})
	first := e.start(e.options(dir, slow))
	const n = 200
	e.kc.Produce(sampleEvents(t, "restart", n)...)
	kafkatest.Eventually(t, 30*time.Second, "first gateway delivered nothing", func() bool {
		return rcv.deliveredCount("/main") >= n/4
	})
	took := first.stopWithin(t, 15*time.Second)
	stoppedAt := rcv.deliveredCount("/main")
	t.Logf("first gateway stopped after %d of %d deliveries in %v", stoppedAt, n, took)
	e.start(e.options(dir, sender()))
	kafkatest.Eventually(t, 30*time.Second, "notifications lost across the restart", func() bool {
		return rcv.deliveredCount("/main") == n
	})
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
}

// TestTwoInstancesShareAndSurvive runs two gateways in one group: both get
// partitions, and when one leaves the other takes over and delivers
// everything.
func TestTwoInstancesShareAndSurvive(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	var sentA, sentB atomic.Int64
	counting := func(c *atomic.Int64) delivery.Sender {
		s := sender()
		return delivery.SenderFunc(func(ctx context.Context, req *delivery.Request) delivery.Outcome {
			c.Add(1)
			time.Sleep(2 * time.Millisecond)
			return s.Send(ctx, req)
		})
	}
	obsA, obsB := &counter{}, &counter{}
	optsA, optsB := e.options(dir, counting(&sentA)), e.options(dir, counting(&sentB))
	obsA.attach(t, &optsA)
	obsB.attach(t, &optsB)
	a := e.start(optsA)
	e.start(optsB)
	kafkatest.Eventually(t, 20*time.Second, "the two instances did not split the partitions", func() bool {
		return obsA.get("assigned source") == 4 && obsB.get("assigned source") == 4
	})
	const n = 200
	msgs := sampleEvents(t, "pair", n)
	e.kc.Produce(msgs[:n/2]...)
	kafkatest.Eventually(t, 30*time.Second, "first half not delivered", func() bool {
		return rcv.deliveredCount("/main") == n/2
	})
	if sentA.Load() == 0 || sentB.Load() == 0 {
		t.Errorf("partitions not shared: instance A sent %d, B %d", sentA.Load(), sentB.Load())
	}
	e.kc.Produce(msgs[n/2 : n*3/4]...)
	a.stopWithin(t, 15*time.Second)
	e.kc.Produce(msgs[n*3/4:]...)
	kafkatest.Eventually(t, 30*time.Second, "survivor did not deliver everything", func() bool {
		return rcv.deliveredCount("/main") == n
	})
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
	t.Logf("instance A sent %d, instance B %d", sentA.Load(), sentB.Load())
}
