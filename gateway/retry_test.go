package gateway_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// TestFailingEndpointRecovers: an endpoint answers 503 to the first three
// requests of every notification, so each first attempt (two quick tries)
// and the first try of the second fail; every notification still arrives,
// through the retry tiers, always with the same bytes, and nothing is
// dead-lettered.
func TestFailingEndpointRecovers(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, func(_, _ string, seen int) int {
		if seen < 3 {
			return http.StatusServiceUnavailable
		}
		return 0
	})
	algs := signer.SetOf(signer.SHA3256)
	obs := &counter{}
	opts := e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs)), sender())
	obs.attach(t, &opts)
	e.start(opts)
	const n = 40
	msgs := sampleEvents(t, "recover", n)
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 30*time.Second, "not every notification was delivered after retries", func() bool {
		return rcv.deliveredCount("/main") == n
	})
	for _, m := range msgs {
		k := signer.KindLCN
		if m.Topic == testTopics.IPN {
			k = signer.KindIPN
		}
		mid, _ := expectedBody(t, k, m.Value, algs)
		bodies := rcv.got("/main", k, mid)
		if len(bodies) < 4 {
			t.Errorf("%s %s received %d times, want at least 4", k, mid, len(bodies))
		}
		checkBody(t, rcv, "/main", k, m.Value, algs)
	}
	if dead := e.kc.Count(testTopics.DeadLetter); dead != 0 {
		t.Errorf("%d dead letters, want none", dead)
	}
	if obs.get("retry") < n {
		t.Errorf("%d retries scheduled, want at least %d", obs.get("retry"), n)
	}
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
	for _, tier := range e.tierTopics() {
		e.waitCommitted("gw"+gateway.RetryGroupSuffix, tier, 10*time.Second)
	}
}

func (e *env) tierTopics() []string {
	ts, _ := gateway.NewTiers(testTopics.Retry, testTiers)
	return ts.Topics()
}

// TestEndpointNeverRecovers: with a short schedule and an endpoint that
// always fails, every notification ends in the dead-letter topic with its
// signed body, the attempts made and the last failure. How many scheduled
// attempts fit depends on timing (a slot missed by a late attempt is
// skipped), so the test checks the headers against what the endpoint saw.
func TestEndpointNeverRecovers(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, func(string, string, int) int { return http.StatusInternalServerError })
	opts := e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256))), sender())
	opts.DefaultRetry = delivery.Schedule{Offsets: []time.Duration{200 * time.Millisecond, 400 * time.Millisecond}, MaxAge: time.Second}
	obs := &counter{}
	obs.attach(t, &opts)
	e.start(opts)
	const n = 10
	msgs := sampleEvents(t, "never", n)
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 30*time.Second, "notifications were not dead-lettered", func() bool {
		return e.kc.Count(testTopics.DeadLetter) >= n
	})
	dead := e.kc.ReadAll(testTopics.DeadLetter)
	if len(dead) != n {
		t.Fatalf("%d dead letters, want %d", len(dead), n)
	}
	byID := map[string]bool{}
	for _, d := range dead {
		h := headers(d)
		want := map[string]string{
			retryrecord.HeaderDeadLetter: retryrecord.DeadDelivery, retryrecord.HeaderReason: pipeline.ReasonExhausted,
			retryrecord.HeaderLastStatus: "500", retryrecord.HeaderLastReason: string(delivery.ReasonStatus5xx),
			retryrecord.HeaderMerchant: vendor, retryrecord.HeaderEndpoint: "main",
		}
		for k, v := range want {
			if h[k] != v {
				t.Errorf("dead letter header %s = %q, want %q", k, h[k], v)
			}
		}
		if h["trace"] == "" || h[retryrecord.HeaderSourceTopic] == "" || h[retryrecord.HeaderLastError] == "" {
			t.Errorf("dead letter lacks the carried or error headers: %v", h)
		}
		kind, _ := signer.ParseKind(h[retryrecord.HeaderKind])
		bodies := rcv.got("/main", kind, h[retryrecord.HeaderMessageID])
		attempts, _ := strconv.Atoi(h[retryrecord.HeaderAttempt])
		if attempts < 1 || attempts > 3 || h[retryrecord.HeaderRequests] != strconv.Itoa(len(bodies)) || len(bodies) != 2*attempts {
			t.Errorf("%s: %s attempts and %s requests in the headers, %d requests received (two per attempt)",
				h[retryrecord.HeaderMessageID], h[retryrecord.HeaderAttempt], h[retryrecord.HeaderRequests], len(bodies))
		}
		for _, b := range bodies {
			if !bytes.Equal(b, d.Value) {
				t.Error("dead letter value differs from the body sent")
			}
		}
		byID[h[retryrecord.HeaderMessageID]] = true
	}
	if len(byID) != n {
		t.Errorf("%d distinct notifications dead-lettered, want %d", len(byID), n)
	}
	if obs.get("exhausted") != n || obs.get("dead delivery "+pipeline.ReasonExhausted) != n {
		t.Errorf("observer: %d exhausted, %d dead letters; want %d each", obs.get("exhausted"),
			obs.get("dead delivery "+pipeline.ReasonExhausted), n)
	}
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
}

// TestRetryAfterHonoured: an endpoint answering 429 with Retry-After: 1 is
// not tried again before a second has passed.
func TestRetryAfterHonoured(t *testing.T) {
	e := newEnv(t)
	var first time.Time
	rcv := newReceiverFunc(t, func(w http.ResponseWriter, seen int) bool {
		if seen == 0 {
			first = time.Now()
			w.Header().Set("Retry-After", strconv.Itoa(1))
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return true
		}
		if time.Since(first) < time.Second {
			t.Errorf("retried %v after a Retry-After of 1s", time.Since(first))
		}
		return false
	})
	e.start(e.options(merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256))), sender()))
	e.kc.Produce(kafkaMsg(testTopics.IPN, "k", eventJSON(t, signer.KindIPN, "new-order", "ra-1")))
	kafkatest.Eventually(t, 20*time.Second, "not delivered after Retry-After", func() bool {
		return rcv.wasDelivered("/main", signer.KindIPN, idOf("ra-1"))
	})
}
