package attemptlog

import (
	"context"
	"testing"

	"github.com/lcngw/lcngw/internal/cputime"

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

// BenchmarkRecordPaced records one attempt after every 20,000 rounds of
// busy work (about 10 µs, the pace of a gateway at flat out) and reports
// the process's CPU time per record: the work, the send, and the log
// goroutine's wake-ups, encoding and writing (discarded). The work costs
// the same in every version; compare cpu-ns/op against BenchmarkBusyWork.
func BenchmarkRecordPaced(b *testing.B) {
	l, err := New(Options{Writer: discardWriter{}})
	if err != nil {
		b.Fatal(err)
	}
	r := sampleRecord()
	b.ReportAllocs()
	stop := cputime.Report(b)
	for b.Loop() {
		l.Record(r)
		busyWork()
	}
	stop()
	l.Close(context.Background())
}

// BenchmarkBusyWork is BenchmarkRecordPaced's work alone.
func BenchmarkBusyWork(b *testing.B) {
	defer cputime.Report(b)()
	for b.Loop() {
		busyWork()
	}
}

var busySink uint64

func busyWork() {
	x := busySink
	for i := range 20000 {
		x = x*6364136223846793005 + uint64(i)
	}
	busySink = x
}
