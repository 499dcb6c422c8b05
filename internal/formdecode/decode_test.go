package formdecode_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lcngw/lcngw/internal/formdecode"
	"github.com/lcngw/lcngw/signer"
)

// TestDecodeReusesBuffers: a Decoder returns correct fields body after
// body, and once its buffers have grown decoding allocates nothing (its
// results point into them, valid until the next Decode).
func TestDecodeReusesBuffers(t *testing.T) {
	var d formdecode.Decoder[signer.Field]
	body := []byte("A=first&B%5B%5D=1&B%5B%5D=2&A=last+one&C")
	want := signer.Fields{{Name: "A", Values: []string{"last one"}}, {Name: "B", Values: []string{"1", "2"}, Array: true}, {Name: "C", Values: []string{""}}}
	for _, b := range [][]byte{[]byte("Z=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz&Y%5B%5D=3"), body} {
		if _, err := d.Decode(b); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := d.Decode(body)
	if !reflect.DeepEqual(signer.Fields(got), want) {
		t.Fatalf("decode = %#v, want %#v", got, want)
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _ = d.Decode(body) }); allocs != 0 {
		t.Errorf("%v allocations per Decode, want 0", allocs)
	}
}

// TestDecodeErrors: each malformed shape is rejected with its sentinel.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		body string
		max  int
		want error
	}{
		{"A=%zz", 0, formdecode.ErrBadEncoding},
		{"A=%4", 0, formdecode.ErrBadEncoding},
		{"A=1&B=2&C=3", 2, formdecode.ErrTooManyFields},
		{"A=1&A%5B%5D=2", 0, formdecode.ErrMixedShape},
	} {
		d := formdecode.Decoder[signer.Field]{MaxFields: tc.max}
		if _, err := d.Decode([]byte(tc.body)); !errors.Is(err, tc.want) {
			t.Errorf("%q: error %v, want %v", tc.body, err, tc.want)
		}
	}
}

// FuzzDecodeMatchesOwned: whatever a reused Decoder held before, it decodes
// a body to the fields (or the error) signer's owning Decoder returns.
func FuzzDecodeMatchesOwned(f *testing.F) {
	f.Add([]byte("A%5B%5D=1&B=x&A%5B%5D=2&A=3"), []byte("Z=9&&=&%41=%4a"))
	f.Add([]byte("a=1&a%5B%5D=2"), []byte("x+y=%2B%26"))
	f.Add([]byte(""), []byte("&&"))
	var d formdecode.Decoder[signer.Field]
	f.Fuzz(func(t *testing.T, before, body []byte) {
		_, _ = d.Decode(before)
		got, err := d.Decode(body)
		want, wantErr := signer.ParseForm(body)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("error %v, owned decoder %v", err, wantErr)
		}
		if err == nil && len(got)+len(want) > 0 && !reflect.DeepEqual(signer.Fields(got), want) {
			t.Fatalf("decode = %#v, owned decoder %#v", got, want)
		}
	})
}
