package endpoint

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lcngw/lcngw/receiver"
)

// errYear reports a receipt time that RFC 3339, and so the JSON line,
// cannot represent.
var errYear = errors.New("received_at: year outside of range [0,9999]")

// appendRecord appends the JSON line of NewRecord(n) to dst: byte for byte
// what encoding/json's Encoder writes with HTML escaping off, newline
// included, but without reflection or allocation.
func appendRecord(dst []byte, n *receiver.Notification) ([]byte, error) {
	at := n.ReceivedAt.UTC()
	if y := at.Year(); y < 0 || y > 9999 {
		return dst, errYear
	}
	dst = append(dst, `{"kind":`...)
	dst = appendJSONString(dst, n.Kind.String())
	dst = append(dst, `,"message_id":`...)
	dst = appendJSONString(dst, n.MessageID)
	dst = append(dst, `,"vendor_code":`...)
	dst = appendJSONString(dst, n.VendorCode)
	dst = append(dst, `,"algorithm":`...)
	dst = appendJSONString(dst, n.Algorithm.String())
	dst = append(dst, `,"duplicate":`...)
	dst = strconv.AppendBool(dst, n.Duplicate)
	dst = append(dst, `,"received_at":"`...)
	dst = at.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","fields":[`...)
	for i, f := range n.Fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"name":`...)
		dst = appendJSONString(dst, f.Name)
		dst = append(dst, `,"values":`...)
		dst = appendJSONStrings(dst, f.Values)
		dst = append(dst, `,"array":`...)
		dst = strconv.AppendBool(dst, f.Array)
		dst = append(dst, '}')
	}
	return append(dst, "]}\n"...), nil
}

// appendJSONStrings appends vs as a JSON array (null when nil, as
// encoding/json writes a nil slice).
func appendJSONStrings(dst []byte, vs []string) []byte {
	if vs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, v)
	}
	return append(dst, ']')
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: '"', '\\' and control characters are escaped
// (\b \f \n \r \t, else \u00XX), invalid UTF-8 becomes \ufffd, and U+2028
// and U+2029 are escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
