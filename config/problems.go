package config

import (
	"fmt"
	"strings"
)

// Problem is one invalid setting: where it is and which rule it breaks.
// Messages name the rule and never echo a secret or free-text value.
type Problem struct {
	// Path locates the setting, e.g. "merchants[1].endpoints[0].url".
	Path string
	// Message states the rule broken, e.g. "must be https or http".
	Message string
}

// Error renders "path: message".
func (p Problem) Error() string { return p.Path + ": " + p.Message }

// Error reports every problem of a configuration at once.
type Error struct {
	// Problems lists the problems in the order found.
	Problems []Problem
}

// Error lists every problem on its own line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.As finds each one.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// problems collects Problems during validation.
type problems []Problem

func (ps *problems) add(path, message string) {
	*ps = append(*ps, Problem{Path: path, Message: message})
}

// require adds the problem unless ok.
func (ps *problems) require(ok bool, path, message string) {
	if !ok {
		ps.add(path, message)
	}
}

// err returns nil or an *Error holding the problems.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}

// index renders "path[i]".
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
