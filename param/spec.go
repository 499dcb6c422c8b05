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
	if s.Accepts(v) {
		return Problem{}, false
	}
	return s.problem(v), true
}

// Accepts reports whether v passes the checks of Check. It builds no
// Problem, so it is the cheaper test for the common case of a good value.
func (s *Spec) Accepts(v string) bool {
	if v == "" {
		return !s.Required
	}
	return validUTF8(v) &&
		(s.MaxLen == 0 || len(v) <= s.MaxLen || utf8.RuneCountInString(v) <= s.MaxLen) &&
		(len(s.Allowed) == 0 || slices.Contains(s.Allowed, v))
}

// problem returns the problem of a value Accepts rejects: the first
// check it fails, in the order empty, UTF-8, length, allowed values.
func (s *Spec) problem(v string) Problem {
	if v == "" {
		return Problem{Field: s.Name, Reason: ReasonMissing, Detail: "required"}
	}
	if !utf8.ValidString(v) {
		return Problem{Field: s.Name, Reason: ReasonMalformed, Detail: "not valid UTF-8"}
	}
	if n := utf8.RuneCountInString(v); s.MaxLen > 0 && n > s.MaxLen {
		return Problem{Field: s.Name, Reason: ReasonTooLong,
			Detail: fmt.Sprintf("%d characters, at most %d allowed", n, s.MaxLen)}
	}
	return Problem{Field: s.Name, Reason: ReasonNotAllowed, Detail: NotOneOf(s.Allowed)}
}

// validUTF8 is utf8.ValidString with a quicker test for ASCII first:
// parameter values are mostly short and ASCII, and utf8.ValidString
// takes them byte by byte. Eight bytes at a time, the last eight
// overlapping the previous ones, it finds whether any byte is not ASCII.
func validUTF8(s string) bool {
	const highs = 0x8080808080808080
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return utf8.ValidString(s)
			}
		}
		return true
	}
	for i := 0; i < len(s)-8; i += 8 {
		if word(s[i:])&highs != 0 {
			return utf8.ValidString(s)
		}
	}
	return word(s[len(s)-8:])&highs == 0 || utf8.ValidString(s)
}

// word reads the first eight bytes of s as a little-endian word (one load).
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// maxListed bounds the allowed values a problem lists.
const maxListed = 12

// NotOneOf is the detail of a value outside an enumeration: the allowed
// values (at most a dozen of them), never the value given.
func NotOneOf(allowed []string) string {
	if len(allowed) > maxListed {
		return fmt.Sprintf("not one of the %d documented values", len(allowed))
	}
	return fmt.Sprintf("not one of %v", allowed)
}
