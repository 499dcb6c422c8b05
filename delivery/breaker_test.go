package delivery

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

var (
	failure = Outcome{Result: Retry, Reason: ReasonStatus5xx, Status: 503}
	success = Outcome{Result: Delivered, Reason: ReasonOK, Status: 200}
)

// transitions records breaker transitions as "from>to".
type transitions []string

func (tr *transitions) record(from, to BreakerState) {
	*tr = append(*tr, from.String()+">"+to.String())
}

// fail makes n admitted requests fail.
func fail(t *testing.T, b *Breaker, n int) {
	t.Helper()
	for range n {
		p, ok := b.Allow()
		if !ok {
			t.Fatalf("refused while %s", b.State())
		}
		b.Done(p, failure)
	}
}

func TestBreakerStateMachine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr transitions
		b := NewBreaker(BreakerConfig{Failures: 5, OpenDuration: 30 * time.Second, MaxOpenDuration: 2 * time.Minute}, nil, tr.record)
		fail(t, b, 4)
		if b.State() != BreakerClosed {
			t.Fatalf("open after 4 failures")
		}
		fail(t, b, 1)
		if b.State() != BreakerOpen {
			t.Fatalf("state %s after 5 failures", b.State())
		}
		if _, ok := b.Allow(); ok {
			t.Fatal("open breaker admitted a request")
		}
		if left, blocked := b.Blocked(); !blocked || left != 30*time.Second {
			t.Fatalf("Blocked() = %v, %v", left, blocked)
		}
		time.Sleep(29 * time.Second)
		if _, ok := b.Allow(); ok {
			t.Fatal("admitted before the open duration")
		}
		time.Sleep(time.Second)
		if _, blocked := b.Blocked(); blocked {
			t.Fatal("still blocked after the open duration")
		}
		probe, ok := b.Allow()
		if !ok || b.State() != BreakerHalfOpen {
			t.Fatalf("no probe after the open duration (%s)", b.State())
		}
		if _, ok := b.Allow(); ok {
			t.Fatal("second probe admitted while one is in flight")
		}
		if _, blocked := b.Blocked(); !blocked {
			t.Fatal("half-open with its probe out is not blocked")
		}
		b.Done(probe, failure) // re-opens for twice as long
		for _, want := range []time.Duration{time.Minute, 2 * time.Minute, 2 * time.Minute} {
			if left, _ := b.Blocked(); left != want {
				t.Fatalf("open for %v, want %v", left, want)
			}
			time.Sleep(want)
			p, ok := b.Allow()
			if !ok {
				t.Fatal("no probe")
			}
			b.Done(p, failure)
		}
		time.Sleep(2 * time.Minute)
		p, _ := b.Allow()
		b.Done(p, success)
		if b.State() != BreakerClosed {
			t.Fatalf("state %s after a successful probe", b.State())
		}
		// Closing resets the open duration.
		fail(t, b, 5)
		if left, _ := b.Blocked(); left != 30*time.Second {
			t.Fatalf("reopened for %v", left)
		}
		want := "closed>open open>half_open half_open>open open>half_open half_open>open open>half_open half_open>open " +
			"open>half_open half_open>open open>half_open half_open>closed closed>open"
		if got := strings.Join(tr, " "); got != want {
			t.Errorf("transitions:\n got %s\nwant %s", got, want)
		}
	})
}

