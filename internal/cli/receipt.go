package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// runReceipt: notification body in → the read receipt a merchant answers.
func runReceipt(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("receipt", stdio)
	var sec secretFlags
	sec.register(fl, false)
	kindFlag := fl.String("kind", "", "notification kind: lcn or ipn (default: detected from the fields)")
	algo := fl.String("algo", "sha3-256", "receipt algorithm: md5 (<EPAYMENT> form), sha256 or sha3-256")
	date := fl.String("date", "", "receipt DATE (default: now, YmdHis)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	alg, err := signer.ParseAlgorithm(*algo)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	fs, err := readForm(stdio)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	kind := signer.DetectKind(fs)
	if *kindFlag != "" {
		k, ok := signer.ParseKind(*kindFlag)
		if !ok {
			return fail(stdio, "receipt", exitInvalid, fmt.Errorf("--kind must be lcn or ipn, not %q", *kindFlag))
		}
		kind = k
	}
	if *date == "" {
		*date = signer.ReceiptDate(time.Now())
	}
	out, err := signer.New(key).AppendReceipt(nil, kind, fs, alg, *date)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	fmt.Fprintf(stdio.Out, "%s\n", out)
	return exitOK
}
