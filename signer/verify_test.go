package signer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

func signedD4(algs signer.Algorithms) signer.Fields {
	return signer.New([]byte(docKey)).SignFields(d4Fields(), algs)
}

func TestVerifyPolicy(t *testing.T) {
	md5Only := signer.SetOf(signer.MD5)
	sha := signer.SetOf(signer.SHA256, signer.SHA3256)
	tests := []struct {
		name      string
		fields    signer.Fields
		policy    signer.Policy
		err       error
		strongest signer.Algorithm
	}{
		{"all three, strongest wins", signedD4(signer.AllAlgorithms), signer.Policy{}, nil, signer.SHA3256},
		{"sha256 only", signedD4(signer.SetOf(signer.SHA256)), signer.Policy{}, nil, signer.SHA256},
		{"md5 only rejected by default", signedD4(md5Only), signer.Policy{}, signer.ErrMD5Only, 0},
		{"md5 only allowed", signedD4(md5Only), signer.Policy{AllowMD5Only: true}, nil, signer.MD5},
		{"required sha3 missing", signedD4(signer.SetOf(signer.MD5, signer.SHA256)), signer.Policy{Require: signer.SetOf(signer.SHA3256)}, signer.ErrMissingSignature, 0},
		{"required present", signedD4(sha), signer.Policy{Require: sha}, nil, signer.SHA3256},
		{"unsigned", d4Fields(), signer.Policy{}, signer.ErrNoSignature, 0},
	}
	s := signer.New([]byte(docKey))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Verify(tt.fields, tt.policy)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && res.Strongest != tt.strongest {
				t.Fatalf("strongest = %s, want %s", res.Strongest, tt.strongest)
			}
		})
	}
}

// TestVerifyTampering changes one thing at a time; every variant must fail.
func TestVerifyTampering(t *testing.T) {
	s := signer.New([]byte(docKey))
	base := signedD4(signer.AllAlgorithms)
	mutate := map[string]func(signer.Fields) signer.Fields{
		"one byte of a value": func(fs signer.Fields) signer.Fields {
			fs[4].Values = []string{"3C343D0FAE"}
			return fs
		},
		"two fields swapped": func(fs signer.Fields) signer.Fields {
			fs[0], fs[1] = fs[1], fs[0]
			return fs
		},
		"field dropped": func(fs signer.Fields) signer.Fields { return append(fs[:2], fs[3:]...) },
		"weaker signature wrong": func(fs signer.Fields) signer.Fields {
			fs[len(fs)-3].Values = []string{strings.Repeat("0", 32)}
			return fs
		},
		"signature not hex": func(fs signer.Fields) signer.Fields {
			fs[len(fs)-1].Values = []string{strings.Repeat("z", 64)}
			return fs
		},
		"signature truncated": func(fs signer.Fields) signer.Fields {
			fs[len(fs)-1].Values = []string{fs[len(fs)-1].Values[0][:63]}
			return fs
		},
	}
	for name, m := range mutate {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Verify(m(base.Clone()), signer.Policy{}); err == nil {
				t.Fatal("tampered notification verified")
			}
		})
	}
	if _, err := signer.New([]byte("AABBCCDDEEFG")).Verify(base, signer.Policy{}); !errors.Is(err, signer.ErrMismatch) {
		t.Fatalf("wrong key: err = %v", err)
	}
}

func TestVerifyUppercaseHex(t *testing.T) {
	fs := signedD4(signer.AllAlgorithms)
	for i := len(fs) - 3; i < len(fs); i++ {
		fs[i].Values = []string{strings.ToUpper(fs[i].Values[0])}
	}
	if _, err := signer.New([]byte(docKey)).Verify(fs, signer.Policy{}); err != nil {
		t.Fatalf("uppercase hex rejected: %v", err)
	}
}

