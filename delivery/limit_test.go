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
		l := NewLimiter(2, 0)
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
		l := NewLimiter(1, 0)
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
	l := NewLimiter(0, 0)
	if l != nil || l.Cap() != 0 {
		t.Fatal("NewLimiter(0, 0) is bounded")
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
	if NewLimiter(3, 0).Cap() != 3 {
		t.Fatal("Cap")
	}
}

func TestLimiterBoundsWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(1, 2)
		if err := l.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var got atomic.Int64
		for range 2 {
			wg.Go(func() {
				if err := l.Acquire(t.Context()); err != nil {
					t.Errorf("a waiter within the bound: %v", err)
					return
				}
				got.Add(1)
				l.Release()
			})
		}
		synctest.Wait()
		if l.Waiting() != 2 {
			t.Fatalf("%d waiting, want 2", l.Waiting())
		}
		// The queue is full: the next caller is refused at once, and its
		// refusal leaves the count of waiters as it was.
		for range 3 {
			if err := l.Acquire(t.Context()); !errors.Is(err, ErrBusy) {
				t.Fatalf("Acquire beyond the wait bound = %v, want ErrBusy", err)
			}
		}
		if l.Waiting() != 2 || l.InFlight() != 1 {
			t.Fatalf("after refusals: %d waiting, %d in flight", l.Waiting(), l.InFlight())
		}
		l.Release()
		wg.Wait()
		if got.Load() != 2 || l.Waiting() != 0 || l.InFlight() != 0 {
			t.Fatalf("waiters served %d, waiting %d, in flight %d", got.Load(), l.Waiting(), l.InFlight())
		}
		// With a free slot nobody waits, so the bound does not apply.
		if err := l.Acquire(t.Context()); err != nil {
			t.Fatalf("free slot refused: %v", err)
		}
		if l.MaxWaiting() != 2 || NewLimiter(1, -3).MaxWaiting() != 0 {
			t.Fatal("MaxWaiting")
		}
	})
}
