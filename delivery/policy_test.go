package delivery

import (
	"testing"
	"time"
)

func TestPolicyQuick(t *testing.T) {
	tests := []struct {
		name string
		o    Outcome
		want bool
	}{
		{"5xx", Outcome{Result: Retry, Reason: ReasonStatus5xx}, true},
		{"timeout", Outcome{Result: Retry, Reason: ReasonTimeout}, true},
		{"delivered", Outcome{Result: Delivered, Reason: ReasonOK}, false},
		{"permanent", Outcome{Result: Permanent, Reason: ReasonGone}, false},
		{"circuit open", Outcome{Result: Retry, Reason: ReasonCircuitOpen}, false},
		{"busy", Outcome{Result: Retry, Reason: ReasonBusy}, false},
		{"cancelled", Outcome{Result: Retry, Reason: ReasonCanceled}, false},
	}
	for _, tt := range tests {
		if got := (Policy{}).Quick(tt.o); got != tt.want {
			t.Errorf("%s: Quick = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPolicyAfter: every kind of round ends in the right step, due time
// and accounting.
func TestPolicyAfter(t *testing.T) {
	first := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	sched := Schedule{Offsets: []time.Duration{time.Minute, 10 * time.Minute}, MaxAge: time.Hour}
	p := Policy{Schedule: sched, MaxRetryAfter: 30 * time.Minute, BusyBackoff: 10 * time.Second}
	at := func(d time.Duration) time.Time { return first.Add(d) }
	tests := []struct {
		name string
		a    Accounting
		o    Outcome
		now  time.Time
		want Decision
	}{
		{"delivered", Accounting{Attempt: 1, First: first, Busy: 2}, Outcome{Result: Delivered, Reason: ReasonOK, Attempts: 1}, at(0),
			Decision{Step: StepDone, Reason: "ok", Next: Accounting{Attempt: 1, Requests: 1, First: first}}},
		{"permanent", Accounting{Attempt: 2, Requests: 3, First: first}, Outcome{Result: Permanent, Reason: ReasonGone, Attempts: 1}, at(time.Minute),
			Decision{Step: StepDead, Reason: "status_410", Next: Accounting{Attempt: 2, Requests: 4, First: first}}},
		{"transient: next slot", Accounting{Attempt: 1, First: first}, Outcome{Result: Retry, Reason: ReasonStatus5xx, Attempts: 3}, at(2 * time.Second),
			Decision{Step: StepDurable, Due: at(time.Minute), Reason: "status_5xx", Next: Accounting{Attempt: 1, Requests: 3, First: first}}},
		{"retry-after later than the slot", Accounting{Attempt: 1, First: first}, Outcome{Result: Retry, Reason: ReasonStatus429, Attempts: 1, RetryAfter: 5 * time.Minute}, at(0),
			Decision{Step: StepDurable, Due: at(5 * time.Minute), Reason: "status_429", Next: Accounting{Attempt: 1, Requests: 1, First: first}}},
		{"retry-after capped", Accounting{Attempt: 1, First: first}, Outcome{Result: Retry, Reason: ReasonStatus429, Attempts: 1, RetryAfter: 50 * time.Minute}, at(0),
			Decision{Step: StepDurable, Due: at(30 * time.Minute), Reason: "status_429", Next: Accounting{Attempt: 1, Requests: 1, First: first}}},
		{"exhausted", Accounting{Attempt: 3, Requests: 5, First: first}, Outcome{Result: Retry, Reason: ReasonTimeout, Attempts: 1}, at(10 * time.Minute),
			Decision{Step: StepDead, Reason: ReasonExhausted, Next: Accounting{Attempt: 3, Requests: 6, First: first}}},
		{"cancelled: at once, not counted", Accounting{Attempt: 2, Requests: 1, First: first}, Outcome{Result: Retry, Reason: ReasonCanceled, Attempts: 1}, at(90 * time.Second),
			Decision{Step: StepDurable, Due: at(90 * time.Second), Reason: "canceled", Next: Accounting{Attempt: 1, Requests: 2, First: first}}},
		{"busy: back-off, not counted", Accounting{Attempt: 1, First: first}, Outcome{Result: Retry, Reason: ReasonBusy}, at(0),
			Decision{Step: StepDurable, Due: at(10 * time.Second), Reason: "endpoint_busy", Next: Accounting{Attempt: 0, Busy: 1, First: first}}},
		{"busy again: doubled", Accounting{Attempt: 1, Busy: 1, First: first}, Outcome{Result: Retry, Reason: ReasonBusy}, at(0),
			Decision{Step: StepDurable, Due: at(20 * time.Second), Reason: "endpoint_busy", Next: Accounting{Attempt: 0, Busy: 2, First: first}}},
		{"busy often: at most 4x", Accounting{Attempt: 1, Busy: 9, First: first}, Outcome{Result: Retry, Reason: ReasonBusy}, at(0),
			Decision{Step: StepDurable, Due: at(40 * time.Second), Reason: "endpoint_busy", Next: Accounting{Attempt: 0, Busy: 10, First: first}}},
		{"busy: never later than the slot", Accounting{Attempt: 1, Busy: 9, First: first}, Outcome{Result: Retry, Reason: ReasonBusy}, at(50 * time.Second),
			Decision{Step: StepDurable, Due: at(time.Minute), Reason: "endpoint_busy", Next: Accounting{Attempt: 0, Busy: 10, First: first}}},
		{"transient resets busy", Accounting{Attempt: 1, Busy: 3, First: first}, Outcome{Result: Retry, Reason: ReasonConnect, Attempts: 1}, at(0),
			Decision{Step: StepDurable, Due: at(time.Minute), Reason: "connect", Next: Accounting{Attempt: 1, Requests: 1, First: first}}},
	}
	for _, tt := range tests {
		if got := p.After(tt.a, tt.o, tt.now); got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestPolicyPaused(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	p := Policy{BusyBackoff: time.Minute}
	got := p.Paused(Accounting{Attempt: 4, Requests: 7, Busy: 1, First: now}, now)
	want := Decision{Step: StepDurable, Due: now.Add(2 * time.Minute), Reason: ReasonPaused,
		Next: Accounting{Attempt: 3, Requests: 7, Busy: 2, First: now}}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestPolicyOpenCircuitKeepsMaxAge: a notification refused by an open
// circuit whose remaining open time reaches past max age is tried once
// more at max age, not dead-lettered while its schedule has slots left
// (tried at +0, +34s, +2m34s with max age 6m, the breaker open for 4m
// more, it used to be dead-lettered at +2m34s).
func TestPolicyOpenCircuitKeepsMaxAge(t *testing.T) {
	first := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	p := Policy{Schedule: Schedule{Offsets: []time.Duration{30 * time.Second, 2 * time.Minute, 4 * time.Minute},
		MaxAge: 6 * time.Minute}}
	open := func(left time.Duration) Outcome {
		return Outcome{Result: Retry, Reason: ReasonCircuitOpen, RetryAfter: left}
	}
	d := p.After(Accounting{Attempt: 3, First: first}, open(4*time.Minute), first.Add(2*time.Minute+34*time.Second))
	if d.Step != StepDurable || !d.Due.Equal(first.Add(6*time.Minute)) {
		t.Fatalf("refused at +2m34s, open 4m more: %+v, want a retry due at +6m", d)
	}
	// The circuit closes sooner than the next slot: the slot holds.
	d = p.After(Accounting{Attempt: 3, First: first}, open(10*time.Second), first.Add(2*time.Minute+34*time.Second))
	if d.Step != StepDurable || !d.Due.Equal(first.Add(4*time.Minute)) {
		t.Errorf("open 10s more: %+v, want the slot at +4m", d)
	}
	// Refused again at max age: no slot left.
	d = p.After(Accounting{Attempt: 4, First: first}, open(4*time.Minute), first.Add(6*time.Minute))
	if d.Step != StepDead || d.Reason != ReasonExhausted {
		t.Errorf("refused at max age: %+v, want dead-lettered as exhausted", d)
	}
	// An endpoint's own Retry-After past max age is still honoured.
	d = p.After(Accounting{Attempt: 3, First: first},
		Outcome{Result: Retry, Reason: ReasonStatus429, RetryAfter: 10 * time.Minute}, first.Add(2*time.Minute))
	if d.Step != StepDead {
		t.Errorf("429 asking past max age: %+v, want dead-lettered", d)
	}
}
