package delivery

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestRegistrySweep: a sweep drops exactly the entries last used before
// the cutoff that report nothing in progress; a sweep is due once a
// period, to one caller.
func TestRegistrySweep(t *testing.T) {
	type state struct{ busy bool }
	var r registry[state]
	get := func(name string, now int64, busy bool) *state {
		return r.get(&Endpoint{Merchant: "M", Name: name, URL: "http://x/" + name}, now,
			func(*state) bool { return true }, func() *state { return &state{busy: busy} })
	}
	get("old", 100, false)
	get("old-busy", 100, true)
	get("recent", 100, false)
	get("recent", 200, false) // used again
	get("new", 250, false)
	if n := r.sweep(150, func(s *state) bool { return !s.busy }); n != 1 {
		t.Errorf("dropped %d, want 1", n)
	}
	var left int
	r.each(func(*state) { left++ })
	if left != 3 {
		t.Errorf("%d entries left, want 3 (old-busy, recent, new)", left)
	}
	if _, ok := r.load(&Endpoint{Merchant: "M", Name: "old", URL: "http://x/old"}); ok {
		t.Error("the unused entry is still there")
	}

	if r.sweepDue(1000, 60) {
		t.Error("a sweep is due before any period started")
	}
	if r.sweepDue(1059, 60) {
		t.Error("a sweep is due within the period")
	}
	if !r.sweepDue(1060, 60) || r.sweepDue(1060, 60) {
		t.Error("a due sweep must go to exactly one caller")
	}
}

// TestClientSweepsUnusedState: the targets of endpoints no request used
// since the cutoff go, and with them the origins no target uses; an
// origin a recent target shares stays, and a swept endpoint still works.
func TestClientSweepsUnusedState(t *testing.T) {
	one, two := receiptServer(t), receiptServer(t)
	c := NewClient(loopbackConfig())
	ctx := context.Background()
	old := testEndpoint(one)
	shared := testEndpoint(two)
	alsoTwo := &Endpoint{Merchant: "M2", Name: "main", URL: two + "/other", Key: vectorKey, Timeout: 5 * time.Second}
	for _, ep := range []*Endpoint{old, shared, alsoTwo} {
		if o := c.Send(ctx, lcnRequest(ep)); o.Result != Delivered {
			t.Fatalf("%s: %+v", ep.URL, o)
		}
	}
	if n := countOrigins(c); n != 2 {
		t.Fatalf("%d origins, want 2", n)
	}
	// old and shared unused since the cutoff; alsoTwo used after it
	c.targets.m.Range(func(k, v any) bool {
		if k.(endpointKey).url != alsoTwo.URL {
			v.(*entry[target]).used.Store(1)
		}
		return true
	})
	c.sweep(2)
	if _, ok := c.targets.load(old); ok {
		t.Error("the unused target stays")
	}
	if _, ok := c.targets.load(alsoTwo); !ok {
		t.Error("the recently used target is gone")
	}
	if n := countOrigins(c); n != 1 {
		t.Errorf("%d origins after the sweep, want 1 (the one a recent target shares)", n)
	}
	if o := c.Send(ctx, lcnRequest(old)); o.Result != Delivered {
		t.Fatalf("a swept endpoint no longer delivers: %+v", o)
	}
}

func countOrigins(c *Client) (n int) {
	c.origins.each(func(*origin) { n++ })
	return n
}

// TestDelivererSweepKeepsGuardsInUse: a sweep drops the guard of an
// unused endpoint, but not one whose slot is held or whose circuit is
// open.
func TestDelivererSweepKeepsGuardsInUse(t *testing.T) {
	now := time.Unix(10_000, 0)
	unused, held, tripped := testEndpoint("http://a.example/"), testEndpoint("http://b.example/"), testEndpoint("http://c.example/")
	held.MaxConcurrency = 1
	next := SenderFunc(func(_ context.Context, req *Request) Outcome {
		if req.Endpoint == tripped {
			return Outcome{Result: Retry, Reason: ReasonStatus5xx, Status: 500, Attempts: 1}
		}
		return Outcome{Result: Delivered, Status: 200, Attempts: 1}
	})
	d := NewDeliverer(next, Options{Breaker: BreakerConfig{Failures: 1, OpenDuration: 3 * time.Hour}, Now: func() time.Time { return now }})
	for _, ep := range []*Endpoint{unused, held, tripped} {
		d.Send(context.Background(), &Request{Endpoint: ep, Attempt: 1})
	}
	if !d.guard(held).limit.TryAcquire() {
		t.Fatal("no slot")
	}
	if d.BreakerState(tripped) != BreakerOpen {
		t.Fatalf("tripped's circuit is %v", d.BreakerState(tripped))
	}
	now = now.Add(2 * time.Hour)
	d.guard(testEndpoint("http://d.example/")) // the sweep is due
	if _, ok := d.guards.load(unused); ok {
		t.Error("the unused endpoint's guard stays")
	}
	if _, ok := d.guards.load(held); !ok {
		t.Error("a guard with a held slot is gone")
	}
	if _, ok := d.guards.load(tripped); !ok {
		t.Error("a guard with an open circuit is gone")
	}
}

// BenchmarkEndpointChurn sends once to each of b.N endpoints, every one on
// an origin of its own (a refused port), as merchants replacing their
// endpoints do, and reports the heap the Deliverer and Client keep per
// endpoint before and after the state is swept. An origin's pool is
// freed once its idle-connection cleaner has stopped, IdleConnTimeout
// after its last connection closed.
func BenchmarkEndpointChurn(b *testing.B) {
	cfg := loopbackConfig()
	cfg.IdleConnTimeout = 50 * time.Millisecond
	c := NewClient(cfg)
	d := NewDeliverer(c, Options{Breaker: BreakerConfig{Failures: 5}})
	before := heapInUse()
	i := 0
	for b.Loop() {
		ep := &Endpoint{Merchant: fmt.Sprint(i), Name: "main", Key: vectorKey, Timeout: time.Second,
			URL: fmt.Sprintf("http://127.%d.%d.%d:9/lcn", 1+i>>16&0xff, i>>8&0xff, i&0xff)}
		d.Send(context.Background(), &Request{Endpoint: ep, Body: []byte("x"), Attempt: 1})
		i++
	}
	b.StopTimer()
	kept := heapInUse()
	c.sweep(time.Now().Unix() + 1)
	d.guards.sweep(time.Now().Unix()+1, (*endpointGuard).idle)
	time.Sleep(4 * cfg.IdleConnTimeout)
	swept := heapInUse()
	b.ReportMetric(float64(kept-before)/float64(i), "B-kept/endpoint")
	b.ReportMetric(float64(swept-before)/float64(i), "B-after-sweep/endpoint")
}

func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}
