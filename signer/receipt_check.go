package signer

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"strconv"

	"github.com/lcngw/lcngw/internal/formdecode"
)

// Receipt-check errors; test with errors.Is.
const (
	// ErrNoReceipt: the response body holds no well-formed read receipt.
	ErrNoReceipt = constError("no read receipt in response")
	// ErrReceiptAlgorithm: receipts were found, but none in an accepted algorithm.
	ErrReceiptAlgorithm = constError("read receipt algorithm not accepted")
	// ErrReceiptMismatch: a receipt in an accepted algorithm was found, but
	// its hash does not match the notification and its own DATE.
	ErrReceiptMismatch = constError("read receipt hash mismatch")
)

// Receipt is a verified read receipt.
type Receipt struct {
	// Algorithm signed the receipt.
	Algorithm Algorithm
	// Date is the receipt's DATE string, verbatim.
	Date string
	// Variant tells how the merchant computed it: ReceiptStandard, or the
	// way one of the official SDKs does.
	Variant ReceiptVariant
}

// ReceiptPolicy says which read receipts count.
type ReceiptPolicy struct {
	// Accept lists the algorithms a receipt may use; empty accepts all three.
	Accept Algorithms
	// StandardOnly refuses IPN receipts computed the way the official
	// SDKs compute them (see ReceiptVariant); by default they count.
	StandardOnly bool
}

// maxReceiptDate bounds the DATE string a receipt may carry.
const maxReceiptDate = 64

// CheckReceipt looks for read receipts anywhere in body — the
// <EPAYMENT>DATE|HASH</EPAYMENT> form and the <sig algo="…" date="…">HASH</sig>
// form (algo sha256, sha3-256, or sha3_256 as the official Python SDK writes
// it) — and returns the first that verifies against the notification fs.
// Each receipt is recomputed with its own DATE string verbatim, so YmdHis,
// PHP's YmdGis or any other rendering is accepted; hex is compared
// case-insensitively and in constant time. Only algorithms in accept count.
// An IPN receipt computed the way an official SDK computes it also counts
// (see ReceiptVariant and CheckReceiptWith).
func (s *Signer) CheckReceipt(body []byte, kind Kind, fs Fields, accept Algorithms) (Receipt, error) {
	return s.CheckReceiptWith(body, kind, fs, ReceiptPolicy{Accept: accept})
}

// CheckReceiptWith is CheckReceipt under policy p: the receipts p accepts,
// with or without the SDK variants.
func (s *Signer) CheckReceiptWith(body []byte, kind Kind, fs Fields, p ReceiptPolicy) (Receipt, error) {
	accept := p.Accept
	if accept.Empty() {
		accept = AllAlgorithms
	}
	var sawAlgo, sawMismatch bool
	for i := bytes.IndexByte(body, '<'); i >= 0; {
		c, n, ok := parseReceipt(body[i:])
		if ok {
			switch {
			case !accept.Has(c.alg):
				sawAlgo = true
			default:
				v, match, err := s.receiptMatches(kind, fs, c, !p.StandardOnly)
				if err != nil {
					return Receipt{}, err
				}
				if match {
					return Receipt{Algorithm: c.alg, Date: string(c.date), Variant: v}, nil
				}
				sawMismatch = true
			}
		}
		next := bytes.IndexByte(body[i+n:], '<')
		if next < 0 {
			break
		}
		i += n + next
	}
	switch {
	case sawMismatch:
		return Receipt{}, ErrReceiptMismatch
	case sawAlgo:
		return Receipt{}, fmt.Errorf("%w (accepted: %s)", ErrReceiptAlgorithm, accept)
	}
	return Receipt{}, ErrNoReceipt
}

// receiptMatches reports whether candidate c verifies against fs: by the
// documented rule, or, with sdk and for an IPN, as one of the official
// SDKs computes receipts. Each variant is tried only when its message
// differs from the documented one.
func (s *Signer) receiptMatches(kind Kind, fs Fields, c candidate, sdk bool) (ReceiptVariant, bool, error) {
	var err error
	s.msg, err = appendReceiptFields(s.msg[:0], kind, fs)
	if err != nil {
		return ReceiptStandard, false, err
	}
	s.msg = strconv.AppendInt(s.msg, int64(len(c.date)), 10)
	s.msg = append(s.msg, c.date...)
	want := c.raw[:c.alg.Size()]
	if hmac.Equal(s.Sum(s.sum[:0], c.alg, s.msg), want) {
		return ReceiptStandard, true, nil
	}
	if !sdk || kind != KindIPN {
		return ReceiptStandard, false, nil
	}
	std := len(s.msg)
	date := string(c.date)
	for v := ReceiptStandard + 1; v < receiptVariants; v++ {
		s.msg = appendVariantReceiptMessage(s.msg[:std], v, fs, date)
		if bytes.Equal(s.msg[std:], s.msg[:std]) {
			continue // the same message as the documented rule: already refused
		}
		if hmac.Equal(s.Sum(s.sum[:0], c.alg, s.msg[std:]), want) {
			return v, true, nil
		}
	}
	return ReceiptStandard, false, nil
}

