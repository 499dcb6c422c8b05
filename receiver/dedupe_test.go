package receiver_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// TestDuplicateDeliveries: retries are acknowledged with a valid receipt
// and reach the application once; a failed attempt is not remembered.
func TestDuplicateDeliveries(t *testing.T) {
	body := sign(testKey, lcnFields("42"), signer.AllAlgorithms)
	tests := []struct {
		name     string
		cfg      func(*receiver.Config)
		app      []int // application status per call (0: success)
		statuses []int // response status per delivery
		calls    int
		dups     []bool // Notification.Duplicate per call
	}{
		{name: "retries acknowledged, handled once", app: []int{0},
			statuses: []int{200, 200, 200}, calls: 1, dups: []bool{false}},
		{name: "failure leaves the retry to be processed", app: []int{500, 503, 0},
			statuses: []int{500, 503, 200, 200, 200}, calls: 3, dups: []bool{false, false, false}},
		{name: "client error also not remembered", app: []int{400, 0},
			statuses: []int{400, 200, 200}, calls: 2, dups: []bool{false, false}},
		{name: "PassDuplicates hands retries on, marked", cfg: func(c *receiver.Config) { c.PassDuplicates = true }, app: []int{0, 0, 0},
			statuses: []int{200, 200, 200}, calls: 3, dups: []bool{false, true, true}},
		{name: "DisableDedupe", cfg: func(c *receiver.Config) {
			c.DisableDedupe, c.Store = true, receiver.NewMemoryStore(receiver.MemoryStoreConfig{})
		}, app: []int{0, 0, 0},
			statuses: []int{200, 200, 200}, calls: 3, dups: []bool{false, false, false}},
	}
	for _, a := range adapters() {
		for _, tt := range tests {
			t.Run(a.name+"/"+tt.name, func(t *testing.T) {
				cfg := receiver.Config{Secrets: [][]byte{testKey}}
				if tt.cfg != nil {
					tt.cfg(&cfg)
				}
				var dups []bool
				do := a.build(cfg, func(n *receiver.Notification) int {
					dups = append(dups, n.Duplicate)
					return tt.app[len(dups)-1]
				})
				for i, want := range tt.statuses {
					resp := do(post(body))
					if resp.status != want || hasReceipt(resp.body) != (want == 200) {
						t.Fatalf("delivery %d: status %d body %q, want %d", i, resp.status, resp.body, want)
					}
					if want == 200 {
						if _, err := signer.New(testKey).CheckReceipt([]byte(resp.body), signer.KindLCN, lcnFields("42"), signer.AllAlgorithms); err != nil {
							t.Errorf("delivery %d: %v", i, err)
						}
					}
				}
				if len(dups) != tt.calls || !equalBools(dups, tt.dups) {
					t.Errorf("application saw duplicates %v, want %v", dups, tt.dups)
				}
			})
		}
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDedupeKey: kind, vendor and MESSAGE_ID together identify a
// notification; without MESSAGE_ID nothing is deduplicated.
func TestDedupeKey(t *testing.T) {
	ipn, err := signer.ParseForm([]byte(d5Body + "&VENDOR_CODE=250111206876&MESSAGE_ID=42"))
	if err != nil {
		t.Fatal(err)
	}
	bodies := [][]byte{
		sign(testKey, lcnFields("42"), signer.AllAlgorithms),
		sign(testKey, lcnFields("43"), signer.AllAlgorithms),
		sign(testKey, withField(lcnFields("42"), "VENDOR_CODE", "111"), signer.AllAlgorithms),
		sign(testKey, ipn, signer.AllAlgorithms), // same vendor and MESSAGE_ID, other kind
	}
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			calls := 0
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(*receiver.Notification) int { calls++; return 0 })
			for range 2 {
				for _, b := range bodies {
					do(post(b))
				}
			}
			if calls != len(bodies) {
				t.Errorf("%d calls, want %d", calls, len(bodies))
			}
			calls = 0
			noID := sign(testKey, without(lcnFields(""), "MESSAGE_ID"), signer.AllAlgorithms)
			do(post(noID))
			do(post(noID))
			if calls != 2 {
				t.Errorf("without MESSAGE_ID: %d calls, want 2", calls)
			}
		})
	}
	if receiver.DedupeKey(signer.KindLCN, "V", "") != "" {
		t.Error("DedupeKey without MESSAGE_ID is not empty")
	}
	if receiver.DedupeKey(signer.KindLCN, "V1", "2") == receiver.DedupeKey(signer.KindLCN, "V", "12") {
		t.Error("DedupeKey is ambiguous")
	}
}

