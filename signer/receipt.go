package signer

import (
	"fmt"
	"time"
)

// ReceiptDateLayout is the receipt DATE format (PHP "YmdHis").
const ReceiptDateLayout = "20060102150405"

// ErrReceiptFields reports a notification lacking a field the read receipt
// is computed over.
const ErrReceiptFields = constError("notification lacks a read-receipt field")

// ReceiptDate formats t as a receipt DATE ("YmdHis", e.g. 20081117145935).
func ReceiptDate(t time.Time) string { return t.Format(ReceiptDateLayout) }

// AppendReceiptMessage appends the message a read receipt signs: for an LCN
// LICENSE_CODE, EXPIRATION_DATE and date; for an IPN the first elements of
// IPN_PID and IPN_PNAME, IPN_DATE and date — each length-prefixed like the
// notification's own message.
func AppendReceiptMessage(dst []byte, kind Kind, fs Fields, date string) ([]byte, error) {
	dst, err := appendReceiptFields(dst, kind, fs)
	if err != nil {
		return dst, err
	}
	return AppendValue(dst, date), nil
}

// appendReceiptFields appends the notification values a receipt signs,
// before its DATE.
func appendReceiptFields(dst []byte, kind Kind, fs Fields) ([]byte, error) {
	var names [3]string
	switch kind {
	case KindLCN:
		names = [3]string{"LICENSE_CODE", "EXPIRATION_DATE"}
	case KindIPN:
		names = [3]string{"IPN_PID", "IPN_PNAME", "IPN_DATE"}
	default:
		return dst, fmt.Errorf("receipt: %w: unknown notification kind", ErrReceiptFields)
	}
	for _, name := range names {
		if name == "" {
			break
		}
		i := fs.Index(name)
		if i < 0 {
			return dst, fmt.Errorf("receipt: %w: %s", ErrReceiptFields, name)
		}
		dst = AppendValue(dst, fs[i].Value())
	}
	return dst, nil
}

// AppendReceipt appends the read receipt for the notification fs, signed
// with a and dated date: <EPAYMENT>DATE|HASH</EPAYMENT> for MD5, otherwise
// <sig algo="sha256|sha3-256" date="DATE">HASH</sig>.
func (s *Signer) AppendReceipt(dst []byte, kind Kind, fs Fields, a Algorithm, date string) ([]byte, error) {
	var err error
	s.msg, err = AppendReceiptMessage(s.msg[:0], kind, fs, date)
	if err != nil {
		return dst, err
	}
	digest := s.Sum(s.sum[:0], a, s.msg)
	if a == MD5 {
		dst = append(dst, "<EPAYMENT>"...)
		dst = append(dst, date...)
		dst = append(dst, '|')
		dst = appendHex(dst, digest)
		return append(dst, "</EPAYMENT>"...), nil
	}
	dst = append(dst, `<sig algo="`...)
	dst = append(dst, a.String()...)
	dst = append(dst, `" date="`...)
	dst = append(dst, date...)
	dst = append(dst, `">`...)
	dst = appendHex(dst, digest)
	return append(dst, "</sig>"...), nil
}

const lowerhex = "0123456789abcdef"

func appendHex(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, lowerhex[c>>4], lowerhex[c&15])
	}
	return dst
}
