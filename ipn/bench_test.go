package ipn

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/lcngw/lcngw/internal/cputime"
	"github.com/lcngw/lcngw/param"
)

// BenchmarkDecode decodes each example event.
func BenchmarkDecode(b *testing.B) {
	for _, name := range ExampleNames() {
		data := mustExample(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild builds the full example (two products with pricing
// options, every parameter) with the default layout.
func BenchmarkBuild(b *testing.B) {
	ev := event(b, FullExample)
	for b.Loop() {
		if _, err := Build(ev, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildSingleItem builds a one-product order with derived totals.
func BenchmarkBuildSingleItem(b *testing.B) {
	ev := event(b, "new-order")
	for b.Loop() {
		if _, err := Build(ev, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodePoison decodes the full example with 80,000 unknown
// members added at the top level, under the size limit. It must be
// rejected in at most 5 ms of CPU (cpu-ns/op).
func BenchmarkDecodePoison(b *testing.B) {
	data := mustExample(b, FullExample)
	var extra []byte
	for i := range 80_000 {
		extra = fmt.Appendf(extra, `"x%d":0,`, i)
	}
	i := bytes.IndexByte(data, '{') + 1
	data = slices.Concat(data[:i], extra, data[i:])
	if len(data) > param.MaxEventBytes {
		b.Fatalf("%d bytes", len(data))
	}
	b.SetBytes(int64(len(data)))
	defer cputime.Report(b)()
	for b.Loop() {
		if _, err := Decode(data); err == nil {
			b.Fatal("accepted")
		} else {
			_ = err.Error()
		}
	}
}
