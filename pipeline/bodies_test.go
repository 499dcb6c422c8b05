package pipeline

import (
	"slices"
	"sync"
	"testing"
)

// TestBodyPoolReusable: the buffers of an event's notifications go back
// once each, unless one notification's body went to the Kafka writer or
// a buffer grew too large to keep.
func TestBodyPoolReusable(t *testing.T) {
	small := func() *[]byte { b := make([]byte, 10, 100); return &b }
	large := make([]byte, 0, maxPooledBody+1)
	a, b := small(), small()
	tests := []struct {
		name string
		ns   []notification
		want []*[]byte
	}{
		{"one delivered", []notification{{buf: a}}, []*[]byte{a}},
		{"shared buffer back once", []notification{{buf: a}, {buf: a}, {buf: b}}, []*[]byte{a, b}},
		{"one kept keeps all", []notification{{buf: a}, {buf: b, kept: true}}, nil},
		{"too large", []notification{{buf: &large}}, nil},
		{"no buffer", []notification{{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slices.Collect(reusable(tt.ns)); !slices.Equal(got, tt.want) {
				t.Errorf("reusable buffers %p, want %p", got, tt.want)
			}
		})
	}
}

// TestBodyPoolGet: a recycled buffer comes back empty, its capacity kept.
func TestBodyPoolGet(t *testing.T) {
	var p bodyPool
	buf := p.get()
	*buf = append(*buf, "A=1&B=2"...)
	p.recycle([]notification{{buf: buf}})
	for range 100 { // sync.Pool may drop an item, notably under the race detector
		got := p.get()
		if len(*got) != 0 {
			t.Fatalf("a buffer came back holding %q", *got)
		}
		if got == buf {
			return
		}
		p.recycle([]notification{{buf: buf}})
	}
	t.Error("the recycled buffer never came back")
}

// TestBodyPoolSharedBufferHandedOver: once a buffer shared by several
// notifications is back in the pool, another event may take it at once;
// recycling must not touch it after handing it over (go test -race).
func TestBodyPoolSharedBufferHandedOver(t *testing.T) {
	var p bodyPool
	var wg sync.WaitGroup
	for range 200 {
		buf := p.get()
		*buf = append(*buf, "A=1"...)
		ns := []notification{{buf: buf}, {buf: buf}, {buf: buf}}
		wg.Go(func() { p.recycle(ns) })
		wg.Go(func() {
			for range 10 {
				b := p.get()
				*b = append(*b, "B=2"...)
				p.recycle([]notification{{buf: b}})
			}
		})
		wg.Wait()
	}
}
