package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/lcngw/lcngw/signer"
)

// maxInput bounds what a command reads from stdin.
const maxInput = 64 << 20

func readInput(stdio Stdio) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(stdio.In, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("stdin larger than %d bytes", maxInput)
	}
	return b, nil
}

// readForm reads a form body from stdin; surrounding white space (a
// trailing newline from echo or a file) is not part of the body.
func readForm(stdio Stdio) (signer.Fields, error) {
	b, err := readInput(stdio)
	if err != nil {
		return nil, err
	}
	fs, err := signer.ParseForm(bytes.TrimSpace(b))
	if err != nil {
		return nil, fmt.Errorf("stdin is not a form body: %w", err)
	}
	return fs, nil
}

// runSign: unsigned form body in → the same body with the signature fields
// appended (any already present are replaced).
func runSign(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("sign", stdio)
	var sec secretFlags
	sec.register(fl, false)
	algos := fl.String("algos", "md5,sha256,sha3-256", "signatures to append (comma-separated: md5, sha256, sha3-256)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "sign", exitInvalid, err)
	}
	set, err := signer.ParseAlgorithms(*algos)
	if err != nil {
		return fail(stdio, "sign", exitInvalid, err)
	}
	fs, err := readForm(stdio)
	if err != nil {
		return fail(stdio, "sign", exitInvalid, err)
	}
	out := signer.New(key).AppendSignedForm(nil, fs, set)
	fmt.Fprintf(stdio.Out, "%s\n", out)
	return exitOK
}

// runVerify: signed body in → one line per signature field present.
func runVerify(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("verify", stdio)
	var sec secretFlags
	sec.register(fl, false)
	if code, ok := parse(fl, args); !ok {
		return code
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "verify", exitInvalid, err)
	}
	fs, err := readForm(stdio)
	if err != nil {
		return fail(stdio, "verify", exitInvalid, err)
	}
	checks := signer.New(key).Check(fs)
	ok := len(checks) > 0
	for _, c := range checks {
		state := "valid"
		if !c.Valid {
			state, ok = "invalid", false
		}
		fmt.Fprintf(stdio.Out, "%s %s\n", c.Algorithm.Field(), state)
	}
	if len(checks) == 0 {
		fmt.Fprintln(stdio.Err, "lcngw verify: no signature field present")
	}
	if !ok {
		return exitFailed
	}
	return exitOK
}
