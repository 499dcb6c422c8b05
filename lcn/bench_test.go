package lcn

import (
	"testing"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/templates"
)

func BenchmarkDecode(b *testing.B) {
	data, err := Example(DefaultExample)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	ev := mustDecode(b, DefaultExample)
	b.ReportAllocs()
	for b.Loop() {
		if err := ev.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	ev := mustDecode(b, DefaultExample)
	b.Run("default", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Build(ev, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("layout", func(b *testing.B) {
		layout := templates.Default(Catalogue)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Build(ev, Options{Layout: &layout}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("builder", func(b *testing.B) {
		layout := templates.Default(Catalogue)
		builder, err := NewBuilder(Options{Layout: &layout, Location: param.DefaultLocation()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := builder.Build(ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
