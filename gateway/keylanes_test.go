package gateway

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
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

// TestKeyQueue: records come out oldest first, and the front record stays
// where it is (a running record is read through it) however many are
// pushed behind it, whether the array grows or is replaced.
func TestKeyQueue(t *testing.T) {
	for _, pushes := range []int{0, 1, 2, 7, 40} {
		var q keyQueue
		var next, want int64
		q.push(kafka.Message{Offset: next})
		next++
		for q.len() > 0 {
			front := q.front()
			for range pushes {
				if next < 100 {
					q.push(kafka.Message{Offset: next})
					next++
				}
			}
			if front.Offset != want {
				t.Fatalf("%d pushes: front moved: offset %d, want %d", pushes, front.Offset, want)
			}
			q.pop()
			want++
		}
		if want != next {
			t.Errorf("%d pushes: %d records came out, %d went in", pushes, want, next)
		}
	}
}

// TestKeyLanesAllocations: once warm, dispatching and running a record,
// with a key or without, allocates nothing.
func TestKeyLanesAllocations(t *testing.T) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	lanes := newKeyLanes(&wg, func(*kafka.Message) { done <- struct{}{} })
	defer func() {
		lanes.close()
		wg.Wait()
	}()
	keys := [][]byte{[]byte("sub-1"), []byte("sub-2"), nil}
	i := 0
	one := func() {
		lanes.dispatch(kafka.Message{Key: keys[i%len(keys)], Offset: int64(i)})
		<-done
		i++
		for lanes.waiting.Load() == 0 { // the goroutine goes back to waiting
			runtime.Gosched()
		}
	}
	for range 10 {
		one()
	}
	if n := testing.AllocsPerRun(100, one); n > 0 {
		t.Errorf("%.1f allocations per record", n)
	}
}

// TestKeyLanesLatestIdleGoroutine: after a burst has started several
// goroutines, records that come one at a time all run on the goroutine
// that went idle last, the one whose stack is grown.
func TestKeyLanesLatestIdleGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	release := make(chan struct{})
	ran := make(chan uint64)
	lanes := newKeyLanes(&wg, func(m *kafka.Message) {
		if m.Offset < 0 {
			<-release // the burst: every record holds its goroutine
		}
		ran <- goroutineID()
	})
	const burst = 8
	for i := range burst {
		lanes.dispatch(kafka.Message{Key: fmt.Appendf(nil, "burst-%d", i), Offset: -1})
	}
	close(release)
	for range burst {
		<-ran
	}
	waitAll(t, lanes, burst)
	seen := map[uint64]bool{}
	for i := range 20 {
		lanes.dispatch(kafka.Message{Key: fmt.Appendf(nil, "k%d", i), Offset: int64(i)})
		seen[<-ran] = true
		waitAll(t, lanes, burst)
	}
	lanes.close()
	wg.Wait()
	if len(seen) != 1 {
		t.Errorf("20 records one after another ran on %d goroutines, want 1", len(seen))
	}
}

// waitAll waits until n of the lanes' goroutines wait for a task.
func waitAll(t *testing.T, k *keyLanes, n int32) {
	deadline := time.Now().Add(10 * time.Second)
	for k.waiting.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines wait for a task, want %d", k.waiting.Load(), n)
		}
		runtime.Gosched()
	}
}

// goroutineID returns the calling goroutine's number.
func goroutineID() uint64 {
	var buf [32]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.ParseUint(s[:strings.IndexByte(s, ' ')], 10, 64)
	return id
}

// BenchmarkKeyLanesAfterBurst runs records one at a time, each needing a
// deep stack as decoding and building do, after a burst started 64
// goroutines, with a garbage collection (which shrinks idle goroutines'
// stacks) every 50 records.
func BenchmarkKeyLanesAfterBurst(b *testing.B) {
	var wg sync.WaitGroup
	release := make(chan struct{})
	done := make(chan struct{})
	lanes := newKeyLanes(&wg, func(m *kafka.Message) {
		if m.Offset < 0 {
			<-release
		}
		deepStack(64)
		done <- struct{}{}
	})
	const burst = 64
	for i := range burst {
		lanes.dispatch(kafka.Message{Key: fmt.Appendf(nil, "burst-%d", i), Offset: -1})
	}
	close(release)
	for range burst {
		<-done
	}
	key := []byte("k")
	i := 0
	for b.Loop() {
		if i++; i%50 == 0 {
			runtime.GC()
		}
		lanes.dispatch(kafka.Message{Key: key, Offset: int64(i)})
		<-done
	}
	lanes.close()
	wg.Wait()
}

// deepStack uses about n×256 bytes of stack.
//
//go:noinline
func deepStack(n int) byte {
	var pad [256]byte
	pad[n%256] = byte(n)
	if n == 0 {
		return pad[0]
	}
	return deepStack(n-1) + pad[n%256]
}
