package ipn

import (
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	data := mustExample(b, FullExample)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
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
