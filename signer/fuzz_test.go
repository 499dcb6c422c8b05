package signer_test

import (
	"bytes"
	"net/url"
	"reflect"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

// FuzzDecode: the decoder never panics, and whatever it accepts re-encodes
// to a body that decodes to the same fields.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(d5Body))
	f.Add([]byte("A%5B%5D=1&B=x&A%5B%5D=2&A=3"))
	var d signer.Decoder
	f.Fuzz(func(t *testing.T, body []byte) {
		fs, err := d.Decode(body)
		if err != nil {
			return
		}
		fs = fs.Clone()
		again, err := signer.ParseForm(signer.AppendForm(nil, fs))
		if err != nil {
			t.Fatalf("re-encoded body rejected: %v", err)
		}
		if !reflect.DeepEqual(dropEmptyArrays(fs), dropEmptyArrays(again)) {
			t.Fatalf("round trip changed fields:\n%#v\n%#v", fs, again)
		}
	})
}

// FuzzAppendForm: names and values are escaped exactly as url.QueryEscape
// escapes them, whatever their bytes, and SignForm writes the body
// AppendSignedForm writes with the signatures Sign computes.
func FuzzAppendForm(f *testing.F) {
	f.Add("FIRST_NAME", "Jürgen Müller & Co. <x@y.z> 100%~")
	f.Add("LCN_LICENSE_OPTIONS_TEXT", "plain-value_1.2~")
	f.Add("A B", "\x00\xff +=&")
	s := signer.New([]byte("fuzz-key"))
	f.Fuzz(func(t *testing.T, name, value string) {
		var fs signer.Fields
		fs.Add(name, value)
		fs.AddArray(name, value, "")
		want := url.QueryEscape(name) + "=" + url.QueryEscape(value) + "&" +
			url.QueryEscape(name+"[]") + "=" + url.QueryEscape(value) + "&" + url.QueryEscape(name+"[]") + "="
		if got := string(signer.AppendForm(nil, fs)); got != want {
			t.Fatalf("body %q, want %q", got, want)
		}
		if signer.IsSignatureField(name) {
			return
		}
		body, sigs := s.SignForm([]byte("x"), fs, signer.AllAlgorithms)
		if want := s.AppendSignedForm([]byte("x"), fs, signer.AllAlgorithms); !bytes.Equal(body, want) {
			t.Fatalf("SignForm body %q, AppendSignedForm %q", body, want)
		}
		if sigs != s.Sign(fs, signer.AllAlgorithms) {
			t.Fatal("SignForm signatures differ from Sign")
		}
	})
}

func dropEmptyArrays(fs signer.Fields) signer.Fields {
	out := signer.Fields{}
	for _, f := range fs {
		if len(f.Values) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// FuzzCheckReceipt: the checker never panics on arbitrary bodies, and a
// valid receipt surrounded by arbitrary bytes is always found.
func FuzzCheckReceipt(f *testing.F) {
	f.Add([]byte("<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>"), []byte("<html>"))
	f.Add([]byte(`<sig algo="sha3_256" date="1">00</sig>`), []byte("<sig "))
	s := signer.New([]byte(docKey))
	fs := lcnReceiptFields("3C343D0FAF", "2005-03-03")
	good, err := s.AppendReceipt(nil, signer.KindLCN, fs, signer.SHA256, "20240101000000")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, prefix, suffix []byte) {
		_, _ = s.CheckReceipt(prefix, signer.KindLCN, fs, signer.AllAlgorithms)
		// A '<'-free prefix cannot swallow the receipt; an unterminated
		// tag in the prefix could legitimately hide it.
		prefix = bytes.ReplaceAll(prefix, []byte("<"), nil)
		body := append(append(append([]byte{}, prefix...), good...), suffix...)
		if _, err := s.CheckReceipt(body, signer.KindLCN, fs, signer.AllAlgorithms); err != nil {
			t.Fatalf("valid receipt not found in %q: %v", body, err)
		}
	})
}
