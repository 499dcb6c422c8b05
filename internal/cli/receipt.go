package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// maxAnswer bounds a merchant's answer read by receipt --check-file, as the
// gateway bounds the response body it reads.
const maxAnswer = 1 << 20

// runReceipt: notification body in → the read receipt a merchant answers,
// or, with --check/--check-file, whether a merchant's answer holds a
// receipt the gateway accepts.
func runReceipt(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("receipt", stdio)
	var sec secretFlags
	sec.register(fl, false)
	kindFlag := fl.String("kind", "", "notification kind: lcn or ipn (default: detected from the fields)")
	algo := fl.String("algo", "sha3-256", "receipt algorithm: md5 (<EPAYMENT> form), sha256 or sha3-256")
	date := fl.String("date", "", "receipt DATE, YmdHis (default: now)")
	check := fl.String("check", "", "check this answer of a merchant's endpoint (the receipt, or a page holding it) instead of printing a receipt")
	checkFile := fl.String("check-file", "", "check the answer in this file instead of printing a receipt")
	standardOnly := fl.Bool("standard-only", false, "with --check: refuse receipts computed as 2Checkout's SDKs compute them (character counts)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	alg, err := signer.ParseAlgorithm(*algo)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, fmt.Errorf("--algo: %w", err))
	}
	if *date != "" && !validReceiptDate(*date) {
		return fail(stdio, "receipt", exitInvalid, fmt.Errorf("--date must be YmdHis, e.g. 20081117145935 (or PHP's YmdGis), not %q", clipArg(*date)))
	}
	answer, checking, err := readAnswer(*check, *checkFile)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	kind, err := receiptKind(*kindFlag)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	fs, err := readForm(stdio)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	if kind == signer.KindUnknown {
		kind = signer.DetectKind(fs)
	}
	s := signer.New(key)
	if checking {
		return checkAnswer(stdio, s, kind, fs, answer, *standardOnly)
	}
	if *date == "" {
		*date = signer.ReceiptDate(time.Now())
	}
	out, err := s.AppendReceipt(nil, kind, fs, alg, *date)
	if err != nil {
		return fail(stdio, "receipt", exitInvalid, err)
	}
	fmt.Fprintf(stdio.Out, "%s\n", out)
	return exitOK
}

func receiptKind(s string) (signer.Kind, error) {
	if s == "" {
		return signer.KindUnknown, nil
	}
	k, ok := signer.ParseKind(s)
	if !ok {
		return 0, fmt.Errorf("--kind must be lcn or ipn, not %q", clipArg(s))
	}
	return k, nil
}

// readAnswer returns the answer to check from --check or --check-file, and
// whether one was given.
func readAnswer(text, path string) ([]byte, bool, error) {
	switch {
	case text != "" && path != "":
		return nil, false, errors.New("give --check or --check-file, not both")
	case text != "":
		return []byte(text), true, nil
	case path == "":
		return nil, false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("--check-file: %w", err)
	}
	defer f.Close()
	b := make([]byte, maxAnswer)
	n, err := readFull(f, b)
	if err != nil {
		return nil, false, fmt.Errorf("--check-file: %w", err)
	}
	return b[:n], true, nil
}

// checkAnswer reports whether answer holds a read receipt for fs that the
// gateway accepts: exit 0 if so, 1 if not.
func checkAnswer(stdio Stdio, s *signer.Signer, kind signer.Kind, fs signer.Fields, answer []byte, standardOnly bool) int {
	rc, err := s.CheckReceiptWith(answer, kind, fs, signer.ReceiptPolicy{StandardOnly: standardOnly})
	if err != nil {
		return fail(stdio, "receipt", exitFailed, err)
	}
	how := "as documented"
	if rc.Variant != signer.ReceiptStandard {
		how = fmt.Sprintf("as 2Checkout's SDKs compute it (%s); accepted unless the endpoint sets receipt_sdk_variants: false", rc.Variant)
	}
	fmt.Fprintf(stdio.Out, "valid: %s receipt dated %q, computed %s\n", rc.Algorithm, rc.Date, how)
	return exitOK
}

// clipArg shortens a flag value quoted in an error.
func clipArg(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// validReceiptDate accepts a receipt DATE in YmdHis, or in YmdGis (PHP's
// hour without a leading zero, 13 digits before 10:00) as the platform's
// LCN sample writes it.
func validReceiptDate(s string) bool {
	if len(s) == len(signer.ReceiptDateLayout)-1 {
		s = s[:8] + "0" + s[8:]
	}
	if len(s) != len(signer.ReceiptDateLayout) {
		return false
	}
	_, err := time.Parse(signer.ReceiptDateLayout, s)
	return err == nil
}
