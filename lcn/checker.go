package lcn

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lcngw/lcngw/param"
)

// specByName finds the catalogue's specs without copying them.
var specByName = func() map[string]*param.Spec {
	all := Catalogue().Specs()
	m := make(map[string]*param.Spec, len(all))
	for i := range all {
		m[all[i].Name] = &all[i]
	}
	return m
}()

// checker collects validation problems. Its details name the field and the
// rule, never a value of the event. Problems past the first
// param.MaxProblems are only counted, never described, so an event with a
// problem in each of 200,000 array elements costs no more to report than
// one with a few.
type checker struct {
	probs param.Problems
	// counterBad: a billing counter is out of its range (see counters).
	counterBad bool
}

func (c *checker) add(field string, r param.Reason, detail string) {
	c.put(param.Problem{Field: field, Reason: r, Detail: detail})
}

// put records p, or only counts it once the list is full.
func (c *checker) put(p param.Problem) {
	if !c.full(p.Field) {
		c.probs.Add(p)
	}
}

// full notes a problem of field and reports whether the list is full (see
// param.Problems.Full): then the caller need not describe it.
func (c *checker) full(field string) bool {
	if strings.HasPrefix(field, "subscription.billing.") || field == "subscription.renewals_count" {
		c.counterBad = true
	}
	return c.probs.Full()
}

// inElement puts "array[i]sep" in front of the fields of the problems from
// the n-th on: members of an array element are checked under short names,
// and the element's path is only built when it has problems.
func (c *checker) inElement(n int, array string, i int, sep string) {
	kept := c.probs.Kept()
	for j := n; j < len(kept); j++ {
		kept[j].Field = array + "[" + strconv.Itoa(i) + "]" + sep + kept[j].Field
	}
}

func (c *checker) missing(field string) { c.add(field, param.ReasonMissing, "required") }

// required reports an empty value.
func (c *checker) required(field, v string) bool {
	if v == "" {
		c.missing(field)
		return false
	}
	return true
}

// param checks a non-empty value against the documented limits of the
// parameter it feeds.
func (c *checker) param(field, name, v string) {
	if v == "" {
		return
	}
	s := specByName[name]
	if s == nil { // a programming error, caught by TestCheckerNamesParameters
		c.add(field, param.ReasonMalformed, "no limits known for "+name)
		return
	}
	if s.Accepts(v) || c.full(field) {
		return
	}
	p, _ := param.CheckValue(s, v)
	p.Field = field
	p.Detail += " (" + name + ")"
	c.probs.Add(p)
}

// count checks an optional non-negative integer against the parameter it feeds.
func (c *checker) count(field, name string, n *int, min int) {
	if n == nil {
		return
	}
	if *n < min {
		c.add(field, param.ReasonMalformed, fmt.Sprintf("must be at least %d", min))
		return
	}
	var buf [20]byte
	c.rendered(field, name, strconv.AppendInt(buf[:0], int64(*n), 10))
}

// id checks an optional positive numeric identifier against the parameter it feeds.
func (c *checker) id(field, name string, id *uint64) {
	if id == nil {
		return
	}
	if *id == 0 {
		c.add(field, param.ReasonMalformed, "must be at least 1")
		return
	}
	var buf [20]byte
	c.rendered(field, name, strconv.AppendUint(buf[:0], *id, 10))
}

// usage checks a pricing option's text, value or optional value as the
// parameter it feeds carries it: with the units consumed, if any.
func (c *checker) usage(field, name, s string, units *uint64) {
	if units == nil || s == "" {
		c.param(field, name, s)
		return
	}
	var buf [64]byte
	c.rendered(field, name, appendUsageText(buf[:0], s, *units))
}

// rendered checks a value rendered into a buffer, as param does. It
// becomes a string of its own only when it fails the check: a conversion
// that does not escape needs no allocation.
func (c *checker) rendered(field, name string, v []byte) {
	if s := specByName[name]; s != nil && s.Accepts(string(v)) {
		return
	}
	c.param(field, name, string(v))
}

// enum checks an event-only enumeration.
func (c *checker) enum(field, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) && !c.full(field) {
		c.probs.Add(param.Problem{Field: field, Reason: param.ReasonNotAllowed, Detail: param.NotOneOf(allowed)})
	}
}

// format reports a non-empty value that ok rejects.
func (c *checker) format(field, v string, ok func(string) bool, want string) {
	if v != "" && !ok(v) {
		c.add(field, param.ReasonMalformed, "not "+want)
	}
}

// isDecimal accepts a non-negative decimal amount: "0", "49", "49.99".
func isDecimal(s string) bool {
	intPart, frac, dot := cutByte(s, '.')
	if !isDigits(intPart) || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	return !dot || isDigits(frac)
}

func cutByte(s string, b byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isLetters reports whether s is exactly n ASCII letters.
func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// isIdentifier accepts 1–64 characters of [A-Za-z0-9_.-].
func isIdentifier(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
