package admin_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/admin"
)

func get(t *testing.T, h http.Handler, method, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code, rec.Body.String()
}

func failing(msg string) admin.Check {
	return func(context.Context) error { return errors.New(msg) }
}

func passing(context.Context) error { return nil }

// TestEndpoints checks every route against a table of registered checks.
func TestEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "lcngw_test_total", Help: "A test counter."})
	reg.MustRegister(c)
	c.Add(3)
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	tests := []struct {
		name     string
		gatherer prometheus.Gatherer
		checks   map[string]admin.Check
		order    []string
		method   string
		path     string
		status   int
		body     string // exact, or prefix when ending in "…"
	}{
		{name: "livez", method: "GET", path: "/livez", status: 200, body: "ok\n"},
		{name: "livez HEAD", method: "HEAD", path: "/livez", status: 200},
		{name: "livez POST", method: "POST", path: "/livez", status: 405},
		{name: "readyz without checks", method: "GET", path: "/readyz", status: 200, body: "ok\n"},
		{name: "readyz all pass", checks: map[string]admin.Check{"kafka": passing, "store": passing},
			order: []string{"kafka", "store"}, method: "GET", path: "/readyz", status: 200, body: "ok\n"},
		{name: "readyz names failing checks in order, not their errors",
			checks: map[string]admin.Check{"kafka": failing("dial broker-secret:9092"), "store": passing, "merchants": failing("x")},
			order:  []string{"merchants", "kafka", "store"}, method: "GET", path: "/readyz", status: 503, body: "not ready: merchants, kafka\n"},
		{name: "readyz check timeout", checks: map[string]admin.Check{"slow": hang}, order: []string{"slow"},
			method: "GET", path: "/readyz", status: 503, body: "not ready: slow\n"},
		{name: "metrics", gatherer: reg, method: "GET", path: "/metrics", status: 200, body: "# HELP lcngw_test_total A test counter.…"},
		{name: "no gatherer, no metrics", method: "GET", path: "/metrics", status: 404},
		{name: "unknown path", method: "GET", path: "/", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := admin.New(admin.Config{Gatherer: tt.gatherer, CheckTimeout: 50 * time.Millisecond})
			for _, name := range tt.order {
				s.AddCheck(name, tt.checks[name])
			}
			status, body := get(t, s.Handler(), tt.method, tt.path)
			if status != tt.status {
				t.Errorf("status = %d, want %d (%q)", status, tt.status, body)
			}
			if prefix, ok := strings.CutSuffix(tt.body, "…"); ok {
				if !strings.HasPrefix(body, prefix) || !strings.Contains(body, "lcngw_test_total 3") {
					t.Errorf("body = %q", body)
				}
			} else if tt.body != "" && body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
		})
	}
}

// TestServeAndShutdown serves on a real loopback listener, then shuts down
// cleanly on cancellation; afterwards /readyz reports the shutdown.
func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := admin.New(admin.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/livez")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Fatalf("livez: %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("listener still accepting")
	}
	if status, body := get(t, s.Handler(), "GET", "/readyz"); status != 503 || body != "shutting down\n" {
		t.Errorf("readyz after shutdown: %d %q", status, body)
	}
}

// TestShutdownIsBounded: a request stuck in a check that ignores its
// context does not hold shutdown beyond ShutdownTimeout.
func TestShutdownIsBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	entered, unblock := make(chan struct{}), make(chan struct{})
	defer close(unblock)
	s := admin.New(admin.Config{ShutdownTimeout: 100 * time.Millisecond, CheckTimeout: time.Minute})
	s.AddCheck("stuck", func(context.Context) error { close(entered); <-unblock; return nil })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/readyz"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Serve = %v, want a shutdown deadline error", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("shutdown took %s", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown not bounded")
	}
}

func TestRunListenError(t *testing.T) {
	s := admin.New(admin.Config{Addr: "127.0.0.1:-1"})
	if err := s.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "admin: listen") {
		t.Errorf("Run = %v", err)
	}
}
