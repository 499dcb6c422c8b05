// Package cli implements the lcngw subcommands. Each reads standard input,
// writes standard output, and returns an exit code: 0 on success, 1 when
// the input fails a check (a bad signature), 2 for usage errors and invalid
// input.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Stdio are the streams a command uses.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // a check failed (signature invalid, not delivered)
	exitInvalid = 2 // bad usage or invalid input
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string, io Stdio) int
}

// commands is filled by the init functions of the files that define them.
var commands = map[string]command{}

func init() {
	register("sign", "sign a form body read from stdin", runSign)
	register("verify", "check the signatures of a form body read from stdin", runVerify)
	register("receipt", "print the read receipt for a notification read from stdin", runReceipt)
	register("version", "print the version", runVersion)
}

// register adds a subcommand; files that define commands call it from init.
func register(name, summary string, run func(context.Context, []string, Stdio) int) {
	commands[name] = command{summary, run}
}

// Run dispatches args[0] to its subcommand.
func Run(ctx context.Context, args []string, stdio Stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdio.Out)
		if len(args) == 0 {
			return exitInvalid
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Err, "lcngw: unknown command %q\n\n", args[0])
		usage(stdio.Err)
		return exitInvalid
	}
	return cmd.run(ctx, args[1:], stdio)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "lcngw — 2Checkout LCN/IPN webhook gateway\n\nUsage: lcngw <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-15s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"lcngw <command> -h\" for a command's flags.")
}

// newFlags returns a flag set that reports errors to stdio.Err.
func newFlags(name string, stdio Stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("lcngw "+name, flag.ContinueOnError)
	fs.SetOutput(stdio.Err)
	return fs
}

// parse parses args and returns the exit code to use when parsing failed.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitInvalid, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected arguments: %s\n", fs.Name(), strings.Join(fs.Args(), " "))
		return exitInvalid, false
	}
	return 0, true
}

// fail prints "lcngw NAME: err" and returns code.
func fail(stdio Stdio, name string, code int, err error) int {
	fmt.Fprintf(stdio.Err, "lcngw %s: %v\n", name, err)
	return code
}
