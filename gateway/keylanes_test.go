package gateway

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// TestKeyLanesOrderAndParallelism: records of one key run one at a time in
// dispatch order, records of other keys (or none) alongside them, and every
// goroutine exits after close.
func TestKeyLanesOrderAndParallelism(t *testing.T) {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		seen    = map[string][]int64{}
		running = map[string]int{}
		overlap atomic.Bool
		peak    atomic.Int64
		now     atomic.Int64
	)
	lanes := newKeyLanes(&wg, func(m *kafka.Message) {
		key := string(m.Key)
		mu.Lock()
		running[key]++
		if key != "" && running[key] > 1 {
			overlap.Store(true)
		}
		mu.Unlock()
		if n := now.Add(1); n > peak.Load() {
			peak.Store(n)
		}
		time.Sleep(time.Millisecond)
		now.Add(-1)
		mu.Lock()
		running[key]--
		seen[key] = append(seen[key], m.Offset)
		mu.Unlock()
	})
	const perKey = 20
	keys := []string{"a", "b", "c", ""}
	for i := range perKey {
		for j, key := range keys {
			lanes.dispatch(kafka.Message{Key: []byte(key), Offset: int64(i*len(keys) + j)})
		}
	}
	lanes.close()
	wg.Wait()
	if overlap.Load() {
		t.Error("two records of one key ran at once")
	}
	for j, key := range keys[:3] {
		want := make([]int64, perKey)
		for i := range want {
			want[i] = int64(i*len(keys) + j)
		}
		if !slices.Equal(seen[key], want) {
			t.Errorf("key %q ran %v, want %v", key, seen[key], want)
		}
	}
	if len(seen[""]) != perKey {
		t.Errorf("%d records without a key ran, want %d", len(seen[""]), perKey)
	}
	if peak.Load() < 2 {
		t.Error("no two keys ran in parallel")
	}
}

// TestKeyLanesReuseGoroutines: a goroutine that finished its key takes the
// next task instead of a new goroutine being started.
func TestKeyLanesReuseGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	lanes := newKeyLanes(&wg, func(*kafka.Message) { done <- struct{}{} })
	for i := range 50 {
		if i%2 == 0 {
			lanes.dispatch(kafka.Message{Key: fmt.Appendf(nil, "k%d", i)})
		} else {
			lanes.dispatch(kafka.Message{})
		}
		<-done
		waitIdle(t, lanes)
	}
	lanes.close()
	wg.Wait()
	if lanes.started != 1 {
		t.Errorf("%d goroutines started for 50 records run one after another, want 1", lanes.started)
	}
}

// waitIdle waits until the lanes' goroutine waits for a task again.
func waitIdle(t *testing.T, k *keyLanes) {
	deadline := time.Now().Add(10 * time.Second)
	for k.waiting.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the lanes' goroutine never went back to waiting")
		}
		time.Sleep(50 * time.Microsecond)
	}
	time.Sleep(time.Millisecond) // from counting itself waiting to receiving
}
