package param

import (
	"fmt"
	"strings"
)

// Reason is a bounded classification of why an event or notification is
// invalid; it is safe to use as a metric label and a dead-letter header.
type Reason string

// Reasons.
const (
	ReasonBadJSON       Reason = "bad_json"         // not JSON, or not the schema's shape
	ReasonSchemaVersion Reason = "schema_version"   // unknown or missing schema version
	ReasonMissing       Reason = "missing_field"    // a required value is absent
	ReasonTooLong       Reason = "too_long"         // longer than the documented maximum
	ReasonNotAllowed    Reason = "not_allowed"      // not one of the documented values
	ReasonMalformed     Reason = "malformed"        // wrong format (date, number, UTF-8, shape)
	ReasonUnknownField  Reason = "unknown_field"    // a field the schema or catalogue does not know
	ReasonInconsistent  Reason = "inconsistent"     // values contradict each other
	ReasonUnknownLayout Reason = "unknown_layout"   // the merchant's layout names an unknown parameter
	ReasonUnknownVendor Reason = "unknown_merchant" // no configured merchant for the event
)

// Problem is one thing wrong with an event.
type Problem struct {
	// Field is the JSON path or parameter name concerned ("" for the whole event).
	Field string
	// Reason classifies the problem.
	Reason Reason
	// Detail explains it for a human. It never contains the offending value
	// of a free-text field, so it is safe to log.
	Detail string
}

// String renders the problem as "field: detail (reason)".
func (p Problem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("%s (%s)", p.Detail, p.Reason)
	}
	return fmt.Sprintf("%s: %s (%s)", p.Field, p.Detail, p.Reason)
}

// MaxProblems bounds the problems an Error lists; further ones are only
// counted, so the report of any event stays small.
const MaxProblems = 16

// MaxCounted bounds the problems counted in all, listed or not: a report
// stops reading a document once it has found that many, so no event
// costs more than that to judge. An Error with MaxCounted problems says
// there may be more ("at least").
const MaxCounted = 10_000

// Error reports the problems of an invalid event at once.
type Error struct {
	// Kind is "lcn" or "ipn".
	Kind string
	// Problems lists the problems found, in the order found, at most
	// MaxProblems of them.
	Problems []Problem
	// More counts the problems found beyond Problems; with Problems, at
	// most MaxCounted, when there may be more still.
	More int
}

// Error lists every problem on its own line, then how many more there are.
func (e *Error) Error() string {
	var b strings.Builder
	atLeast := ""
	if len(e.Problems)+e.More >= MaxCounted {
		atLeast = "at least "
	}
	fmt.Fprintf(&b, "invalid %s event: %s%d problem(s)", e.Kind, atLeast, len(e.Problems)+e.More)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  - and %s%d more", atLeast, e.More)
	}
	return b.String()
}

// Reason returns the reason of the first problem: the bounded label a
// pipeline records when it dead-letters the event.
func (e *Error) Reason() string {
	if len(e.Problems) == 0 {
		return string(ReasonMalformed)
	}
	return string(e.Problems[0].Reason)
}

// Collect returns nil when probs is empty and an *Error otherwise. The
// error keeps the first MaxProblems problems and counts the rest.
func Collect(kind string, probs []Problem) error {
	return CollectMore(kind, probs, 0)
}

// CollectMore is Collect for a list already cut short: more problems were
// found beyond probs. Counts beyond MaxCounted are cut to it.
func CollectMore(kind string, probs []Problem, more int) error {
	if len(probs) == 0 {
		return nil
	}
	if len(probs) > MaxProblems {
		more += len(probs) - MaxProblems
		probs = probs[:MaxProblems:MaxProblems]
	}
	return &Error{Kind: kind, Problems: probs, More: min(more, MaxCounted-len(probs))}
}
