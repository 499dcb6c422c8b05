package signer_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

func TestAppendFormD4Body(t *testing.T) {
	const want = "FIRST_NAME=J%C3%BCrgen&LAST_NAME=M%C3%BCller&COMPANY=&EMAIL=jm%40example.com&LICENSE_CODE=3C343D0FAF&EXPIRATION_DATE=2025-03-03&DISPATCH_REASON=LICENCE_CHANGE"
	if got := string(signer.AppendForm(nil, d4Fields())); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

func TestAppendFormRoundTripD5(t *testing.T) {
	fs := mustParse(t, d5Body)
	if got := string(signer.AppendForm(nil, fs)); got != d5Body {
		t.Fatalf("re-encoded body\n got %s\nwant %s", got, d5Body)
	}
}

// TestAppendFormMatchesQueryEscape checks the escaping of every byte
// against the standard library.
func TestAppendFormMatchesQueryEscape(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	var fs signer.Fields
	fs.Add("V", all.String())
	want := "V=" + url.QueryEscape(all.String())
	if got := string(signer.AppendForm(nil, fs)); got != want {
		t.Fatalf("escaping differs from url.QueryEscape\n got %s\nwant %s", got, want)
	}
}

func TestDecodeGrouping(t *testing.T) {
	tests := []struct {
		name, body string
		want       signer.Fields
		err        error
	}{
		{name: "PHP grouping keeps first position", body: "A%5B%5D=1&B=x&A%5B%5D=2",
			want: signer.Fields{{Name: "A", Values: []string{"1", "2"}, Array: true}, {Name: "B", Values: []string{"x"}}}},
		{name: "repeated scalar keeps last value at first position", body: "A=1&B=2&A=3",
			want: signer.Fields{{Name: "A", Values: []string{"3"}}, {Name: "B", Values: []string{"2"}}}},
		{name: "literal brackets", body: "IPN_PID[]=7&X=",
			want: signer.Fields{{Name: "IPN_PID", Values: []string{"7"}, Array: true}, {Name: "X", Values: []string{""}}}},
		{name: "plus and encoded plus", body: "T=GMT%2B03%3A00+x",
			want: signer.Fields{{Name: "T", Values: []string{"GMT+03:00 x"}}}},
		{name: "empty segments and bare names", body: "&A=1&&B&",
			want: signer.Fields{{Name: "A", Values: []string{"1"}}, {Name: "B", Values: []string{""}}}},
		{name: "empty body", body: "", want: signer.Fields{}},
		{name: "bad percent", body: "A=%G1", err: signer.ErrBadEncoding},
		{name: "truncated percent", body: "A=%4", err: signer.ErrBadEncoding},
		{name: "mixed shape", body: "A=1&A%5B%5D=2", err: signer.ErrMixedShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signer.ParseForm([]byte(tt.body))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDecoderMaxFields(t *testing.T) {
	d := signer.Decoder{MaxFields: 3}
	if _, err := d.Decode([]byte("a=1&b=2&c=3")); err != nil {
		t.Fatalf("3 fields: %v", err)
	}
	if _, err := d.Decode([]byte("a=1&b=2&c=3&d=4")); !errors.Is(err, signer.ErrTooManyFields) {
		t.Fatalf("4 fields: err = %v", err)
	}
}

// TestDecoderReuse checks that a reused Decoder returns correct results
// and that what it returned before never changes: every later Decode, of
// bodies of every length, leaves the earlier fields as they were.
func TestDecoderReuse(t *testing.T) {
	var d signer.Decoder
	first, err := d.Decode([]byte("A=first&B%5B%5D=1&B%5B%5D=2&C=x"))
	if err != nil {
		t.Fatal(err)
	}
	want := first.Clone()
	for _, body := range []string{"A=again&B%5B%5D=3", "Z=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz&B%5B%5D=4&A=b", "A=1", "bad=%zz"} {
		next, err := d.Decode([]byte(body))
		if err == nil && len(next) == 0 {
			t.Fatalf("decode %q = %#v", body, next)
		}
		if !reflect.DeepEqual(first, want) {
			t.Fatalf("after decoding %q the first fields changed: %#v", body, first)
		}
	}
	second, err := d.Decode([]byte("A=again&B%5B%5D=3"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := second.Get("A"); v != "again" || len(second.Values("B")) != 1 {
		t.Fatalf("second decode = %#v", second)
	}
	second[0].Values[0] = "changed by the caller"
	third, _ := d.Decode([]byte("A=again&B%5B%5D=3"))
	if v, _ := third.Get("A"); v != "again" {
		t.Fatalf("a caller's change to one result reached the next: %#v", third)
	}
}

// platformFixture loads the real platform-generated IPN of §8.3 as ordered
// fields (JSON arrays are NAME[] fields).
func platformFixture(t testing.TB) signer.Fields {
	t.Helper()
	data, err := os.ReadFile("testdata/ipn_platform_fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	var fs signer.Fields
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	for dec.More() {
		tok, _ := dec.Token()
		name := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var arr []string
		if json.Unmarshal(raw, &arr) == nil {
			fs.AddArray(name, arr...)
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fs.Add(name, s)
	}
	return fs
}

// TestPlatformFixture: the real payload's message is 787 bytes, its form
// body round-trips, and its signature fields come last.
func TestPlatformFixture(t *testing.T) {
	fs := platformFixture(t)
	if n := len(signer.AppendMessage(nil, fs)); n != 787 {
		t.Fatalf("message length = %d, want 787", n)
	}
	body := signer.AppendForm(nil, fs)
	back, err := signer.ParseForm(body)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, fs) {
		t.Fatal("form body does not round-trip")
	}
	if signer.DetectKind(back) != signer.KindIPN {
		t.Fatal("fixture not detected as IPN")
	}
	n := len(back)
	if back[n-3].Name != signer.FieldHash || back[n-2].Name != signer.FieldSHA2 || back[n-1].Name != signer.FieldSHA3 {
		t.Fatal("signature fields are not last")
	}
	// Re-signing with our key puts fresh signatures last, same order.
	signed := signer.New([]byte("k")).SignFields(back, signer.AllAlgorithms)
	if len(signed) != n || signed[n-1].Name != signer.FieldSHA3 {
		t.Fatalf("re-signed layout wrong: %d fields", len(signed))
	}
}