func TestBreakerCounting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBreaker(BreakerConfig{Failures: 3}, nil, nil)
		// Successes, 4xx and receipt problems reset the count; neutral
		// outcomes leave it alone.
		for _, o := range []Outcome{
			success,
			{Result: Retry, Reason: ReasonStatus4xx, Status: 404},
			{Result: Retry, Reason: ReasonNoReceipt, Status: 200},
			{Result: Permanent, Reason: ReasonGone, Status: 410},
		} {
			fail(t, b, 2)
			p, _ := b.Allow()
			b.Done(p, Outcome{Result: Retry, Reason: ReasonCanceled})
			p, _ = b.Allow()
			b.Done(p, o)
			if b.State() != BreakerClosed {
				t.Fatalf("opened although %s/%d reset the count", o.Reason, o.Status)
			}
		}
		fail(t, b, 2)
		// A request admitted before the breaker opened reports late: ignored.
		stale, _ := b.Allow()
		fail(t, b, 1)
		b.Done(stale, success)
		if b.State() != BreakerOpen {
			t.Fatalf("a stale success closed the breaker")
		}
		// A canceled probe frees its slot and changes nothing.
		time.Sleep(DefaultOpenDuration)
		p, _ := b.Allow()
		b.Done(p, Outcome{Result: Retry, Reason: ReasonCanceled})
		if b.State() != BreakerHalfOpen {
			t.Fatalf("state %s after a canceled probe", b.State())
		}
		if p, ok := b.Allow(); !ok || !p.probe {
			t.Fatal("probe slot not freed")
		}
	})
}

func TestBreakerProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBreaker(BreakerConfig{Failures: 1, Probes: 2}, nil, nil)
		fail(t, b, 1)
		time.Sleep(DefaultOpenDuration)
		p1, ok1 := b.Allow()
		p2, ok2 := b.Allow()
		if _, ok3 := b.Allow(); !ok1 || !ok2 || ok3 {
			t.Fatalf("probes admitted: %v %v %v", ok1, ok2, ok3)
		}
		b.Done(p1, success)
		if b.State() != BreakerClosed {
			t.Fatalf("state %s", b.State())
		}
		b.Done(p2, failure) // stale: from the half-open period
		if b.State() != BreakerClosed {
			t.Fatalf("a stale probe failure re-opened the breaker")
		}
	})
}

func TestBreakerDisabled(t *testing.T) {
	b := NewBreaker(BreakerConfig{}, nil, nil)
	if b != nil {
		t.Fatal("zero config built a breaker")
	}
	for range 100 {
		p, ok := b.Allow()
		if !ok {
			t.Fatal("disabled breaker refused")
		}
		b.Done(p, failure)
	}
	if _, blocked := b.Blocked(); blocked || b.State() != BreakerClosed {
		t.Fatal("disabled breaker blocks")
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		o    Outcome
		want verdict
	}{
		{Outcome{Reason: ReasonOK, Status: 200}, healthy},
		{Outcome{Reason: ReasonNoReceipt, Status: 200}, healthy},
		{Outcome{Reason: ReasonBadReceipt, Status: 200}, healthy},
		{Outcome{Reason: ReasonStatus3xx, Status: 302}, healthy},
		{Outcome{Reason: ReasonStatus4xx, Status: 400}, healthy},
		{Outcome{Reason: ReasonGone, Status: 410}, healthy},
		{Outcome{Reason: ReasonOther, Status: 200}, healthy}, // receipt fields missing
		{Outcome{Reason: ReasonStatus4xx, Status: 408}, unhealthy},
		{Outcome{Reason: ReasonStatus429, Status: 429}, unhealthy},
		{Outcome{Reason: ReasonStatus5xx, Status: 500}, unhealthy},
		{Outcome{Reason: ReasonStatus5xx, Status: 503}, unhealthy},
		{Outcome{Reason: ReasonTimeout}, unhealthy},
		{Outcome{Reason: ReasonTimeout, Status: 200}, unhealthy}, // body never finished
		{Outcome{Reason: ReasonConnect}, unhealthy},
		{Outcome{Reason: ReasonCanceled}, neutral},
		{Outcome{Reason: ReasonBlocked}, neutral},
		{Outcome{Reason: ReasonCircuitOpen}, neutral},
		{Outcome{Reason: ReasonOther}, neutral}, // invalid request
	}
	for _, tt := range tests {
		if got := verdictOf(tt.o); got != tt.want {
			t.Errorf("verdictOf(%s/%d) = %d, want %d", tt.o.Reason, tt.o.Status, got, tt.want)
		}
	}
	for s, want := range map[BreakerState]string{BreakerClosed: "closed", BreakerOpen: "open", BreakerHalfOpen: "half_open", 9: "unknown"} {
		if fmt.Sprint(s) != want {
			t.Errorf("%d.String() = %s", s, s)
		}
	}
}
