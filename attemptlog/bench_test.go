package attemptlog

import (
	"context"
	"testing"

	"github.com/segmentio/kafka-go"
)

type discardWriter struct{}

func (discardWriter) WriteMessages(context.Context, ...kafka.Message) error { return nil }

// BenchmarkRecord is the cost the delivery path pays per attempt.
func BenchmarkRecord(b *testing.B) {
	l, err := New(Options{Writer: discardWriter{}})
	if err != nil {
		b.Fatal(err)
	}
	r := sampleRecord()
	b.ReportAllocs()
	for b.Loop() {
		l.Record(r)
	}
	l.Close(context.Background())
}

// BenchmarkAppendJSON is the encoding cost, paid by the writing goroutine.
func BenchmarkAppendJSON(b *testing.B) {
	r := sampleRecord()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendJSON(buf[:0])
	}
}