// TestConcurrentRetryWhileHandling: a retry that arrives while the first
// attempt is still running gets 409 and no receipt; once the first attempt
// succeeded, the next retry is acknowledged.
func TestConcurrentRetryWhileHandling(t *testing.T) {
	body := sign(testKey, lcnFields("77"), signer.AllAlgorithms)
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			entered, release := make(chan struct{}), make(chan struct{})
			var mu sync.Mutex
			calls := 0
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(*receiver.Notification) int {
				mu.Lock()
				calls++
				mu.Unlock()
				close(entered)
				<-release
				return 0
			})
			first := make(chan response)
			go func() { first <- do(post(body)) }()
			<-entered
			if r := do(post(body)); r.status != 409 || hasReceipt(r.body) {
				t.Errorf("concurrent retry: %d %q", r.status, r.body)
			}
			close(release)
			if r := <-first; r.status != 200 || !hasReceipt(r.body) {
				t.Errorf("first attempt: %d %q", r.status, r.body)
			}
			if r := do(post(body)); r.status != 200 || !hasReceipt(r.body) {
				t.Errorf("later retry: %d %q", r.status, r.body)
			}
			if calls != 1 {
				t.Errorf("%d calls", calls)
			}
		})
	}
}

// storeFuncs is a Store built from functions.
type storeFuncs struct {
	claim           func(string) (receiver.Status, error)
	commit, release func(string) error
}

func (s storeFuncs) Claim(_ context.Context, k string) (receiver.Status, error) { return s.claim(k) }
func (s storeFuncs) Commit(_ context.Context, k string) error                   { return s.commit(k) }
func (s storeFuncs) Release(_ context.Context, k string) error                  { return s.release(k) }

// TestStoreFailures: a failing Claim refuses the request (503, the
// platform retries); a failing Commit is logged but the receipt is sent.
func TestStoreFailures(t *testing.T) {
	body := sign(testKey, lcnFields("5"), signer.AllAlgorithms)
	boom := errors.New("store down")
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			calls := 0
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}, Store: storeFuncs{
				claim: func(string) (receiver.Status, error) { return 0, boom },
			}}, func(*receiver.Notification) int { calls++; return 0 })
			if r := do(post(body)); r.status != 503 || r.body != "duplicate check unavailable" || calls != 0 {
				t.Errorf("claim failure: %d %q, %d calls", r.status, r.body, calls)
			}
			do = a.build(receiver.Config{Secrets: [][]byte{testKey}, Store: storeFuncs{
				claim:  func(string) (receiver.Status, error) { return receiver.StatusNew, nil },
				commit: func(string) error { return boom },
			}}, func(*receiver.Notification) int { calls++; return 0 })
			if r := do(post(body)); r.status != 200 || !hasReceipt(r.body) || calls != 1 {
				t.Errorf("commit failure: %d %q, %d calls", r.status, r.body, calls)
			}
		})
	}
}

// TestPanicReleasesClaim: a panicking application does not mark the
// notification handled.
func TestPanicReleasesClaim(t *testing.T) {
	body := sign(testKey, lcnFields("9"), signer.AllAlgorithms)
	store := receiver.NewMemoryStore(receiver.MemoryStoreConfig{})
	calls := 0
	app := func() {
		calls++
		if calls == 1 {
			panic("application bug")
		}
	}
	t.Run("nethttp", func(t *testing.T) {
		h := receiver.Middleware(receiver.Config{Secrets: [][]byte{testKey}, Store: store})(
			http.HandlerFunc(func(http.ResponseWriter, *http.Request) { app() }))
		func() {
			defer func() { _ = recover() }()
			h.ServeHTTP(httptest.NewRecorder(), post(body))
		}()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post(body))
		if rec.Code != 200 || !hasReceipt(rec.Body.String()) || calls != 2 {
			t.Errorf("retry after panic: %d %q, %d calls", rec.Code, rec.Body, calls)
		}
	})
	calls = 0
	t.Run("fiber", func(t *testing.T) {
		f := fiber.New(fiber.Config{DisableStartupMessage: true})
		f.Use(fiberrecover.New())
		f.Post("/webhook", receiver.New(receiver.Config{Secrets: [][]byte{testKey}}), func(*fiber.Ctx) error { app(); return nil })
		for i, want := range []int{500, 200, 200} {
			resp, err := f.Test(post(body), -1)
			if err != nil {
				t.Fatal(err)
			}
			if r := readResponse(resp); r.status != want || hasReceipt(r.body) != (want == 200) {
				t.Errorf("delivery %d: %d %q", i, r.status, r.body)
			}
		}
		if calls != 2 {
			t.Errorf("%d calls", calls)
		}
	})
}
