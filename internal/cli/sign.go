package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
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
	// Byte-exact, with no trailing newline (see runBuild).
	stdio.Out.Write(signer.New(key).AppendSignedForm(nil, fs, set))
	return exitOK
}

// policyFlags are the signature policy flags verify and receive share, so
// both accept and refuse the same notifications.
type policyFlags struct {
	require      *string
	allowMD5Only *bool
}

func (p *policyFlags) register(fl *flag.FlagSet) {
	p.require = fl.String("require", "", "algorithms that must be present, e.g. sha256,sha3-256 (default: strongest present)")
	p.allowMD5Only = fl.Bool("allow-md5-only", false, "accept notifications signed with MD5 (HASH) alone")
}

func (p *policyFlags) policy() (signer.Policy, error) {
	pol := signer.Policy{AllowMD5Only: *p.allowMD5Only}
	if *p.require != "" {
		var err error
		if pol.Require, err = signer.ParseAlgorithms(*p.require); err != nil {
			return pol, fmt.Errorf("--require: %w", err)
		}
	}
	return pol, nil
}

// runVerify: signed body in → one line per signature field present, then
// the receiver's verdict under the same policy (--require,
// --allow-md5-only): exit 0 only when every signature is valid and the
// policy accepts the notification, as lcngw receive would.
func runVerify(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("verify", stdio)
	var sec secretFlags
	sec.register(fl, false)
	var pf policyFlags
	pf.register(fl)
	if code, ok := parse(fl, args); !ok {
		return code
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "verify", exitInvalid, err)
	}
	pol, err := pf.policy()
	if err != nil {
		return fail(stdio, "verify", exitInvalid, err)
	}
	fs, err := readForm(stdio)
	if err != nil {
		return fail(stdio, "verify", exitInvalid, err)
	}
	s := signer.New(key)
	for _, c := range s.Check(fs) {
		state := "valid"
		if !c.Valid {
			state = "invalid"
		}
		fmt.Fprintf(stdio.Out, "%s %s\n", c.Algorithm.Field(), state)
	}
	if _, err := s.Verify(fs, pol); err != nil {
		if errors.Is(err, signer.ErrMD5Only) {
			err = fmt.Errorf("%w: refused, as lcngw receive refuses it (--allow-md5-only accepts it)", err)
		}
		return fail(stdio, "verify", exitFailed, err)
	}
	return exitOK
}

// readFull reads r into b until b is full or r ends, and returns how many
// bytes it read; a full b is not an error.
func readFull(r io.Reader, b []byte) (int, error) {
	n, err := io.ReadFull(r, b)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}
