package templates

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/signer"
)

// ReceiptFormat is the read-receipt form an endpoint answers a notification
// with, as chosen in the platform's IPN and LCN settings. The zero value is
// [ReceiptAuto].
type ReceiptFormat uint8

// The receipt formats.
const (
	// ReceiptAuto answers with the strongest algorithm whose signature was
	// verified: <sig algo="sha3-256" …>, then <sig algo="sha256" …>, and the
	// legacy <EPAYMENT>DATE|HASH</EPAYMENT> when only HASH (MD5) verified.
	// This is what the platform's SDKs do, and the default.
	ReceiptAuto ReceiptFormat = iota
	// ReceiptEPayment always answers <EPAYMENT>DATE|HASH</EPAYMENT> (HMAC-MD5).
	ReceiptEPayment
	// ReceiptSHA256 always answers <sig algo="sha256" date="DATE">HASH</sig>.
	ReceiptSHA256
	// ReceiptSHA3256 always answers <sig algo="sha3-256" date="DATE">HASH</sig>.
	ReceiptSHA3256
)

var receiptNames = [...]string{
	ReceiptAuto:     "auto",
	ReceiptEPayment: "epayment",
	ReceiptSHA256:   "sha256",
	ReceiptSHA3256:  "sha3-256",
}

// ParseReceiptFormat parses "auto", "epayment", "sha256" or "sha3-256",
// ignoring case and surrounding space; "sha3_256" is accepted for
// "sha3-256", as the platform's Python SDK spells it.
func ParseReceiptFormat(s string) (ReceiptFormat, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "sha3_256" {
		v = "sha3-256"
	}
	for f, name := range receiptNames {
		if v == name {
			return ReceiptFormat(f), nil
		}
	}
	return 0, fmt.Errorf("unknown receipt format %q (want auto, epayment, sha256 or sha3-256)", s)
}

// String returns the format's configuration name, or "unknown".
func (f ReceiptFormat) String() string {
	if int(f) < len(receiptNames) {
		return receiptNames[f]
	}
	return "unknown"
}

// Choose returns the algorithm to compute the receipt with, given the set of
// algorithms whose signatures verified. It reports false when verified is
// empty, since an unauthenticated notification gets no receipt, and for an
// unknown format. A fixed format answers in its own algorithm whatever
// verified: the receipt is keyed with the same secret either way.
func (f ReceiptFormat) Choose(verified signer.Algorithms) (signer.Algorithm, bool) {
	if verified.Empty() {
		return 0, false
	}
	switch f {
	case ReceiptAuto:
		return verified.Strongest()
	case ReceiptEPayment:
		return signer.MD5, true
	case ReceiptSHA256:
		return signer.SHA256, true
	case ReceiptSHA3256:
		return signer.SHA3256, true
	}
	return 0, false
}

// MarshalText returns the configuration name.
func (f ReceiptFormat) MarshalText() ([]byte, error) {
	if int(f) >= len(receiptNames) {
		return nil, fmt.Errorf("receipt format %d: unknown", uint8(f))
	}
	return []byte(f.String()), nil
}

// UnmarshalText parses a configuration name with [ParseReceiptFormat].
func (f *ReceiptFormat) UnmarshalText(text []byte) error {
	v, err := ParseReceiptFormat(string(text))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// UnmarshalYAML parses a scalar configuration name. Its errors carry the
// line number and are collected with the decoder's other errors.
func (f *ReceiptFormat) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: receipt format must be a string", n.Line)}}
	}
	v, err := ParseReceiptFormat(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*f = v
	return nil
}
