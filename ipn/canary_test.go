package ipn

import (
	"testing"

	"github.com/lcngw/lcngw/internal/canarytest"
)

// TestProblemsNeverRepeatEventText: with a canary (an e-mail address, a
// card-number-like string) in any member, as any member's name, in any
// array or as the whole document, no problem of decoding, validating or
// building repeats it, and the schema and event_type canaries are
// reported.
func TestProblemsNeverRepeatEventText(t *testing.T) {
	data, err := Example(FullExample)
	if err != nil {
		t.Fatal(err)
	}
	variants, err := canarytest.Variants(data)
	if err != nil {
		t.Fatal(err)
	}
	rejected := make(map[string]bool)
	for _, v := range variants {
		for _, err := range decodeValidateBuild(v.Data) {
			rejected[v.Path] = true
			if c := canarytest.Leak(err.Error()); c != "" {
				t.Errorf("canary at %s: problem text repeats %s:\n%v", v.Path, c, err)
			}
		}
	}
	for _, p := range []string{"(document)", "(root)", "schema", "event_type", "order.currency", "order.status"} {
		if !rejected[p] {
			t.Errorf("no variant with a canary at %s was rejected", p)
		}
	}
}

// decodeValidateBuild returns the errors of each step an event reaches.
func decodeValidateBuild(data []byte) []error {
	ev, err := Decode(data)
	if err != nil {
		return []error{err}
	}
	var errs []error
	if err := ev.Validate(); err != nil {
		errs = append(errs, err)
	}
	if _, err := Build(ev, Options{}); err != nil {
		errs = append(errs, err)
	}
	return errs
}
