package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

const vendor = "250111206876"

var key = []byte("pipeline-test-secret")

// clock is a fixed clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

var t0 = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// fastSchedule retries 1m and 10m after the first attempt, for an hour.
var fastSchedule = delivery.Schedule{Offsets: []time.Duration{time.Minute, 10 * time.Minute}, MaxAge: time.Hour}

func endpoint(name string, kinds config.Kinds) pipeline.Endpoint {
	return pipeline.Endpoint{
		Endpoint:   delivery.Endpoint{Merchant: vendor, Name: name, URL: "https://" + name + ".example/notify", Key: key},
		Kinds:      kinds,
		Algorithms: signer.SetOf(signer.SHA256),
	}
}

// recorder keeps every attempt.
type recorder struct {
	mu sync.Mutex
	as []pipeline.Attempt
}

func (r *recorder) RecordAttempt(a pipeline.Attempt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.as = append(r.as, a)
}

func newPipeline(t *testing.T, ms pipeline.Merchants, s delivery.SenderFunc, rec pipeline.AttemptRecorder) *pipeline.Pipeline {
	t.Helper()
	p, err := pipeline.New(pipeline.Options{
		Merchants: ms, Sender: s, Recorder: rec, Clock: &clock{now: t0},
		Policy: delivery.Policy{Schedule: fastSchedule, BusyBackoff: 30 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lcnExample is the licence-change example event.
func lcnExample() ([]byte, error) { return lcn.Example("licence-change") }

func example(t *testing.T, k signer.Kind, name string) []byte {
	t.Helper()
	get := lcn.Example
	if k == signer.KindIPN {
		get = ipn.Example
	}
	data, err := get(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// answer returns a sender that answers every request with o.
func answer(o delivery.Outcome) delivery.SenderFunc {
	return func(context.Context, *delivery.Request) delivery.Outcome { return o }
}

var (
	ok      = delivery.Outcome{Result: delivery.Delivered, Reason: delivery.ReasonOK, Status: 200, Attempts: 1, Receipt: signer.Receipt{Algorithm: signer.SHA256}}
	fail5xx = delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonStatus5xx, Status: 503, Attempts: 3, Err: errors.New("503")}
	gone    = delivery.Outcome{Result: delivery.Permanent, Reason: delivery.ReasonGone, Status: 410, Attempts: 1}
	busy    = delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonBusy}
)

// TestProcessEvent: each disposition of a source event, from a fake
// sender and no broker.
func TestProcessEvent(t *testing.T) {
	both := config.BothKinds
	lcnOnly := config.KindsOf(signer.KindLCN)
	tests := []struct {
		name      string
		kind      signer.Kind
		value     []byte
		endpoints []pipeline.Endpoint
		paused    bool
		triggers  []string
		send      delivery.SenderFunc
		verdict   pipeline.Verdict
		reason    string // of the record, or of its one notice
		due       time.Time
		attempt   int // State.Attempt carried
		calls     int
	}{
		{name: "delivered", kind: signer.KindLCN, value: example(t, signer.KindLCN, "licence-change"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(ok),
			verdict: pipeline.Delivered, reason: "ok", attempt: 1, calls: 1},
		{name: "retry at the next slot", kind: signer.KindIPN, value: example(t, signer.KindIPN, "new-order"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(fail5xx),
			verdict: pipeline.Retry, reason: "status_5xx", due: t0.Add(time.Minute), attempt: 1, calls: 1},
		{name: "dead: permanent", kind: signer.KindLCN, value: example(t, signer.KindLCN, "licence-change"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(gone),
			verdict: pipeline.Dead, reason: "status_410", due: t0, attempt: 1, calls: 1},
		{name: "busy: back-off, no attempt used", kind: signer.KindLCN, value: example(t, signer.KindLCN, "licence-change"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(busy),
			verdict: pipeline.Retry, reason: "endpoint_busy", due: t0.Add(30 * time.Second), attempt: 0, calls: 1},
		{name: "paused: retry, no request, no attempt used", kind: signer.KindLCN, value: example(t, signer.KindLCN, "licence-change"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, paused: true, send: answer(ok),
			verdict: pipeline.Retry, reason: pipeline.ReasonPaused, due: t0.Add(30 * time.Second), attempt: 0, calls: 0},
		{name: "dead input: malformed", kind: signer.KindLCN, value: []byte(`{"vendor_code":`),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(ok),
			verdict: pipeline.Dead, reason: string(param.ReasonBadJSON)},
		{name: "dead input: unknown merchant", kind: signer.KindIPN,
			value:     []byte(strings.Replace(string(example(t, signer.KindIPN, "new-order")), vendor, "999999999999", 1)),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, send: answer(ok),
			verdict: pipeline.Dead, reason: string(param.ReasonUnknownVendor)},
		{name: "skipped: no endpoint takes the kind", kind: signer.KindIPN, value: example(t, signer.KindIPN, "new-order"),
			endpoints: []pipeline.Endpoint{endpoint("main", lcnOnly)}, send: answer(ok),
			verdict: pipeline.Skipped, reason: pipeline.SkipNoEndpoint},
		{name: "skipped: trigger disabled", kind: signer.KindLCN, value: example(t, signer.KindLCN, "licence-change"),
			endpoints: []pipeline.Endpoint{endpoint("main", both)}, triggers: []string{"LICENCE_PASTDUE"}, send: answer(ok),
			verdict: pipeline.Skipped, reason: pipeline.SkipTrigger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eps := tt.endpoints
			eps[0].Paused = tt.paused
			m := &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: eps, Triggers: tt.triggers}
			var calls int
			var mu sync.Mutex
			send := func(ctx context.Context, r *delivery.Request) delivery.Outcome {
				mu.Lock()
				calls++
				mu.Unlock()
				return tt.send(ctx, r)
			}
			var rec recorder
			p := newPipeline(t, pipeline.MerchantMap{vendor: m}, send, &rec)
			d := p.Process(t.Context(), pipeline.Record{Kind: tt.kind, Key: []byte("k1"), Value: tt.value})
			if d.Verdict != tt.verdict || calls != tt.calls {
				t.Fatalf("verdict %v after %d requests, want %v after %d (%+v)", d.Verdict, calls, tt.verdict, tt.calls, d)
			}
			if len(d.Notices) == 0 {
				if d.Reason != tt.reason {
					t.Errorf("reason %q, want %q", d.Reason, tt.reason)
				}
				if len(rec.as) != 0 {
					t.Errorf("%d attempts recorded for a record with no notification", len(rec.as))
				}
				return
			}
			n := d.Notices[0]
			if n.Reason != tt.reason || !n.State.Due.Equal(tt.due) && tt.verdict != pipeline.Delivered || n.State.Attempt != tt.attempt {
				t.Errorf("notice reason %q due %v attempt %d, want %q %v %d", n.Reason, n.State.Due, n.State.Attempt, tt.reason, tt.due, tt.attempt)
			}
			if tt.verdict != pipeline.Delivered && len(n.Body) == 0 {
				t.Error("an undelivered notice has no body to store")
			}
			if n.State.Merchant != vendor || n.State.Endpoint != "main" || n.State.MessageID == "" || string(n.Key) != "k1" {
				t.Errorf("state %+v", n.State)
			}
			want := tt.calls
			if tt.paused {
				want = 1 // the hand-off, without a request
			}
			if len(rec.as) != want {
				t.Fatalf("%d attempts recorded, want %d", len(rec.as), want)
			}
			if a := rec.as; tt.paused && (a[0].Reason != pipeline.ReasonPaused || a[0].Requests != 0 || a[0].Result != pipeline.Retry || a[0].NextDue.IsZero()) {
				t.Errorf("paused hand-off recorded as %+v", a[0])
			}
			if want := tt.calls; want > 0 {
				a := rec.as[0]
				if a.Result != tt.verdict || a.Merchant != vendor || a.Endpoint != "main" || a.Key != "k1" ||
					a.MessageID != n.State.MessageID || a.Number != 1 || a.ReceiptVerified != (tt.verdict == pipeline.Delivered) {
					t.Errorf("recorded %+v", a)
				}
			}
		})
	}
}

// TestProcessRetry: a retry record's next attempt sends the stored body
// unchanged and advances its accounting; gone merchants and endpoints,
// and unreadable bodies, dead-letter the record itself.
func TestProcessRetry(t *testing.T) {
	body := signer.New(key).AppendSignedForm(nil, signer.Fields{{Name: "IPN_PID[]", Values: []string{"1"}}}, signer.SetOf(signer.SHA256))
	state := func(endpoint string) *pipeline.State {
		return &pipeline.State{Attempt: 1, Requests: 3, First: t0.Add(-2 * time.Minute), Kind: signer.KindIPN,
			Merchant: vendor, Endpoint: endpoint, MessageID: "42", EventID: "e1"}
	}
	tests := []struct {
		name    string
		st      *pipeline.State
		value   []byte
		send    delivery.SenderFunc
		verdict pipeline.Verdict
		reason  string
		attempt int
	}{
		{"delivered", state("main"), body, answer(ok), pipeline.Delivered, "ok", 2},
		{"retry at the next slot", state("main"), body, answer(fail5xx), pipeline.Retry, "status_5xx", 2},
		{"exhausted", &pipeline.State{Attempt: 2, First: t0.Add(-50 * time.Minute), Kind: signer.KindIPN, Merchant: vendor, Endpoint: "main"},
			body, answer(fail5xx), pipeline.Dead, pipeline.ReasonExhausted, 3},
		{"unknown endpoint", state("gone"), body, answer(ok), pipeline.Dead, pipeline.ReasonUnknownEndpoint, 0},
		{"unknown merchant", &pipeline.State{Merchant: "nobody", Endpoint: "main", Kind: signer.KindIPN}, body, answer(ok),
			pipeline.Dead, string(param.ReasonUnknownVendor), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds)}}
			var sent []byte
			send := func(ctx context.Context, r *delivery.Request) delivery.Outcome {
				sent = r.Body
				return tt.send(ctx, r)
			}
			p := newPipeline(t, pipeline.MerchantMap{vendor: m}, send, nil)
			d := p.Process(t.Context(), pipeline.Record{Key: []byte("k"), Value: tt.value, Retry: tt.st})
			if d.Verdict != tt.verdict {
				t.Fatalf("verdict %v, want %v (%+v)", d.Verdict, tt.verdict, d)
			}
			if len(d.Notices) == 0 {
				if d.Reason != tt.reason || sent != nil {
					t.Errorf("record reason %q (sent %v), want %q and nothing sent", d.Reason, sent != nil, tt.reason)
				}
				return
			}
			n := d.Notices[0]
			if n.Reason != tt.reason || n.Attempt != tt.attempt || string(sent) != string(body) {
				t.Errorf("notice reason %q attempt %d, body sent unchanged %v; want %q %d", n.Reason, n.Attempt, string(sent) == string(body), tt.reason, tt.attempt)
			}
			if n.State.Requests != tt.st.Requests+n.Outcome.Attempts {
				t.Errorf("requests %d, want %d", n.State.Requests, tt.st.Requests+n.Outcome.Attempts)
			}
		})
	}
}

// TestProcessInterrupted: an attempt cut short by the context goes to the
// retry path at once without using an attempt.
func TestProcessInterrupted(t *testing.T) {
	m := &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds)}}
	send := func(ctx context.Context, _ *delivery.Request) delivery.Outcome {
		<-ctx.Done()
		return delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonCanceled, Attempts: 1, Err: ctx.Err()}
	}
	p := newPipeline(t, pipeline.MerchantMap{vendor: m}, send, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	d := p.Process(ctx, pipeline.Record{Kind: signer.KindLCN, Value: example(t, signer.KindLCN, "licence-change")})
	if d.Verdict != pipeline.Retry || d.Notices[0].State.Attempt != 0 || !d.Notices[0].State.Due.Equal(t0) {
		t.Errorf("got %v, attempt %d due %v; want retry, 0, now", d.Verdict, d.Notices[0].State.Attempt, d.Notices[0].State.Due)
	}
}

