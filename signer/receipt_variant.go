package signer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReceiptVariant tells how a merchant computed an IPN read receipt that
// verified: by the documented rule, or the way one of the platform's
// official SDKs computes it. Its String form is a bounded metric label.
//
// The documented rule prefixes each value with its length in UTF-8 bytes
// and signs only the first product. The official Python and Ruby SDKs
// count characters (code points) instead, the Java and Node SDKs UTF-16
// code units, and the .NET SDK UTF-16 code units over every IPN_PID[] and
// IPN_PNAME[] element, not only the first. Whenever a product name is not
// ASCII (an en dash is enough), or an order has several products for .NET,
// those SDKs answer receipts the documented rule rejects although the
// merchant processed the notification. Every variant is still an HMAC of
// the notification's own values and the receipt's DATE under the
// merchant's key, so accepting one proves the key as the documented form
// does.
type ReceiptVariant uint8

// Receipt variants, tried in this order; the first that verifies names the
// receipt. Several SDKs share one computation for most values, so the
// variants name computations, not SDKs.
const (
	// ReceiptStandard is the documented rule: UTF-8 byte lengths, the
	// first product.
	ReceiptStandard ReceiptVariant = iota
	// ReceiptCodePoints counts characters (code points): the Ruby SDK,
	// and the Python, Java and Node SDKs for text without characters
	// outside the Basic Multilingual Plane or surrounding white space.
	ReceiptCodePoints
	// ReceiptUTF16 counts UTF-16 code units: the Java SDK (and Node's,
	// .NET's for one product) for text with characters such as emoji.
	ReceiptUTF16
	// ReceiptLeftTrimmed counts code points of IPN_PID and IPN_PNAME
	// left-trimmed of white space: the Python SDK.
	ReceiptLeftTrimmed
	// ReceiptTrimmed counts UTF-16 code units of values trimmed of white
	// space: the Node SDK.
	ReceiptTrimmed
	// ReceiptAllProducts counts UTF-16 code units over every IPN_PID[]
	// then every IPN_PNAME[] element, PHP-style backslash escapes removed
	// from them: the .NET SDK.
	ReceiptAllProducts
	receiptVariants
)

// ReceiptVariants returns every variant, ReceiptStandard first.
func ReceiptVariants() []ReceiptVariant {
	out := make([]ReceiptVariant, receiptVariants)
	for i := range out {
		out[i] = ReceiptVariant(i)
	}
	return out
}

var variantNames = [receiptVariants]string{"standard", "code_points", "utf16_units", "left_trimmed", "trimmed", "all_products"}

// String returns the variant's label: standard, code_points, utf16_units,
// left_trimmed, trimmed or all_products.
func (v ReceiptVariant) String() string {
	if v < receiptVariants {
		return variantNames[v]
	}
	return "variant(" + strconv.Itoa(int(v)) + ")"
}

// lengthUnit is what a variant counts in a value's length prefix.
type lengthUnit uint8

const (
	unitBytes lengthUnit = iota
	unitCodePoints
	unitUTF16
)

func (u lengthUnit) count(s string) int {
	switch u {
	case unitCodePoints:
		return utf8.RuneCountInString(s)
	case unitUTF16:
		n := 0
		for _, r := range s {
			n++
			if r >= 0x10000 {
				n++ // a surrogate pair
			}
		}
		return n
	}
	return len(s)
}

// appendVariantReceiptMessage appends the message an IPN receipt of
// variant v signs, dated date. fs must hold IPN_PID, IPN_PNAME and
// IPN_DATE (appendReceiptFields checked).
func appendVariantReceiptMessage(dst []byte, v ReceiptVariant, fs Fields, date string) []byte {
	pid := fs[fs.Index("IPN_PID")]
	pname := fs[fs.Index("IPN_PNAME")]
	ipnDate := fs[fs.Index("IPN_DATE")].Value()
	add := func(u lengthUnit, s string) {
		dst = strconv.AppendInt(dst, int64(u.count(s)), 10)
		dst = append(dst, s...)
	}
	switch v {
	case ReceiptLeftTrimmed:
		add(unitCodePoints, strings.TrimLeftFunc(pid.Value(), unicode.IsSpace))
		add(unitCodePoints, strings.TrimLeftFunc(pname.Value(), unicode.IsSpace))
		add(unitCodePoints, ipnDate)
		add(unitCodePoints, date)
	case ReceiptCodePoints, ReceiptUTF16:
		u := unitCodePoints
		if v == ReceiptUTF16 {
			u = unitUTF16
		}
		for _, s := range [...]string{pid.Value(), pname.Value(), ipnDate, date} {
			add(u, s)
		}
	case ReceiptTrimmed:
		for _, s := range [...]string{pid.Value(), pname.Value(), ipnDate, date} {
			add(unitUTF16, strings.TrimSpace(s))
		}
	case ReceiptAllProducts:
		for _, f := range [...]Field{pid, pname} {
			for _, s := range f.Values {
				add(unitUTF16, stripSlashes(s))
			}
		}
		add(unitUTF16, ipnDate)
		add(unitUTF16, date)
	}
	return dst
}

// stripSlashes removes a backslash before NUL, BS, TAB, LF, CR, SUB, ",
// ', \ or `, left to right, as the .NET SDK's StripSlashes does.
func stripSlashes(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\x00\b\t\n\r\x1a\"'\\`", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
