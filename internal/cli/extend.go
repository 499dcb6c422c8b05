package cli

import (
	"context"
	"flag"
)

// Exit codes every command returns.
const (
	ExitOK      = exitOK      // success
	ExitFailed  = exitFailed  // a check failed or the work did not complete
	ExitInvalid = exitInvalid // bad usage or invalid input
)

// Register adds a subcommand to Run. Another binary (lcngw-bench) calls it
// from an init function to add its commands to lcngw's.
func Register(name, summary string, run func(context.Context, []string, Stdio) int) {
	register(name, summary, run)
}

// NewFlags returns a flag set named "lcngw name" that reports errors to
// stdio.Err.
func NewFlags(name string, stdio Stdio) *flag.FlagSet { return newFlags(name, stdio) }

// Parse parses args; it returns false, and the exit code to return, when
// parsing failed, help was asked for, or arguments were left over.
func Parse(fs *flag.FlagSet, args []string) (int, bool) { return parse(fs, args) }

// Fail prints "lcngw NAME: err" and returns code.
func Fail(stdio Stdio, name string, code int, err error) int { return fail(stdio, name, code, err) }
