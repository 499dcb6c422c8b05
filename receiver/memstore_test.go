package receiver_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/receiver"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestMemoryStoreLifecycle walks one key through claim, release, commit
// and expiry.
func TestMemoryStoreLifecycle(t *testing.T) {
	clk := newClock()
	s := receiver.NewMemoryStore(receiver.MemoryStoreConfig{TTL: time.Hour, ClaimTTL: time.Minute, Now: clk.Now})
	ctx := t.Context()
	step := func(name string, want receiver.Status) {
		t.Helper()
		if got, err := s.Claim(ctx, "k"); err != nil || got != want {
			t.Fatalf("%s: Claim = %s, %v; want %s", name, got, err, want)
		}
	}
	step("first", receiver.StatusNew)
	step("while claimed", receiver.StatusPending)
	clk.Advance(time.Minute)
	step("claim expired", receiver.StatusNew)
	if err := s.Release(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	step("after release", receiver.StatusNew)
	if err := s.Commit(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	step("committed", receiver.StatusDone)
	if err := s.Release(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	step("release keeps done", receiver.StatusDone)
	clk.Advance(time.Hour - time.Second)
	step("before TTL", receiver.StatusDone)
	clk.Advance(time.Second)
	step("after TTL", receiver.StatusNew)
	if err := s.Commit(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, "other"); got != receiver.StatusDone {
		t.Errorf("commit without claim: %s", got)
	}
}

// TestMemoryStoreBounded: the store never holds more than MaxEntries keys
// and forgets the oldest first; expired keys are dropped as new ones come.
func TestMemoryStoreBounded(t *testing.T) {
	clk := newClock()
	s := receiver.NewMemoryStore(receiver.MemoryStoreConfig{TTL: time.Hour, MaxEntries: 100, Now: clk.Now})
	ctx := t.Context()
	for i := range 1000 {
		k := fmt.Sprint(i)
		if st, _ := s.Claim(ctx, k); st != receiver.StatusNew {
			t.Fatalf("key %d: %s", i, st)
		}
		if i%2 == 0 {
			_ = s.Commit(ctx, k)
		} else {
			_ = s.Release(ctx, k)
		}
		if s.Len() > 100 {
			t.Fatalf("Len = %d after %d keys", s.Len(), i+1)
		}
	}
	if st, _ := s.Claim(ctx, "998"); st != receiver.StatusDone {
		t.Errorf("recent key forgotten: %s", st)
	}
	if st, _ := s.Claim(ctx, "0"); st != receiver.StatusNew {
		t.Errorf("oldest key kept: %s", st)
	}
	clk.Advance(2 * time.Hour)
	_, _ = s.Claim(ctx, "fresh")
	if s.Len() != 1 {
		t.Errorf("expired keys kept: Len = %d", s.Len())
	}
}

// TestMemoryStoreConcurrentClaims: of many simultaneous claims on one key,
// exactly one wins.
func TestMemoryStoreConcurrentClaims(t *testing.T) {
	s := receiver.NewMemoryStore(receiver.MemoryStoreConfig{})
	for round := range 20 {
		key := fmt.Sprint("k", round)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if st, err := s.Claim(t.Context(), key); err == nil && st == receiver.StatusNew {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("round %d: %d winners", round, wins.Load())
		}
	}
}

func TestStatusString(t *testing.T) {
	for st, want := range map[receiver.Status]string{receiver.StatusNew: "new", receiver.StatusPending: "pending",
		receiver.StatusDone: "done", 9: "unknown"} {
		if st.String() != want {
			t.Errorf("%d = %q", st, st.String())
		}
	}
}
