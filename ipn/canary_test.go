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
	build := func(ev *Event) error {
		_, err := Build(ev, Options{})
		return err
	}
	canarytest.Check(t, data, Decode, []func(*Event) error{(*Event).Validate, build},
		"(document)", "(root)", "schema", "event_type", "order.currency", "order.status")
}
