package delivery

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestLimiterBackPressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(2, 0, 0)
		var order []int
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := func(i int) {
			wg.Go(func() {
				if err := l.Acquire(t.Context()); err != nil {
					t.Errorf("acquire %d: %v", i, err)
					return
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			})
			synctest.Wait() // i has its slot or is queued before i+1 starts
		}
		for i := range 5 {
			start(i)
		}
		if l.InFlight() != 2 || len(order) != 2 {
			t.Fatalf("in flight %d, acquired %v; want 2", l.InFlight(), order)
		}
		for want := 3; want <= 5; want++ {
			l.Release()
			synctest.Wait()
			if len(order) != want || l.InFlight() != 2 {
				t.Fatalf("after a release: acquired %v, in flight %d", order, l.InFlight())
			}
		}
		wg.Wait()
		for i, got := range order {
			if got != i {
				t.Fatalf("slots taken in order %v, want arrival order", order)
			}
		}
		if l.TryAcquire() {
			t.Fatal("TryAcquire succeeded on a full limiter")
		}
		l.Release()
		if !l.TryAcquire() {
			t.Fatal("TryAcquire failed with a free slot")
		}
	})
}

func TestLimiterHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(1, 0, 0)
		if err := l.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
		cause := errors.New("shutting down")
		ctx, cancel := context.WithTimeoutCause(t.Context(), time.Minute, cause)
		defer cancel()
		start := time.Now()
		err := l.Acquire(ctx)
		if !errors.Is(err, cause) || time.Since(start) != time.Minute {
			t.Fatalf("Acquire = %v after %v", err, time.Since(start))
		}
		if l.InFlight() != 1 {
			t.Fatalf("a failed Acquire took a slot")
		}
	})
}

func TestLimiterUnbounded(t *testing.T) {
	l := NewLimiter(0, 0, 0)
	if l != nil || l.Cap() != 0 {
		t.Fatal("NewLimiter(0, 0, 0) is bounded")
	}
	var n atomic.Int64
	for range 1000 {
		if err := l.Acquire(context.Background()); err != nil || !l.TryAcquire() {
			t.Fatal("unbounded limiter refused")
		}
		n.Add(1)
	}
	l.Release()
	if l.InFlight() != 0 || n.Load() != 1000 {
		t.Fatal("unbounded limiter counts")
	}
	if NewLimiter(3, 0, 0).Cap() != 3 {
		t.Fatal("Cap")
	}
}

func TestLimiterWaitsWithoutRefusingWhileItKeepsUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(1, 2, time.Second)
		if err := l.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Ten waiters, more than the bound on waiters: the endpoint is not
		// saturated, so they all wait, and each gets a slot within the
		// wait bound as the one before releases it.
		var wg sync.WaitGroup
		var served atomic.Int64
		for range 10 {
			wg.Go(func() {
				if err := l.Acquire(t.Context()); err != nil {
					t.Errorf("a waiter of an endpoint that keeps up: %v", err)
					return
				}
				time.Sleep(50 * time.Millisecond)
				served.Add(1)
				l.Release()
			})
		}
		synctest.Wait()
		if l.Waiting() != 10 || l.Saturated() {
			t.Fatalf("%d waiting (want 10), saturated %v", l.Waiting(), l.Saturated())
		}
		time.Sleep(100 * time.Millisecond)
		l.Release()
		wg.Wait()
		if served.Load() != 10 || l.Saturated() || l.InFlight() != 0 {
			t.Fatalf("served %d, saturated %v, in flight %d", served.Load(), l.Saturated(), l.InFlight())
		}
	})
}

func TestLimiterRefusesWhileSaturated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(1, 2, time.Second)
		if err := l.Acquire(t.Context()); err != nil { // held throughout
			t.Fatal(err)
		}
		// A lone waiter gives up after the wait bound and marks the
		// endpoint saturated for as long again.
		start := time.Now()
		if err := l.Acquire(t.Context()); !errors.Is(err, ErrBusy) || time.Since(start) != time.Second {
			t.Fatalf("Acquire = %v after %v, want ErrBusy after 1s", err, time.Since(start))
		}
		if !l.Saturated() {
			t.Fatal("not saturated after a waiter gave up")
		}
		// While saturated, two may wait and the third is refused at once.
		var wg sync.WaitGroup
		var busy atomic.Int64
		for range 2 {
			wg.Go(func() {
				if err := l.Acquire(t.Context()); errors.Is(err, ErrBusy) {
					busy.Add(1)
				}
			})
		}
		synctest.Wait()
		start = time.Now()
		if err := l.Acquire(t.Context()); !errors.Is(err, ErrBusy) || time.Since(start) != 0 {
			t.Fatalf("third waiter while saturated: %v after %v, want ErrBusy at once", err, time.Since(start))
		}
		if l.Waiting() != 2 {
			t.Fatalf("%d waiting after a refusal, want 2", l.Waiting())
		}
		wg.Wait() // both give up after their own wait bound
		if busy.Load() != 2 {
			t.Fatalf("%d of the 2 waiters gave up", busy.Load())
		}
		// Saturation ends one wait bound after the last waiter gave up;
		// then waiters beyond the bound wait again.
		time.Sleep(time.Second)
		if l.Saturated() {
			t.Fatal("still saturated one wait bound after the last give-up")
		}
		for range 3 {
			wg.Go(func() { _ = l.Acquire(t.Context()) })
		}
		synctest.Wait()
		if l.Waiting() != 3 {
			t.Fatalf("%d waiting once no longer saturated, want 3", l.Waiting())
		}
		l.Release()
		synctest.Wait()
		if l.Waiting() != 2 || l.InFlight() != 1 {
			t.Fatalf("after a release: %d waiting, %d in flight", l.Waiting(), l.InFlight())
		}
		wg.Wait()
	})
}
