package param

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/internal/cputime"
)

// adversarialEvents are documents of at most MaxEventBytes shaped to make
// a decoder or its problem report slow or large.
func adversarialEvents() []struct {
	name string
	data []byte
} {
	return []struct {
		name string
		data []byte
	}{
		{"unknown keys 80k", manyKeys(80_000, "x%d")},
		{"short unknown keys 170k", manyKeys(170_000, "t")},
		{"duplicate keys 80k", manyKeys(80_000, "name")},
		{"map keys 80k", wrapped(`{"tags":`, manyKeys(80_000, "k%d"), `}`)},
		{"deep nesting", deepNesting(MaxEventBytes/2 - 16)},
		{"deep unknown nesting", unknownNesting(MaxEventBytes/8 - 16)},
		{"huge string", wrapped(`{"name":"`, bytes.Repeat([]byte("a"), MaxEventBytes-16), `"}`)},
		{"dense escapes", wrapped(`{"name":"`, bytes.Repeat([]byte(`\u00e9\n`), (MaxEventBytes-16)/8), `"}`)},
		{"escaped unknown keys", escapedKeys(40_000)},
		{"long number", wrapped(`{"inner":{"level":`, bytes.Repeat([]byte("9"), MaxEventBytes-32), `}}`)},
		{"many nulls", wrapped(`{"items":[`, bytes.Repeat([]byte("null,"), (MaxEventBytes-32)/5), `null]}`)},
	}
}

// manyKeys is an object of n members named by format ("%d" takes the index).
func manyKeys(n int, format string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strings.ReplaceAll(format, "%d", strconv.Itoa(i)) + `":0`)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func escapedKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"\u0078\u0079` + strconv.Itoa(i) + `":1`)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func deepNesting(depth int) []byte {
	return wrapped(`{"tags":`, append(bytes.Repeat([]byte("["), depth), bytes.Repeat([]byte("]"), depth)...), `}`)
}

func unknownNesting(depth int) []byte {
	return append(bytes.Repeat([]byte(`{"a":`), depth), append([]byte("1"), bytes.Repeat([]byte("}"), depth)...)...)
}

func wrapped(head string, body []byte, tail string) []byte {
	return append(append([]byte(head), body...), tail...)
}

// TestAdversarialEventsBounded: every adversarial document is within the
// size limit, and one rejected gets a bounded report.
func TestAdversarialEventsBounded(t *testing.T) {
	c := NewDecoder(&memberDoc{})
	for _, ev := range adversarialEvents() {
		t.Run(ev.name, func(t *testing.T) {
			if len(ev.data) > MaxEventBytes {
				t.Fatalf("%d bytes, over the limit", len(ev.data))
			}
			var v memberDoc
			probs, more := c.Decode(ev.data, &v).List()
			err := CollectMore("test", probs, more)
			if err == nil {
				return
			}
			if n := len(err.Error()); n > 4096 {
				t.Errorf("error text of %d bytes", n)
			}
		})
	}
}

// BenchmarkDecodeAdversarial decodes documents shaped to be slow; each must
// be decided in at most 5 ms of CPU. Besides wall time it reports the
// process's CPU time per document (cpu-ns/op, garbage collection
// included), which a busy machine inflates less.
func BenchmarkDecodeAdversarial(b *testing.B) {
	c := NewDecoder(&memberDoc{})
	for _, ev := range adversarialEvents() {
		b.Run(strings.ReplaceAll(ev.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(ev.data)))
			defer cputime.Report(b)()
			for b.Loop() {
				var v memberDoc
				probs, more := c.Decode(ev.data, &v).List()
				if err := CollectMore("test", probs, more); err != nil {
					_ = err.Error()
				}
			}
		})
	}
}

// TestErrorBounded: an error keeps MaxProblems problems and counts the
// rest.
func TestErrorBounded(t *testing.T) {
	probs := make([]Problem, MaxProblems+5)
	for i := range probs {
		probs[i] = Problem{Field: "f" + strconv.Itoa(i), Reason: ReasonUnknownField, Detail: "not a field of the schema"}
	}
	err := Collect("test", probs).(*Error)
	if len(err.Problems) != MaxProblems || err.More != 5 {
		t.Fatalf("%d problems and %d more", len(err.Problems), err.More)
	}
	text := err.Error()
	if !strings.Contains(text, "21 problem(s)") || !strings.HasSuffix(text, "and 5 more") || strings.Contains(text, "f16") {
		t.Errorf("error text %q", text)
	}
}

// TestManyProblemsCounted: the member check keeps MaxProblems problems
// of a document with thousands and counts the others.
func TestManyProblemsCounted(t *testing.T) {
	c := NewDecoder(&memberDoc{})
	var v memberDoc
	probs, more := c.Decode(manyKeys(5000, "x%d"), &v).List()
	if len(probs) != MaxProblems || more != 5000-MaxProblems {
		t.Errorf("%d problems and %d more", len(probs), more)
	}
	probs, more = c.Decode(wrapped(`{"tags":`, manyKeys(5000, "k"), `}`), &v).List()
	if len(probs) != MaxProblems || more != 2*5000-1-MaxProblems { // 5000 numbers for strings, 4999 repeats
		t.Errorf("repeated map key: %d problems and %d more", len(probs), more)
	}
}

// TestCountStopsAtMaxCounted: the member check stops reading a document
// once it has found MaxCounted problems, and the error says there may be
// more; a problem after that point (here a syntax error) is never read.
func TestCountStopsAtMaxCounted(t *testing.T) {
	c := NewDecoder(&memberDoc{})
	doc := manyKeys(3*MaxCounted, "t")
	doc = append(doc[:len(doc)-1], `,"t":}`...) // broken at the very end
	var v memberDoc
	rep := c.Decode(doc, &v)
	probs, more := rep.List()
	if len(probs) != MaxProblems || more != MaxCounted-MaxProblems {
		t.Fatalf("%d problems and %d more, want %d and %d", len(probs), more, MaxProblems, MaxCounted-MaxProblems)
	}
	text := CollectMore("test", probs, more).Error()
	if !strings.Contains(text, "at least 10000 problem(s)") || !strings.HasSuffix(text, "and at least 9984 more") {
		t.Errorf("error text ends %q", text[len(text)-40:])
	}
}
