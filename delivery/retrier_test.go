package delivery

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"
)

func TestDelivererQuickRetries(t *testing.T) {
	ms := time.Millisecond
	base := QuickRetry{Attempts: 4, InitialInterval: 100 * ms, MaxInterval: time.Second, Multiplier: 2}
	tests := []struct {
		name     string
		quick    QuickRetry
		handler  http.HandlerFunc
		result   Result
		reason   Reason
		attempts int
		waits    []time.Duration
	}{
		{"always 500", base, scripted(500), Retry, ReasonStatus5xx, 4, []time.Duration{100 * ms, 200 * ms, 400 * ms}},
		{"delivered on the third", base, scripted(500, 502, 200), Delivered, ReasonOK, 3, []time.Duration{100 * ms, 200 * ms}},
		{"delivered at once", base, scripted(200), Delivered, ReasonOK, 1, nil},
		{"gone stops", base, scripted(500, 410), Permanent, ReasonGone, 2, []time.Duration{100 * ms}},
		{"no receipt retried", base, scripted(204), Retry, ReasonNoReceipt, 4, []time.Duration{100 * ms, 200 * ms, 400 * ms}},
		{"capped interval", QuickRetry{Attempts: 4, InitialInterval: 100 * ms, MaxInterval: 300 * ms, Multiplier: 10}, scripted(500), Retry, ReasonStatus5xx, 4, []time.Duration{100 * ms, 300 * ms, 300 * ms}},
		{"single attempt", QuickRetry{Attempts: 1}, scripted(500), Retry, ReasonStatus5xx, 1, nil},
		{"retry-after longer than the wait", base, withRetryAfter(429, "120"), Retry, ReasonStatus429, 1, nil},
		{"retry-after zero", base, withRetryAfter(503, "0"), Retry, ReasonStatus5xx, 4, []time.Duration{100 * ms, 200 * ms, 400 * ms}},
		{"retry-after within the wait", QuickRetry{Attempts: 3, InitialInterval: 2 * time.Second, MaxInterval: 2 * time.Second}, withRetryAfter(429, "1"), Retry, ReasonStatus429, 3, []time.Duration{2 * time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int64
			srv := newServer(t, counted(&hits, tt.handler))
			timer := newRecordingTimer()
			d := NewDeliverer(NewClient(loopbackConfig()), Options{Quick: tt.quick, NewTimer: func() backoff.Timer { return timer }})
			o := send(t, d, lcnRequest(testEndpoint(srv.URL)))
			if o.Result != tt.result || o.Reason != tt.reason || o.Attempts != tt.attempts || int(hits.Load()) != tt.attempts {
				t.Errorf("outcome %v/%s attempts %d hits %d; want %v/%s %d", o.Result, o.Reason, o.Attempts, hits.Load(), tt.result, tt.reason, tt.attempts)
			}
			if !slices.Equal(timer.waits, tt.waits) {
				t.Errorf("waits %v, want %v", timer.waits, tt.waits)
			}
		})
	}
}

func withRetryAfter(status int, value string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", value)
		w.WriteHeader(status)
	}
}

func TestDelivererJitter(t *testing.T) {
	srv := newServer(t, scripted(500))
	timer := newRecordingTimer()
	q := QuickRetry{Attempts: 3, InitialInterval: 100 * time.Millisecond, MaxInterval: time.Second, Multiplier: 2, Jitter: 0.5}
	d := NewDeliverer(NewClient(loopbackConfig()), Options{Quick: q, NewTimer: func() backoff.Timer { return timer }})
	for range 20 {
		timer.waits = nil
		send(t, d, lcnRequest(testEndpoint(srv.URL)))
		if len(timer.waits) != 2 {
			t.Fatalf("waits %v", timer.waits)
		}
		for i, w := range timer.waits {
			mid := 100 * time.Millisecond << i
			if w < mid/2 || w > mid*3/2 {
				t.Errorf("wait %d = %v, outside %v ± 50%%", i, w, mid)
			}
		}
	}
}

func TestDelivererNumbersAttempts(t *testing.T) {
	var seen []int
	next := SenderFunc(func(_ context.Context, req *Request) Outcome {
		seen = append(seen, req.Attempt)
		return Outcome{Result: Retry, Reason: ReasonStatus5xx, Status: 500, Attempts: 1}
	})
	timer := newRecordingTimer()
	q := QuickRetry{Attempts: 3, InitialInterval: time.Second, MaxInterval: time.Minute, Multiplier: 2}
	d := NewDeliverer(next, Options{Quick: q, NewTimer: func() backoff.Timer { return timer }})
	req := &Request{Endpoint: testEndpoint("http://example.com"), Attempt: 5}
	if o := send(t, d, req); o.Attempts != 3 || req.Attempt != 5 {
		t.Fatalf("attempts %d, request attempt %d", o.Attempts, req.Attempt)
	}
	if !slices.Equal(seen, []int{5, 6, 7}) {
		t.Errorf("tries numbered %v", seen)
	}
	if !slices.Equal(timer.waits, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("waits %v", timer.waits)
	}
}

