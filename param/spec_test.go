package param

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAcceptsAgreesWithCheck: Accepts accepts exactly the values Check
// finds no problem with, and Check reports the first rule broken.
func TestAcceptsAgreesWithCheck(t *testing.T) {
	specs := []Spec{
		{Name: "FREE"},
		{Name: "REQUIRED", Required: true},
		{Name: "SHORT", MaxLen: 3},
		{Name: "FLAG", MaxLen: 1, Required: true, Allowed: []string{"0", "1"}},
		{Name: "TYPE", Allowed: []string{"REGULAR", "TRIAL"}},
	}
	cases := []struct {
		spec, value string
		want        Reason // "" when accepted
	}{
		{"FREE", "", ""},
		{"FREE", "anything at all, ünïcode", ""},
		{"FREE", "bad \xff UTF-8", ReasonMalformed},
		{"REQUIRED", "", ReasonMissing},
		{"REQUIRED", "x", ""},
		{"SHORT", "abc", ""},
		{"SHORT", "äöü", ""}, // three characters in six bytes
		{"SHORT", "abcd", ReasonTooLong},
		{"SHORT", "äöüß", ReasonTooLong},
		{"SHORT", "\xffab", ReasonMalformed},
		{"FLAG", "1", ""},
		{"FLAG", "", ReasonMissing},
		{"FLAG", "2", ReasonNotAllowed},
		{"FLAG", "10", ReasonTooLong},
		{"TYPE", "TRIAL", ""},
		{"TYPE", "trial", ReasonNotAllowed},
	}
	byName := make(map[string]*Spec)
	for i := range specs {
		byName[specs[i].Name] = &specs[i]
	}
	for _, tc := range cases {
		s := byName[tc.spec]
		p, bad := CheckValue(s, tc.value)
		if s.Accepts(tc.value) == bad {
			t.Errorf("%s %q: Accepts %v, CheckValue reports %v", tc.spec, tc.value, !bad, bad)
		}
		if p.Reason != tc.want {
			t.Errorf("%s %q: reason %q, want %q", tc.spec, tc.value, p.Reason, tc.want)
		}
	}
}

// TestValidUTF8 agrees with utf8.ValidString on strings of every length
// up to 24 bytes with a non-ASCII or invalid sequence at every position,
// which covers the word-at-a-time loop, its overlapping last word and the
// byte loop of short strings.
func TestValidUTF8(t *testing.T) {
	for _, insert := range []string{"", "ü", "\xff", "\xc3", "€", "\xe2\x82", "😀", "\xed\xa0\x80", "\x80"} {
		for n := 0; n <= 24; n++ {
			for at := 0; at <= n; at++ {
				s := strings.Repeat("a", at) + insert + strings.Repeat("b", n-at)
				if got, want := validUTF8(s), utf8.ValidString(s); got != want {
					t.Fatalf("validUTF8(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
}

// FuzzValidUTF8: validUTF8 and utf8.ValidString agree on every input.
func FuzzValidUTF8(f *testing.F) {
	f.Add("plain ASCII text, longer than a word")
	f.Add("Jürgen Müller")
	f.Add("12345678\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validUTF8(s), utf8.ValidString(s); got != want {
			t.Fatalf("validUTF8(%q) = %v, want %v", s, got, want)
		}
	})
}
