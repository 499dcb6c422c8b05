package delivery

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestOriginSharesConnections: endpoints on one origin (different
// merchants, different paths) share its keep-alive connections; an
// endpoint on another origin has its own.
func TestOriginSharesConnections(t *testing.T) {
	a := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	b := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	c := NewClient(loopbackConfig())
	eps := []*Endpoint{
		{Merchant: "M1", Name: "lcn", URL: a.url() + "/m1/lcn", Key: vectorKey},
		{Merchant: "M2", Name: "lcn", URL: a.url() + "/m2/lcn?token=x", Key: vectorKey},
		{Merchant: "M3", Name: "ipn", URL: b.url() + "/m3/ipn", Key: vectorKey},
	}
	for range 3 {
		for _, ep := range eps {
			if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
				t.Fatalf("%s: %+v", ep.label(), o)
			}
		}
	}
	if n, conns := a.posts(), a.conns.Load(); n != 6 || conns != 1 {
		t.Errorf("origin a read %d requests on %d connections, want 6 on 1", n, conns)
	}
	if n, conns := b.posts(), b.conns.Load(); n != 3 || conns != 1 {
		t.Errorf("origin b read %d requests on %d connections, want 3 on 1", n, conns)
	}
}

// TestIdleBoundPerOrigin: once a burst is answered, at most
// MaxIdleConnsPerOrigin of its connections stay open; the rest are closed
// and the ones kept are reused.
func TestIdleBoundPerOrigin(t *testing.T) {
	const burst, keep = 6, 2
	var arrived atomic.Int64
	all := make(chan struct{})
	srv := newRawServer(t, func(int, *http.Request) (string, bool) {
		if arrived.Add(1) == burst {
			close(all)
		}
		<-all // the burst's requests are all in flight at once
		return ok, false
	})
	cfg := loopbackConfig()
	cfg.MaxIdleConnsPerOrigin = keep
	c := NewClient(cfg)
	var wg sync.WaitGroup
	for i := range burst {
		ep := &Endpoint{Merchant: "M", Name: string(rune('a' + i)), URL: srv.url() + "/" + string(rune('a'+i)), Key: vectorKey, Timeout: 10 * time.Second}
		wg.Go(func() {
			if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
				t.Errorf("outcome %+v", o)
			}
		})
	}
	wg.Wait()
	waitFor(t, "surplus connections closed", func() bool { return srv.closed.Load() == burst-keep })
	for range 2 * keep {
		if o := send(t, c, lcnRequest(testEndpoint(srv.url()))); o.Result != Delivered {
			t.Fatalf("outcome %+v", o)
		}
	}
	if conns := srv.conns.Load(); conns != burst {
		t.Errorf("%d connections, want the burst's %d reused", conns, burst)
	}
}

// TestIdleBoundOverOrigins: MaxIdleConns bounds the idle connections over
// all origins: with a bound of one, the second origin's connection is
// closed once answered while the first origin's stays and is reused.
func TestIdleBoundOverOrigins(t *testing.T) {
	a := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	b := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	cfg := loopbackConfig()
	cfg.MaxIdleConns = 1
	c := NewClient(cfg)
	for i, ep := range []*Endpoint{testEndpoint(a.url()), testEndpoint(b.url() + "/b"), testEndpoint(b.url() + "/b"), testEndpoint(a.url())} {
		if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
			t.Fatalf("send %d: %+v", i, o)
		}
	}
	waitFor(t, "origin b's connections closed", func() bool { return b.closed.Load() == 2 })
	if n, conns, closed := a.posts(), a.conns.Load(), a.closed.Load(); n != 2 || conns != 1 || closed != 0 {
		t.Errorf("origin a: %d requests on %d connections, %d closed; want 2 on 1, none closed", n, conns, closed)
	}
	if n, conns := b.posts(), b.conns.Load(); n != 2 || conns != 2 {
		t.Errorf("origin b: %d requests on %d connections, want 2 on 2", n, conns)
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// bound (a hang, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 10s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
