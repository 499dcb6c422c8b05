package param

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// stringStop marks the bytes that end a run of plain string content: the
// closing quote, a backslash and the control characters JSON forbids.
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str decodes a string literal. Without escapes the result is a substring
// of the document; with escapes it is unescaped as encoding/json does.
func (d *direct) str() (string, bool) {
	if d.data[d.pos] != '"' {
		return "", false
	}
	start := d.pos + 1
	i := scanString(d.data, start)
	if i < len(d.data) && d.data[i] == '"' {
		d.pos = i + 1
		return d.doc[start:i], true
	}
	if i < len(d.data) && d.data[i] == '\\' {
		return d.unescape(start, i)
	}
	return "", false
}

// scanString returns the position of the first byte from i on that ends a
// run of plain string content (len(data) when there is none). It tests
// eight bytes at a time (see stopBytes), then finishes byte by byte.
func scanString(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		if m := stopBytes(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(data) && !stringStop[data[i]] {
		i++
	}
	return i
}

// stopBytes marks the high bit of every byte of the little-endian word x
// that is a quote, a backslash or below 0x20; its lowest mark is exact
// (marks above a stop byte may be spurious, from the borrow). Each test is
// the classic "has a byte less than n" on x or on x with the wanted byte
// xored to zero.
func stopBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	return ((x-ones*0x20)&^x | (quote-ones)&^quote | (slash-ones)&^slash) & highs
}

// key returns the raw content of a member name; names with escapes are
// left to the reference path.
func (d *direct) key() ([]byte, bool) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, false
	}
	start := d.pos + 1
	i := scanString(d.data, start)
	if i >= len(d.data) || d.data[i] != '"' {
		return nil, false
	}
	d.pos = i + 1
	return d.data[start:i], true
}

// rawString returns a string literal without escapes, quotes included, as
// encoding/json hands it to an Unmarshaler.
func (d *direct) rawString() ([]byte, bool) {
	start := d.pos
	if _, ok := d.key(); !ok {
		return nil, false
	}
	return d.data[start:d.pos], true
}

// unescape decodes a string literal whose content starts at start and
// whose first escape is at esc, exactly as encoding/json does: a lone or
// reversed surrogate becomes U+FFFD. The document is valid UTF-8 already.
func (d *direct) unescape(start, esc int) (string, bool) {
	b := append(d.buf[:0], d.data[start:esc]...)
	i := esc
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos, d.buf = i+1, b
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			return "", false
		}
		switch e := d.data[i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			var n int
			if b, n = appendU4(b, d.data[i:]); n == 0 {
				return "", false
			}
			i += n
			continue
		default:
			return "", false
		}
		i += 2
	}
	return "", false
}

// appendU4 decodes the \uXXXX escape (or surrogate pair) at the start of s
// and returns how many bytes it took (0: malformed).
func appendU4(b, s []byte) ([]byte, int) {
	r := hex4(s)
	if r < 0 {
		return b, 0
	}
	if utf16.IsSurrogate(r) {
		if r2 := hex4Escape(s[6:]); r2 >= 0 {
			if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
				return utf8.AppendRune(b, dec), 12
			}
		}
		r = unicode.ReplacementChar
	}
	return utf8.AppendRune(b, r), 6
}

// hex4 reads `\uXXXX` at the start of s; -1 when malformed.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// hex4Escape is hex4 for the escape that may follow a surrogate; a
// malformed one is left for the main loop to reject.
func hex4Escape(s []byte) rune {
	if len(s) < 6 {
		return -1
	}
	return hex4(s)
}

// number scans a JSON number and returns its digits without sign when it
// is an integer (no fraction, no exponent); ok is false for anything else,
// which encoding/json would not put in an integer either.
func (d *direct) number() (digits []byte, neg, ok bool) {
	i := d.pos
	if i < len(d.data) && d.data[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
		i++
	}
	digits = d.data[start:i]
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return nil, false, false
	}
	if i < len(d.data) {
		switch d.data[i] {
		case '.', 'e', 'E':
			return nil, false, false
		}
	}
	d.pos = i
	return digits, neg, true
}

// uint decodes a non-negative integer that fits 64 bits.
func (d *direct) uint() (uint64, bool) {
	digits, neg, ok := d.number()
	if !ok || neg {
		return 0, false
	}
	return parseDigits(digits)
}

// int decodes an integer that fits 64 bits.
func (d *direct) int() (int64, bool) {
	digits, neg, ok := d.number()
	if !ok {
		return 0, false
	}
	n, ok := parseDigits(digits)
	switch {
	case !ok:
		return 0, false
	case neg && n <= 1<<63:
		return int64(-n), true // -(1<<63) wraps to math.MinInt64
	case !neg && n <= math.MaxInt64:
		return int64(n), true
	}
	return 0, false
}

func parseDigits(digits []byte) (uint64, bool) {
	var n uint64
	for _, c := range digits {
		if n > (math.MaxUint64-9)/10 && (n > math.MaxUint64/10 || uint64(c-'0') > math.MaxUint64-n*10) {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}