func TestCheckReportsEachField(t *testing.T) {
	fs := signedD4(signer.AllAlgorithms)
	fs[len(fs)-2].Values = []string{strings.Repeat("a", 64)} // break SHA-256 only
	got := signer.New([]byte(docKey)).Check(fs)
	want := []signer.SignatureCheck{{signer.MD5, true}, {signer.SHA256, false}, {signer.SHA3256, true}}
	if len(got) != len(want) {
		t.Fatalf("got %d checks", len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("check %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCheckReceiptCases(t *testing.T) {
	s := signer.New([]byte(docKey))
	fs := lcnReceiptFields("3C343D0FAF", "2005-03-03")
	const sha3 = "7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db"
	all := signer.AllAlgorithms
	tests := []struct {
		name   string
		body   string
		accept signer.Algorithms
		err    error
	}{
		{"python sdk sha3_256 token", `<sig algo="sha3_256" date="20081117145935">` + sha3 + `</sig>`, all, nil},
		{"uppercase hex and spaces", `<SIG  algo = "sha3-256"  date = '20081117145935' > ` + strings.ToUpper(sha3) + " </SIG>", all, nil},
		{"date before algo", `<sig date="20081117145935" algo="sha3-256">` + sha3 + `</sig>`, all, nil},
		{"wrong receipt then right one", "<EPAYMENT>20081117145935|00000000000000000000000000000000</EPAYMENT><EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>", all, nil},
		{"nested junk", "<<EPAYMENT><sig algo=\"sha3-256\" date=\"20081117145935\">" + sha3 + "</sig>", all, nil},
		{"algorithm not accepted", `<sig algo="sha3-256" date="20081117145935">` + sha3 + `</sig>`, signer.SetOf(signer.SHA256), signer.ErrReceiptAlgorithm},
		{"date changed", `<sig algo="sha3-256" date="20081117145936">` + sha3 + `</sig>`, all, signer.ErrReceiptMismatch},
		{"digest too long", `<sig algo="sha3-256" date="20081117145935">` + sha3 + `0</sig>`, all, signer.ErrNoReceipt},
		{"no closing tag", `<sig algo="sha3-256" date="20081117145935">` + sha3, all, signer.ErrNoReceipt},
		{"empty body", "", all, signer.ErrNoReceipt},
		{"plain OK", "OK", all, signer.ErrNoReceipt},
		{"md5 in sig form", `<sig algo="md5" date="20081117145935">cb34fe2991668eb82364edf62f845a34</sig>`, all, signer.ErrNoReceipt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CheckReceipt([]byte(tt.body), signer.KindLCN, fs, tt.accept)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestReceiptNeedsFields(t *testing.T) {
	s := signer.New([]byte(docKey))
	if _, err := s.AppendReceipt(nil, signer.KindIPN, d4Fields(), signer.SHA256, "20240101000000"); !errors.Is(err, signer.ErrReceiptFields) {
		t.Fatalf("IPN receipt over an LCN: err = %v", err)
	}
}

// TestReset: a Signer re-keyed with Reset signs as a new Signer for that
// key does, whichever key it held and whichever algorithms it had used.
func TestReset(t *testing.T) {
	msg := []byte("14AGITNOSTIC2024-01-01 12:00:00")
	keys := [][]byte{[]byte("key one"), []byte("another key, longer than the first"), nil, []byte("key one")}
	s := signer.New([]byte("first"))
	for _, a := range []signer.Algorithm{signer.MD5, signer.SHA256, signer.SHA3256} {
		s.Sum(nil, a, msg)
	}
	for _, k := range keys {
		s.Reset(k)
		want := signer.New(k)
		for _, a := range []signer.Algorithm{signer.SHA3256, signer.MD5, signer.SHA256} {
			if got, w := s.Sum(nil, a, msg), want.Sum(nil, a, msg); string(got) != string(w) {
				t.Errorf("key %q, %s: %x after Reset, %x from New", k, a, got, w)
			}
		}
	}
}