func TestDelivererEndpointState(t *testing.T) {
	d := NewDeliverer(SenderFunc(func(context.Context, *Request) Outcome { return success }), Options{Breaker: BreakerConfig{Failures: 1}})
	ep := testEndpoint("http://example.com")
	ep.MaxConcurrency = 2
	g := d.guard(ep)
	if d.guard(ep) != g || g.limit.Cap() != 2 || g.breaker == nil {
		t.Fatal("endpoint state not kept")
	}
	same := *ep // an equal endpoint from a reloaded configuration
	if d.guard(&same) != g {
		t.Fatal("an equal endpoint got new state")
	}
	same.MaxConcurrency = 5
	if g2 := d.guard(&same); g2 == g || g2.limit.Cap() != 5 {
		t.Fatal("a new concurrency bound kept the old limiter")
	}
	moved := *ep
	moved.URL = "http://example.net"
	if d.guard(&moved) == d.guard(&same) {
		t.Fatal("a new URL shares the old state")
	}
}

func TestDelivererBreaker(t *testing.T) {
	var hits atomic.Int64
	var healthy atomic.Bool
	srv := newServer(t, counted(&hits, func(w http.ResponseWriter, r *http.Request) {
		if healthy.Load() {
			answer(200, lcnReceiptMD5)(w, r)
			return
		}
		answer(500, "")(w, r)
	}))
	clock := newManualClock()
	m, reg := testMetrics(t)
	d := NewDeliverer(NewClient(loopbackConfig()), Options{
		Quick:    QuickRetry{Attempts: 5},
		Breaker:  BreakerConfig{Failures: 3, OpenDuration: 30 * time.Second},
		Metrics:  m,
		Now:      clock.Now,
		NewTimer: func() backoff.Timer { return newRecordingTimer() },
	})
	ep := testEndpoint(srv.URL)
	o := send(t, d, lcnRequest(ep))
	if o.Reason != ReasonCircuitOpen || o.Result != Retry || o.Attempts != 3 || hits.Load() != 3 || o.RetryAfter != 30*time.Second {
		t.Fatalf("first round: %+v, hits %d", o, hits.Load())
	}
	if d.BreakerState(ep) != BreakerOpen {
		t.Fatalf("breaker %s", d.BreakerState(ep))
	}
	clock.Advance(10 * time.Second)
	o = send(t, d, lcnRequest(ep))
	if o.Reason != ReasonCircuitOpen || o.Attempts != 0 || hits.Load() != 3 || o.RetryAfter != 20*time.Second {
		t.Fatalf("while open: %+v, hits %d", o, hits.Load())
	}
	// Another endpoint of the same merchant is not affected.
	other := testEndpoint(srv.URL + "/other")
	other.Name = "other"
	healthy.Store(true)
	if o := send(t, d, lcnRequest(other)); o.Result != Delivered {
		t.Fatalf("other endpoint: %+v", o)
	}
	clock.Advance(20 * time.Second)
	if o := send(t, d, lcnRequest(ep)); o.Result != Delivered || o.Attempts != 1 {
		t.Fatalf("probe: %+v", o)
	}
	if d.BreakerState(ep) != BreakerClosed {
		t.Fatalf("breaker %s after a good probe", d.BreakerState(ep))
	}
	// Three failed requests and a good probe at main, one request at
	// other; the refused tries made no request. The breaker opened once
	// and is closed again.
	counted := map[string]float64{
		`lcngw_delivery_requests_total`:                                      5,
		`lcngw_delivery_requests_failed_total{reason="status_5xx"}`:          3,
		`lcngw_delivery_request_duration_seconds_count{outcome="failed"}`:    3,
		`lcngw_delivery_request_duration_seconds_count{outcome="delivered"}`: 2,
		`lcngw_delivery_circuit_opens_total`:                                 1,
		`lcngw_delivery_circuits_open`:                                       0,
	}
	for series, want := range counted {
		if got := metricValue(t, reg, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	d.Forget(ep)
	if d.BreakerState(ep) != BreakerClosed {
		t.Error("forgotten endpoint kept its breaker")
	}
}

func TestDelivererConcurrencyLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var inFlight, peak atomic.Int64
		next := SenderFunc(func(ctx context.Context, req *Request) Outcome {
			n := inFlight.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			<-release
			inFlight.Add(-1)
			return success
		})
		m, reg := testMetrics(t)
		d := NewDeliverer(next, Options{Metrics: m})
		ep := testEndpoint("http://example.com")
		ep.MaxConcurrency = 2
		var wg sync.WaitGroup
		var delivered atomic.Int64
		for range 6 {
			wg.Go(func() {
				if o := d.Send(t.Context(), &Request{Endpoint: ep}); o.Result == Delivered {
					delivered.Add(1)
				}
			})
		}
		synctest.Wait()
		if inFlight.Load() != 2 {
			t.Fatalf("%d in flight, want 2 (the rest waiting)", inFlight.Load())
		}
		close(release)
		wg.Wait()
		waits := metricValue(t, reg, `lcngw_delivery_slot_wait_seconds_count`)
		if delivered.Load() != 6 || peak.Load() != 2 || waits != 4 {
			t.Fatalf("delivered %d, peak %d, waits %v", delivered.Load(), peak.Load(), waits)
		}
		// A caller that gives up while waiting gets canceled, not dropped
		// silently.
		ep.MaxConcurrency = 1
		block := make(chan struct{})
		d2 := NewDeliverer(SenderFunc(func(context.Context, *Request) Outcome { <-block; return success }), Options{})
		go d2.Send(t.Context(), &Request{Endpoint: ep})
		synctest.Wait()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if o := d2.Send(ctx, &Request{Endpoint: ep}); o.Reason != ReasonCanceled || o.Attempts != 0 {
			t.Fatalf("waiting caller canceled: %+v", o)
		}
		close(block)
	})
}

func TestDelivererWaitsWithRealTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var at []time.Duration
		start := time.Now()
		next := SenderFunc(func(context.Context, *Request) Outcome {
			at = append(at, time.Since(start))
			return Outcome{Result: Retry, Reason: ReasonTimeout, Attempts: 1}
		})
		q := QuickRetry{Attempts: 3, InitialInterval: time.Second, MaxInterval: time.Minute, Multiplier: 3}
		d := NewDeliverer(next, Options{Quick: q})
		o := d.Send(t.Context(), &Request{Endpoint: testEndpoint("http://example.com")})
		if o.Attempts != 3 || o.Duration != 4*time.Second || !slices.Equal(at, []time.Duration{0, time.Second, 4 * time.Second}) {
			t.Fatalf("attempts %d at %v, round %v", o.Attempts, at, o.Duration)
		}
		// Canceled during a wait: the round ends with the last outcome.
		at = nil
		start = time.Now()
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		o = d.Send(ctx, &Request{Endpoint: testEndpoint("http://example.com")})
		if o.Attempts != 2 || o.Reason != ReasonTimeout || o.Duration != 2*time.Second {
			t.Fatalf("canceled round: %+v", o)
		}
	})
}

func TestDelivererBusyEndpoint(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var sent atomic.Int64
		next := SenderFunc(func(ctx context.Context, req *Request) Outcome {
			sent.Add(1)
			<-release
			return success
		})
		d := NewDeliverer(next, Options{Quick: QuickRetry{Attempts: 3},
			Breaker: BreakerConfig{Failures: 1, OpenDuration: time.Minute}})
		ep := testEndpoint("http://example.com")
		ep.MaxConcurrency, ep.MaxWaiting, ep.MaxSlotWait = 2, 1, time.Second
		var wg sync.WaitGroup
		deliver := func() {
			wg.Go(func() {
				if o := d.Send(t.Context(), &Request{Endpoint: ep}); o.Result != Delivered {
					t.Errorf("a try within the bounds: %+v", o)
				}
			})
			synctest.Wait()
		}
		deliver()
		deliver()
		// No slot frees up within MaxSlotWait: the try gives up, without a
		// request and without quick retries.
		start := time.Now()
		o := d.Send(t.Context(), &Request{Endpoint: ep, Attempt: 4})
		if o.Result != Retry || o.Reason != ReasonBusy || o.Attempts != 0 || !errors.Is(o.Err, ErrBusy) {
			t.Fatalf("busy endpoint: %+v", o)
		}
		if time.Since(start) != time.Second || sent.Load() != 2 {
			t.Fatalf("gave up after %v (want 1s), %d requests", time.Since(start), sent.Load())
		}
		// Saturated now: one try may wait, the next is refused at once.
		deliver()
		start = time.Now()
		if o := d.Send(t.Context(), &Request{Endpoint: ep}); o.Reason != ReasonBusy || time.Since(start) != 0 {
			t.Fatalf("beyond MaxWaiting while saturated: %+v after %v", o, time.Since(start))
		}
		if d.BreakerState(ep) != BreakerClosed {
			t.Fatal("a busy try opened the breaker")
		}
		close(release)
		wg.Wait()
		if sent.Load() != 3 {
			t.Fatalf("%d sent, want 3", sent.Load())
		}
	})
}
