package lcn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/lcngw/lcngw/internal/cputime"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/templates"
)

// BenchmarkDecode decodes each example event.
func BenchmarkDecode(b *testing.B) {
	for _, name := range ExampleNames() {
		data, err := Example(name)
		if err != nil {
			b.Fatal(err)
		}
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
		layout := templates.Default(Catalogue())
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Build(ev, Options{Layout: &layout}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("builder", func(b *testing.B) {
		layout := templates.Default(Catalogue())
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

// BenchmarkDecodePoison decodes the default example with 80,000 unknown
// members added at the top level: about 870 KB, under the size limit. It
// must be rejected in at most 5 ms of CPU (cpu-ns/op).
func BenchmarkDecodePoison(b *testing.B) {
	data := poisonEvent(b, 80_000)
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

// BenchmarkJudgeLongArray decodes and validates the full example with
// 200,000 one-letter changed attributes: about 800 KB, under the size
// limit, rejected at the array's 65th element (cpu-ns/op).
func BenchmarkJudgeLongArray(b *testing.B) {
	ev := mustDecode(b, "full")
	ev.Origin.ChangedAttributes = slices.Repeat(Attributes{"a"}, 200_000)
	data, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	defer cputime.Report(b)()
	for b.Loop() {
		ev, err := Decode(data)
		if err == nil {
			err = ev.Validate()
		}
		if err == nil {
			b.Fatal("accepted")
		}
		_ = err.Error()
	}
}

// poisonEvent is the default example with n unknown members added.
func poisonEvent(tb testing.TB, n int) []byte {
	tb.Helper()
	data, err := Example(DefaultExample)
	if err != nil {
		tb.Fatal(err)
	}
	var extra []byte
	for i := range n {
		extra = fmt.Appendf(extra, `"x%d":0,`, i)
	}
	i := bytes.IndexByte(data, '{') + 1
	return slices.Concat(data[:i], extra, data[i:])
}
