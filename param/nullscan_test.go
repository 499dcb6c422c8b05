package param

import (
	"bytes"
	"os"
	"testing"
)

func TestMayHoldNull(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"nul", false},
		{"null", true},
		{`{"a":null}`, true},
		{`{"a":"nul l","b":"full","c":"nulL"}`, false},
		{`{"all":"nullify"}`, true},
		{`{"a":1}` + "null", true},
		{"lll", false},
		{"nnull", true},
	} {
		if got := mayHoldNull([]byte(tc.in)); got != tc.want {
			t.Errorf("mayHoldNull(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzMayHoldNull(f *testing.F) {
	f.Add([]byte(`{"a":null}`))
	f.Add([]byte(`{"full":"all"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := mayHoldNull(data), bytes.Contains(data, []byte("null")); got != want {
			t.Fatalf("mayHoldNull = %v, bytes.Contains = %v", got, want)
		}
	})
}

// BenchmarkNullScan compares the scan with bytes.Contains on a 3.6 kB
// event with no null.
func BenchmarkNullScan(b *testing.B) {
	data, err := os.ReadFile("../lcn/examples/full.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("mayHoldNull", func(b *testing.B) {
		for b.Loop() {
			if mayHoldNull(data) {
				b.Fatal("null found")
			}
		}
	})
	b.Run("bytes.Contains", func(b *testing.B) {
		for b.Loop() {
			if bytes.Contains(data, []byte("null")) {
				b.Fatal("null found")
			}
		}
	})
}
