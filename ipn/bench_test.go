package ipn

import (
	"testing"
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
