package param

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// Spec documents one notification parameter.
type Spec struct {
	// Name is the parameter name as sent on the wire, without "[]".
	Name string
	// Type is the documented type, e.g. "String", "Int", "Date", "Array of strings".
	Type string
	// MaxLen is the documented maximum length in characters; 0 means none.
	MaxLen int
	// Allowed lists the documented values; empty means any value. An empty
	// value is always accepted unless Required is set.
	Allowed []string
	// Description is the documented meaning.
	Description string
	// Array reports whether the parameter is sent as NAME[].
	Array bool
	// Required reports whether a notification without a value is invalid.
	Required bool
}

// Check validates one value against the spec and returns the problem found,
// if any. Lengths count characters (Unicode code points), as the
// platform's "String/N" columns do.
func (s Spec) Check(v string) (Problem, bool) { return CheckValue(&s, v) }

// CheckValue is s.Check(v) without copying the spec, for loops over many
// values.
func CheckValue(s *Spec, v string) (Problem, bool) {
	if v == "" {
		if s.Required {
			return Problem{Field: s.Name, Reason: ReasonMissing, Detail: "required"}, true
		}
		return Problem{}, false
	}
	if !utf8.ValidString(v) {
		return Problem{Field: s.Name, Reason: ReasonMalformed, Detail: "not valid UTF-8"}, true
	}
	if s.MaxLen > 0 && len(v) > s.MaxLen { // never more characters than bytes
		if n := utf8.RuneCountInString(v); n > s.MaxLen {
			return Problem{Field: s.Name, Reason: ReasonTooLong,
				Detail: fmt.Sprintf("%d characters, at most %d allowed", n, s.MaxLen)}, true
		}
	}
	if len(s.Allowed) > 0 && !slices.Contains(s.Allowed, v) {
		return Problem{Field: s.Name, Reason: ReasonNotAllowed,
			Detail: fmt.Sprintf("%q is not one of %v", v, s.Allowed)}, true
	}
	return Problem{}, false
}
