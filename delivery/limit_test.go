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
		l := NewLimiter(2)
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
		l := NewLimiter(1)
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
	l := NewLimiter(0)
	if l != nil || l.Cap() != 0 {
		t.Fatal("NewLimiter(0) is bounded")
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
	if NewLimiter(3).Cap() != 3 {
		t.Fatal("Cap")
	}
}
