package signer

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"
)

// Errors returned by the form decoder.
const (
	// ErrBadEncoding reports invalid percent-encoding in a form body.
	ErrBadEncoding = constError("invalid percent-encoding")
	// ErrTooManyFields reports a body with more fields than the decoder allows.
	ErrTooManyFields = constError("too many form fields")
	// ErrMixedShape reports a name sent both as NAME and as NAME[].
	ErrMixedShape = constError("field sent both as scalar and as array")
)

// DefaultMaxFields bounds the number of name=value pairs a Decoder accepts.
const DefaultMaxFields = 4096

// Decoder parses application/x-www-form-urlencoded bodies into [Fields]
// without losing field order, grouping NAME[] keys as PHP does: an array
// keeps the position of its first element and collects every element in
// order; a repeated scalar keeps the position of its first occurrence and
// the last value. Names are taken literally apart from a trailing "[]".
//
// The Fields returned by Decode own their memory: nothing the Decoder does
// later changes them, and they may be kept and shared freely. A Decoder
// reuses only its working memory (the pairs and the name index), so
// decoding many bodies with one costs three allocations a body: the
// decoded text, the fields and their values. A Decoder is not safe for
// concurrent use.
type Decoder struct {
	// MaxFields bounds the number of pairs; 0 means DefaultMaxFields.
	MaxFields int

	buf    []byte // unescaped names and values of the current body, never written once Decode returns
	pairs  []pair
	fields Fields // the fields being collected; Decode returns a copy
	counts []int
	index  nameIndex
}

type pair struct {
	field    int
	off, len int
}

// ParseForm decodes body with a fresh Decoder; the result owns its memory.
func ParseForm(body []byte) (Fields, error) {
	var d Decoder
	return d.Decode(body)
}

// Decode parses body in one pass: names and values are decoded into one
// reused buffer ('+' becomes a space, %XX the byte XX), split on raw '&'
// and on the first raw '=' of each pair. Empty segments ("a=1&&b=2") are
// skipped; a segment without '=' is a field with an empty value.
func (d *Decoder) Decode(body []byte) (Fields, error) {
	d.reset(body)
	max := d.MaxFields
	if max <= 0 {
		max = DefaultMaxFields
	}
	buf := d.buf[:len(body)] // decoded text is never longer than body
	w, seg, name, val := 0, 0, 0, -1
	for i := 0; i < len(body); i++ {
		if !special[body[i]] {
			// Copy the run of ordinary bytes in a tight loop: runs are
			// short (names and values between escapes), too short for
			// copy's call to pay off.
			j := i
			for ; j < len(body) && !special[body[j]]; j++ {
				buf[w] = body[j]
				w++
			}
			i = j - 1
			continue
		}
		switch c := body[i]; c {
		case '+':
			buf[w] = ' '
			w++
		case '%':
			if i+2 >= len(body) || !isHex(body[i+1]) || !isHex(body[i+2]) {
				return nil, fmt.Errorf("form: %w at byte %d", ErrBadEncoding, i)
			}
			buf[w] = unhex(body[i+1])<<4 | unhex(body[i+2])
			w++
			i += 2
		case '=':
			if val >= 0 {
				buf[w] = '='
				w++
			} else {
				val = w
			}
		case '&':
			if err := d.endPair(buf, i > seg, name, val, w, max); err != nil {
				return nil, err
			}
			seg, name, val = i+1, w, -1
		}
	}
	if err := d.endPair(buf, len(body) > seg, name, val, w, max); err != nil {
		return nil, err
	}
	d.buf = buf[:w]
	return d.group(), nil
}

// special marks the bytes Decode treats specially.
var special = [256]bool{'+': true, '%': true, '=': true, '&': true}

func (d *Decoder) reset(body []byte) {
	// A fresh buffer: the strings of the last result point into the old one.
	d.buf = make([]byte, len(body))
	d.pairs = d.pairs[:0]
	d.fields = d.fields[:0]
	d.index.reset(bytes.Count(body, []byte{'&'}) + 1)
}

// endPair records the pair whose decoded name starts at name and whose
// value starts at val (-1: there was no '=') and ends at end. present is
// false for an empty segment, which is skipped.
func (d *Decoder) endPair(buf []byte, present bool, name, val, end, max int) error {
	if !present {
		return nil
	}
	if len(d.pairs) == max {
		return fmt.Errorf("form: %w (limit %d)", ErrTooManyFields, max)
	}
	if val < 0 {
		val = end
	}
	n := bufString(buf, name, val-name)
	array := strings.HasSuffix(n, "[]")
	if array {
		n = n[:len(n)-2]
	}
	fi, err := d.fieldFor(n, array)
	if err != nil {
		return fmt.Errorf("form: field %q: %w", n, err)
	}
	d.pairs = append(d.pairs, pair{field: fi, off: val, len: end - val})
	return nil
}

func (d *Decoder) fieldFor(name string, array bool) (int, error) {
	if n := len(d.fields); n > 0 && d.fields[n-1].Name == name && d.fields[n-1].Array && array {
		return n - 1, nil // fast path: contiguous array elements
	}
	fi, found := d.index.lookupOrAdd(name, d.fields)
	if found {
		if d.fields[fi].Array != array {
			return 0, ErrMixedShape
		}
		return fi, nil
	}
	d.fields = append(d.fields, Field{Name: name, Array: array})
	return fi, nil
}

// group lays the values out field by field in one new slice, and returns
// a new Fields: the result shares nothing the next Decode writes.
func (d *Decoder) group() Fields {
	if cap(d.counts) < len(d.fields) {
		d.counts = make([]int, len(d.fields))
	}
	d.counts = d.counts[:len(d.fields)]
	clear(d.counts)
	for _, p := range d.pairs {
		if d.fields[p.field].Array {
			d.counts[p.field]++
		} else {
			d.counts[p.field] = 1 // a repeated scalar keeps its last value
		}
	}
	total := 0
	for _, c := range d.counts {
		total += c
	}
	fields, vals := make(Fields, len(d.fields)), make([]string, total)
	off := 0
	for i, c := range d.counts {
		fields[i] = Field{Name: d.fields[i].Name, Array: d.fields[i].Array, Values: vals[off : off : off+c]}
		off += c
	}
	for _, p := range d.pairs {
		f := &fields[p.field]
		v := bufString(d.buf, p.off, p.len)
		if f.Array {
			f.Values = append(f.Values, v)
		} else {
			f.Values = append(f.Values[:0], v)
		}
	}
	clear(d.fields) // drop the names: they point into the returned text
	return fields
}

// bufString returns buf[off:off+n] as a string without copying. Decode
// writes buf only before it returns, and the next Decode takes a new one,
// so the string never changes.
func bufString(buf []byte, off, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&buf[off], n)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