// TestProcessLiveMerchants: merchants are looked up when a record is
// processed, so a lookup that changes takes effect at once.
func TestProcessLiveMerchants(t *testing.T) {
	var mu sync.Mutex
	var current *pipeline.Merchant
	lookup := lookupFunc(func(code string) (*pipeline.Merchant, bool) {
		mu.Lock()
		defer mu.Unlock()
		return current, current != nil && code == vendor
	})
	p := newPipeline(t, lookup, answer(ok), nil)
	rec := pipeline.Record{Kind: signer.KindLCN, Value: example(t, signer.KindLCN, "licence-change")}
	if d := p.Process(t.Context(), rec); d.Verdict != pipeline.Dead || d.Reason != string(param.ReasonUnknownVendor) {
		t.Fatalf("before the merchant exists: %v %q", d.Verdict, d.Reason)
	}
	mu.Lock()
	current = &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds)}}
	mu.Unlock()
	if d := p.Process(t.Context(), rec); d.Verdict != pipeline.Delivered {
		t.Fatalf("after it was added: %v %q", d.Verdict, d.Reason)
	}
}

type lookupFunc func(string) (*pipeline.Merchant, bool)

func (f lookupFunc) Merchant(code string) (*pipeline.Merchant, bool) { return f(code) }

// TestProcessFanOut: one event to two endpoints, one delivered and one
// failing, gives a notice each and the worse verdict.
func TestProcessFanOut(t *testing.T) {
	m := &pipeline.Merchant{VendorCode: vendor, Key: key,
		Endpoints: []pipeline.Endpoint{endpoint("a", config.BothKinds), endpoint("b", config.BothKinds)}}
	send := func(_ context.Context, r *delivery.Request) delivery.Outcome {
		if r.Endpoint.Name == "b" {
			return fail5xx
		}
		return ok
	}
	p := newPipeline(t, pipeline.MerchantMap{vendor: m}, send, nil)
	d := p.Process(t.Context(), pipeline.Record{Kind: signer.KindIPN, Value: example(t, signer.KindIPN, "new-order")})
	if d.Verdict != pipeline.Retry || len(d.Notices) != 2 || d.Notices[0].Verdict != pipeline.Delivered || d.Notices[1].Verdict != pipeline.Retry {
		t.Fatalf("got %+v", d)
	}
	if string(d.Notices[0].Body) != string(d.Notices[1].Body) {
		t.Error("endpoints with the same algorithms got different bodies")
	}
}

func TestNewRequiresMerchantsAndSender(t *testing.T) {
	_, err := pipeline.New(pipeline.Options{})
	if err == nil || !strings.Contains(err.Error(), "merchants") || !strings.Contains(err.Error(), "sender") {
		t.Errorf("New with nothing: %v", err)
	}
}
