package ipn

import (
	"fmt"
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/lcngw/lcngw/param"
)

// Bounds of the event schema (besides the catalogue's documented lengths).
const (
	maxEventID        = 200
	maxVendorCode     = 64
	maxItems          = 1000
	maxOptionsPerItem = 100
	maxQuantity       = 1_000_000_000
	minYear, maxYear  = 1970, 9998
)

// checker collects the problems of an event that the catalogue cannot see:
// identifiers, formats, consistency, and fields that feed no parameter
// directly. Details name the rule and never echo a free-text value.
// Problems past the first param.MaxProblems are only counted, never
// described, so an event with a problem in every one of thousands of
// elements costs no more to report than one with a few.
type checker struct {
	probs *param.Problems
}

func (c *checker) add(field loc, reason param.Reason, detail string) {
	if !c.full() {
		c.probs.Add(param.Problem{Field: field.String(), Reason: reason, Detail: detail})
	}
}

// full reports whether the list is full (see param.Problems.Full): then
// the caller need not describe its problem.
func (c *checker) full() bool { return c.probs.Full() }

// loc is a JSON path built only when a problem needs it: prefix, then
// [i] when i >= 0, then leaf.
type loc struct {
	prefix string
	i      int
	leaf   string
}

// at names a path without an index.
func at(path string) loc { return loc{prefix: path, i: -1} }

// String renders the path, e.g. "items[2].price".
func (l loc) String() string {
	if l.i < 0 {
		return l.prefix + l.leaf
	}
	return fmt.Sprintf("%s[%d]%s", l.prefix, l.i, l.leaf)
}

// with returns the path extended by leaf.
func (l loc) with(leaf string) loc {
	l.leaf += leaf
	return l
}

// text checks a string that no catalogue spec checks: required, UTF-8, length.
func (c *checker) text(field loc, v string, req bool, maxLen int) {
	switch {
	case v == "":
		if req {
			c.add(field, param.ReasonMissing, "required")
		}
	case !utf8.ValidString(v):
		c.add(field, param.ReasonMalformed, "not valid UTF-8")
	case utf8.RuneCountInString(v) > maxLen:
		c.add(field, param.ReasonTooLong, fmt.Sprintf("%d characters, at most %d allowed", utf8.RuneCountInString(v), maxLen))
	}
}

// format checks an optional value against a format rule.
func (c *checker) format(field loc, v string, ok func(string) bool, rule string) {
	if v != "" && !ok(v) {
		c.add(field, param.ReasonMalformed, "must be "+rule)
	}
}

// decimal checks an optional amount.
func (c *checker) decimal(field loc, v string) {
	switch {
	case v == "":
	case len(v) > maxDecimalLen:
		c.add(field, param.ReasonTooLong, fmt.Sprintf("%d characters, at most %d allowed", len(v), maxDecimalLen))
	case !isDecimal(v):
		c.add(field, param.ReasonMalformed, "must be a decimal number such as 12.50 or -0.57")
	}
}

// instant checks a timestamp: set when required, and within the years the
// platform's date formats can express.
func (c *checker) instant(field loc, t time.Time, req bool) {
	switch {
	case t.IsZero():
		if req {
			c.add(field, param.ReasonMissing, "required")
		}
	case t.UTC().Year() < minYear || t.UTC().Year() > maxYear:
		c.add(field, param.ReasonMalformed, fmt.Sprintf("must lie in the years %d–%d", minYear, maxYear))
	}
}

func isCurrency(s string) bool {
	return len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isCountryCode(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(c byte) bool { return isUpper(c) || 'a' <= c && c <= 'z' }

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

func isLastDigits(s string) bool { return len(s) <= 4 && isDigits(s) }

// isCardExpiration reports whether s is MM/YY.
func isCardExpiration(s string) bool {
	if len(s) != 5 || s[2] != '/' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return false
	}
	month := (s[0]-'0')*10 + s[1] - '0'
	return month >= 1 && month <= 12
}

// isMessageID reports whether s is a positive decimal integer without
// leading zeros that fits in 63 bits.
func isMessageID(s string) bool {
	if !isDigits(s) || s[0] == '0' || len(s) > 19 {
		return false
	}
	return len(s) < 19 || s <= "9223372036854775807"
}
