package hotpath

import (
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// referenceFields is the tuned sender's payload: the reference-sized
// 90-field notification of the machine's measurements.
func referenceFields() signer.Fields { return fixture.Notification90(1) }

// cpuNow returns the process's user+system CPU time. Benchmarks are
// compared in CPU time, not wall time: on a shared machine a descheduled
// benchmark loses wall time but no CPU time. Background GC work counts,
// as it should for a path that allocates.
func cpuNow(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// tunedSenderNs measures the CPU time of the tuned sender on fs: the form
// encoded and signed with all three HMACs into a reused buffer by a reused
// signer. It runs right after each benchmark, so both see the same machine
// (testing.Benchmark cannot run inside a benchmark); the median of 7
// rounds is used.
func tunedSenderNs(tb testing.TB, fs signer.Fields) float64 {
	s := signer.New(key)
	buf := s.AppendSignedForm(nil, fs, signer.AllAlgorithms)
	rounds := make([]float64, 7)
	for i := range rounds {
		const n = 2000
		start := cpuNow(tb)
		for range n {
			buf = s.AppendSignedForm(buf[:0], fs, signer.AllAlgorithms)
		}
		rounds[i] = float64(cpuNow(tb)-start) / n
	}
	slices.Sort(rounds)
	return rounds[len(rounds)/2]
}

// loop runs body b.N times and reports its CPU time per operation, also as
// a ratio to the tuned sender on the reference fields and, when same is
// not nil, to the tuned sender on the same fields as the body's (which
// leaves out the cost of a larger or smaller notification).
func loop(b *testing.B, same signer.Fields, body func()) {
	b.ReportAllocs()
	start := cpuNow(b)
	for b.Loop() {
		body()
	}
	perOp := float64(cpuNow(b)-start) / float64(b.N)
	b.ReportMetric(perOp/1e3, "cpu-µs/op")
	b.ReportMetric(perOp/tunedSenderNs(b, referenceFields()), "x-tuned-sender")
	if same != nil {
		b.ReportMetric(perOp/tunedSenderNs(b, same), "x-same-fields")
	}
}

// BenchmarkTunedSender is the reference itself.
func BenchmarkTunedSender(b *testing.B) {
	fs := referenceFields()
	s := signer.New(key)
	var buf []byte
	loop(b, nil, func() { buf = s.AppendSignedForm(buf[:0], fs, signer.AllAlgorithms) })
}

// BenchmarkEventToBody turns example events into their signed bodies as
// the gateway does for one endpoint: decode, validate, build with a
// merchant's builder (layout resolved once), encode and sign with all
// three algorithms into a reused body buffer. "full" fills every parameter (the IPN one carries
// three products); "new-order" is a one-product order.
func BenchmarkEventToBody(b *testing.B) {
	b.Run("lcn", func(b *testing.B) {
		builder, err := lcn.NewBuilder(lcn.Options{Location: param.DefaultLocation()})
		if err != nil {
			b.Fatal(err)
		}
		eventToBody(b, example(b, lcn.Example, lcn.DefaultExample), func(data []byte) (signer.Fields, error) {
			ev, err := lcn.Decode(data)
			if err != nil {
				return nil, err
			}
			if err := ev.Validate(); err != nil {
				return nil, err
			}
			return builder.Build(ev)
		})
	})
	for _, name := range []string{ipn.FullExample, "new-order"} {
		b.Run("ipn-"+name, func(b *testing.B) {
			builder := ipn.NewBuilder(ipn.Options{Location: param.DefaultLocation()})
			eventToBody(b, example(b, ipn.Example, name), func(data []byte) (signer.Fields, error) {
				ev, err := ipn.Decode(data)
				if err != nil {
					return nil, err
				}
				return builder.Build(ev)
			})
		})
	}
}

func eventToBody(b *testing.B, data []byte, build func([]byte) (signer.Fields, error)) {
	s := signer.New(key)
	same, err := build(data)
	if err != nil {
		b.Fatal(err)
	}
	var body []byte // reused, as the gateway reuses its signed bodies
	b.SetBytes(int64(len(data)))
	loop(b, same, func() {
		fs, err := build(data)
		if err != nil {
			b.Fatal(err)
		}
		if body, _ = s.SignForm(body[:0], fs, signer.AllAlgorithms); len(body) == 0 {
			b.Fatal("empty body")
		}
	})
}

func example(b *testing.B, get func(string) ([]byte, error), name string) []byte {
	data, err := get(name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// TestEventToBodyVerifies: the bodies the benchmark produces are complete
// notifications a receiver accepts.
func TestEventToBodyVerifies(t *testing.T) {
	data, err := lcn.Example(lcn.DefaultExample)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := lcn.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := lcn.Build(ev, lcn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := signer.New(key)
	body, sigs := s.SignForm(nil, fs, signer.AllAlgorithms)
	got, err := signer.ParseForm(body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Verify(got, signer.Policy{})
	if err != nil || res.Strongest != signer.SHA3256 {
		t.Fatalf("verify: %+v, %v", res, err)
	}
	if v, _ := got.Get(signer.FieldSHA3); v != sigs.Hex(signer.SHA3256) {
		t.Errorf("SHA3 signature %s, SignForm returned %s", v, sigs.Hex(signer.SHA3256))
	}
}
