package gateway

import (
	"math/rand/v2"
	"sync"
	"testing"
)

func TestWatermarkOutOfOrder(t *testing.T) {
	tests := []struct {
		name    string
		start   int64
		added   []int64
		done    []int64
		want    int64
		pending int
	}{
		{"nothing fetched", 10, nil, nil, 10, 0},
		{"fetched, none done", 10, []int64{10, 11, 12}, nil, 10, 3},
		{"head done", 10, []int64{10, 11, 12}, []int64{10}, 11, 2},
		{"later done first", 10, []int64{10, 11, 12}, []int64{12, 11}, 10, 1},
		{"gap filled", 10, []int64{10, 11, 12}, []int64{12, 11, 10}, 13, 0},
		{"middle missing", 0, []int64{0, 1, 2, 3, 4}, []int64{0, 1, 3, 4}, 2, 1},
		{"offset gaps (compaction)", 100, []int64{100, 105, 107}, []int64{105, 100}, 107, 1},
		{"all done with gaps", 100, []int64{100, 105, 107}, []int64{107, 105, 100}, 108, 0},
		{"first fetch past start", 5, []int64{9, 10}, []int64{9}, 10, 1},
		{"unknown start", -2, nil, nil, -2, 0},
		{"unknown start, one done", -2, []int64{0}, []int64{0}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWatermark(tt.start)
			for _, o := range tt.added {
				if !w.Add(o) {
					t.Fatalf("Add(%d) refused", o)
				}
			}
			for _, o := range tt.done {
				if !w.Done(o) {
					t.Fatalf("Done(%d) refused", o)
				}
			}
			if got := w.Committable(); got != tt.want {
				t.Errorf("Committable() = %d, want %d", got, tt.want)
			}
			if got := w.InFlight(); got != tt.pending {
				t.Errorf("InFlight() = %d, want %d", got, tt.pending)
			}
		})
	}
}

func TestWatermarkRejects(t *testing.T) {
	w := NewWatermark(0)
	w.Add(0)
	w.Add(1)
	if w.Add(1) || w.Add(0) {
		t.Error("Add accepted an offset already added")
	}
	if w.Done(7) {
		t.Error("Done accepted an offset never added")
	}
	if !w.Done(1) || w.Done(1) {
		t.Error("Done(1) must succeed once and only once")
	}
	w.Done(0)
	if w.Done(0) {
		t.Error("Done accepted an offset already committed past")
	}
	if got := w.Committable(); got != 2 {
		t.Errorf("Committable() = %d, want 2", got)
	}
}

// TestWatermarkRandomOrder completes offsets in random order from many
// goroutines and checks the watermark never passes an unfinished offset.
func TestWatermarkRandomOrder(t *testing.T) {
	const n = 2000
	w := NewWatermark(0)
	for i := range int64(n) {
		w.Add(i)
	}
	order := rand.Perm(n)
	var mu sync.Mutex
	finished := make([]bool, n)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < n; i += 8 {
				o := int64(order[i])
				mu.Lock()
				finished[o] = true
				mu.Unlock()
				w.Done(o)
				c := w.Committable()
				mu.Lock()
				for j := range c {
					if !finished[j] {
						t.Errorf("watermark %d passes unfinished offset %d", c, j)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got := w.Committable(); got != n {
		t.Errorf("Committable() = %d after all done, want %d", got, n)
	}
}
