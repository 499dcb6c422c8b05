package gateway_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// TestDeliversEveryNotification sends LCN and IPN events through a
// gateway with two endpoints (one taking both kinds, one only IPN with
// other algorithms) and checks every notification arrives exactly as an
// independent build and signature would produce it, with a verified
// receipt, and that every source offset is committed.
func TestDeliversEveryNotification(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	both := signer.SetOf(signer.SHA256, signer.SHA3256)
	md5sha := signer.SetOf(signer.MD5, signer.SHA256)
	dir := merchants(
		endpoint("main", rcv.url("/main"), config.BothKinds, both),
		endpoint("orders", rcv.url("/orders"), config.KindsOf(signer.KindIPN), md5sha),
	)
	obs := &counter{}
	opts := e.options(dir, sender())
	obs.attach(t, &opts)
	e.start(opts)

	const n = 120
	msgs := sampleEvents(t, "deliver", n)
	start := time.Now()
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 30*time.Second, "not every notification was delivered", func() bool {
		return rcv.deliveredCount("/main") == n && rcv.deliveredCount("/orders") == n/2
	})
	t.Logf("%d events, %d notifications delivered in %v", n, n+n/2, time.Since(start))
	for _, m := range msgs {
		k := signer.KindLCN
		if m.Topic == testTopics.IPN {
			k = signer.KindIPN
		}
		checkBody(t, rcv, "/main", k, m.Value, both)
		if k == signer.KindIPN {
			checkBody(t, rcv, "/orders", k, m.Value, md5sha)
		}
	}
	if got := rcv.invalid.Load(); got != 0 {
		t.Errorf("%d notifications failed verification", got)
	}
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
	if dead := e.kc.Count(testTopics.DeadLetter); dead != 0 {
		t.Errorf("%d dead letters, want none", dead)
	}
	if got := obs.get("consumed"); got != n {
		t.Errorf("observer saw %d consumed records, want %d", got, n)
	}
	if got := obs.get("delivered"); got != n+n/2 {
		t.Errorf("observer saw %d deliveries, want %d", got, n+n/2)
	}
}

// checkBody asserts that path received the notification of an event, only
// ever with the bytes an independent signing produces.
func checkBody(t *testing.T, rcv *receiver, path string, k signer.Kind, value []byte, algs signer.Algorithms) {
	t.Helper()
	mid, want := expectedBody(t, k, value, algs)
	bodies := rcv.got(path, k, mid)
	if len(bodies) == 0 {
		t.Errorf("%s: %s %s never received", path, k, mid)
	}
	for _, b := range bodies {
		if !bytes.Equal(b, want) {
			t.Errorf("%s: %s %s body differs from the independently signed one:\n got %.200s\nwant %.200s", path, k, mid, b, want)
		}
	}
	if !rcv.wasDelivered(path, k, mid) {
		t.Errorf("%s: %s %s has no receipt", path, k, mid)
	}
}

// TestTriggerFilter checks that an LCN whose DISPATCH_REASON the merchant
// did not enable is skipped and committed, while enabled ones are sent.
func TestTriggerFilter(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	dir[vendor].Triggers = []string{"LICENCE_EXPIRATION"}
	obs := &counter{}
	opts := e.options(dir, sender())
	obs.attach(t, &opts)
	e.start(opts)
	wanted := eventJSON(t, signer.KindLCN, "licence-expiration", "trig-1")
	unwanted := eventJSON(t, signer.KindLCN, "licence-change", "trig-2")
	e.kc.Produce(kafkaMsg(testTopics.LCN, "a", unwanted), kafkaMsg(testTopics.LCN, "b", wanted))
	e.waitCommitted("gw", testTopics.LCN, 20*time.Second)
	if !rcv.wasDelivered("/main", signer.KindLCN, idOf("trig-1")) {
		t.Error("enabled LCN not delivered")
	}
	if got := rcv.got("/main", signer.KindLCN, idOf("trig-2")); len(got) != 0 {
		t.Error("LCN with a disabled DISPATCH_REASON was sent")
	}
	if got := obs.get("skipped " + pipeline.SkipTrigger); got != 1 {
		t.Errorf("skipped count %d, want 1", got)
	}
}