type candidate struct {
	alg  Algorithm
	date []byte
	raw  [32]byte // the digest, alg.Size() bytes of it
}

// parseReceipt parses a receipt starting at b[0] == '<'. It returns the
// candidate, how many bytes to skip, and whether one was found.
func parseReceipt(b []byte) (candidate, int, bool) {
	sc := scanner{b: b}
	switch {
	case sc.literalFold("<EPAYMENT>"):
		return sc.epayment()
	case sc.literalFold("<sig") && sc.space():
		return sc.sig()
	}
	return candidate{}, 1, false
}

type scanner struct {
	b []byte
	i int
}

func (sc *scanner) literalFold(lit string) bool {
	if len(sc.b)-sc.i < len(lit) || !bytes.EqualFold(sc.b[sc.i:sc.i+len(lit)], []byte(lit)) {
		return false
	}
	sc.i += len(lit)
	return true
}

// space skips white space and reports whether there was any.
func (sc *scanner) space() bool {
	start := sc.i
	for sc.i < len(sc.b) {
		switch sc.b[sc.i] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			sc.i++
			continue
		}
		break
	}
	return sc.i > start
}

// until returns the bytes before the first stop byte, failing on '<' or
// when longer than max.
func (sc *scanner) until(stop byte, max int) ([]byte, bool) {
	start := sc.i
	for sc.i < len(sc.b) && sc.i-start <= max {
		switch sc.b[sc.i] {
		case stop:
			return sc.b[start:sc.i], true
		case '<':
			return nil, false
		}
		sc.i++
	}
	return nil, false
}

func (sc *scanner) hexDigest(c *candidate, size int) bool {
	if len(sc.b)-sc.i < 2*size {
		return false
	}
	src := sc.b[sc.i : sc.i+2*size]
	if !decodeHex(c.raw[:size], src) {
		return false
	}
	if sc.i+2*size < len(sc.b) && formdecode.IsHex(sc.b[sc.i+2*size]) {
		return false // longer than a digest
	}
	sc.i += 2 * size
	return true
}

func (sc *scanner) epayment() (candidate, int, bool) {
	c := candidate{alg: MD5}
	sc.space()
	date, ok := sc.until('|', maxReceiptDate)
	if !ok {
		return c, sc.i, false
	}
	c.date = date
	sc.i++ // '|'
	if !sc.hexDigest(&c, MD5.Size()) {
		return c, sc.i, false
	}
	sc.space()
	return c, sc.i, sc.literalFold("</EPAYMENT>")
}

func (sc *scanner) sig() (candidate, int, bool) {
	var c candidate
	var algo []byte
	for {
		sc.space()
		if sc.i < len(sc.b) && sc.b[sc.i] == '>' {
			sc.i++
			break
		}
		name, value, ok := sc.attribute()
		if !ok {
			return c, sc.i, false
		}
		switch {
		case bytes.EqualFold(name, []byte("algo")):
			algo = value
		case bytes.EqualFold(name, []byte("date")):
			c.date = value
		}
	}
	a, ok := sigAlgorithm(algo)
	if !ok || c.date == nil {
		return c, sc.i, false
	}
	c.alg = a
	sc.space()
	if !sc.hexDigest(&c, a.Size()) {
		return c, sc.i, false
	}
	sc.space()
	return c, sc.i, sc.literalFold("</sig>")
}

// attribute parses name = "value" (or 'value').
func (sc *scanner) attribute() (name, value []byte, ok bool) {
	start := sc.i
	for sc.i < len(sc.b) && (sc.b[sc.i] == '_' || sc.b[sc.i]|0x20 >= 'a' && sc.b[sc.i]|0x20 <= 'z') {
		sc.i++
	}
	name = sc.b[start:sc.i]
	sc.space()
	if len(name) == 0 || sc.i >= len(sc.b) || sc.b[sc.i] != '=' {
		return nil, nil, false
	}
	sc.i++
	sc.space()
	if sc.i >= len(sc.b) || (sc.b[sc.i] != '"' && sc.b[sc.i] != '\'') {
		return nil, nil, false
	}
	q := sc.b[sc.i]
	sc.i++
	value, ok = sc.until(q, maxReceiptDate)
	if !ok {
		return nil, nil, false
	}
	sc.i++
	return name, value, true
}

// sigAlgorithm maps a <sig algo="…"> token: sha256, sha3-256, or sha3_256
// (the official Python SDK's spelling), in any case.
func sigAlgorithm(token []byte) (Algorithm, bool) {
	switch {
	case bytes.EqualFold(token, []byte("sha256")):
		return SHA256, true
	case bytes.EqualFold(token, []byte("sha3-256")), bytes.EqualFold(token, []byte("sha3_256")):
		return SHA3256, true
	}
	return 0, false
}
