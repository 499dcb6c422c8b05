// Package formdecode parses application/x-www-form-urlencoded bodies into
// ordered fields, decoding into buffers it reuses: its results point into
// them and stay valid only until the next Decode. It is the one form
// parser of lcngw; signer.Decoder copies its results out for callers that
// keep them, and the receiver uses it directly for pooled notifications.
package formdecode

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"
)

// constError is an error that can be a constant; compare with errors.Is.
type constError string

// Error returns the message.
func (e constError) Error() string { return string(e) }

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

// Field is the shape of a decoded field: the constraint of a Decoder's
// result type (signer.Field).
type Field interface {
	~struct {
		Name   string
		Values []string
		Array  bool
	}
}

// Decoder parses form bodies into fields of type F without losing field
// order, grouping NAME[] keys as PHP does: an array keeps the position of
// its first element and collects every element in order; a repeated
// scalar keeps the position of its first occurrence and the last value.
// Names are taken literally apart from a trailing "[]".
//
// A Decoder reuses all its memory: the fields returned by Decode, and
// every string in them, stay valid only until the next Decode. Decoding
// many bodies with one allocates nothing once its buffers have grown. A
// Decoder is not safe for concurrent use.
type Decoder[F Field] struct {
	// MaxFields bounds the number of pairs; 0 means DefaultMaxFields.
	MaxFields int

	buf    []byte // unescaped names and values of the current body
	pairs  []pair
	fields []field
	vals   []string
	out    []F
	counts []int
	index  nameIndex
}

// field is a field being collected.
type field struct {
	name  string
	array bool
}

type pair struct {
	field    int
	off, len int
}

// Decode parses body in one pass: names and values are decoded into one
// reused buffer ('+' becomes a space, %XX the byte XX), split on raw '&'
// and on the first raw '=' of each pair. Empty segments ("a=1&&b=2") are
// skipped; a segment without '=' is a field with an empty value.
func (d *Decoder[F]) Decode(body []byte) ([]F, error) {
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
			if i+2 >= len(body) || !IsHex(body[i+1]) || !IsHex(body[i+2]) {
				return nil, fmt.Errorf("form: %w at byte %d", ErrBadEncoding, i)
			}
			buf[w] = Unhex(body[i+1])<<4 | Unhex(body[i+2])
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

func (d *Decoder[F]) reset(body []byte) {
	if cap(d.buf) < len(body) {
		d.buf = make([]byte, 0, len(body))
	}
	d.pairs = d.pairs[:0]
	d.fields = d.fields[:0]
	d.index.reset(bytes.Count(body, []byte{'&'}) + 1)
}

// endPair records the pair whose decoded name starts at name and whose
// value starts at val (-1: there was no '=') and ends at end. present is
// false for an empty segment, which is skipped.
func (d *Decoder[F]) endPair(buf []byte, present bool, name, val, end, max int) error {
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

func (d *Decoder[F]) fieldFor(name string, array bool) (int, error) {
	if n := len(d.fields); n > 0 && d.fields[n-1].name == name && d.fields[n-1].array && array {
		return n - 1, nil // fast path: contiguous array elements
	}
	fi, found := d.index.lookupOrAdd(name, d.fields)
	if found {
		if d.fields[fi].array != array {
			return 0, ErrMixedShape
		}
		return fi, nil
	}
	d.fields = append(d.fields, field{name: name, array: array})
	return fi, nil
}

// group lays the values out field by field in one reused slice: counts
// first holds each field's number of values, then the next free slot of
// each field's run while the values are filled in.
func (d *Decoder[F]) group() []F {
	if cap(d.counts) < len(d.fields) {
		d.counts = make([]int, len(d.fields))
	}
	d.counts = d.counts[:len(d.fields)]
	clear(d.counts)
	for _, p := range d.pairs {
		if d.fields[p.field].array {
			d.counts[p.field]++
		} else {
			d.counts[p.field] = 1 // a repeated scalar keeps its last value
		}
	}
	total := 0
	for _, c := range d.counts {
		total += c
	}
	if cap(d.vals) < total {
		d.vals = make([]string, total)
	}
	if cap(d.out) < len(d.fields) {
		d.out = make([]F, len(d.fields))
	}
	d.vals, d.out = d.vals[:total], d.out[:len(d.fields)]
	off := 0
	for i, c := range d.counts {
		d.out[i] = F{Name: d.fields[i].name, Values: d.vals[off : off+c : off+c], Array: d.fields[i].array}
		d.counts[i] = off
		off += c
	}
	for _, p := range d.pairs {
		d.vals[d.counts[p.field]] = bufString(d.buf, p.off, p.len)
		if d.fields[p.field].array {
			d.counts[p.field]++
		}
	}
	return d.out
}

// bufString returns buf[off:off+n] as a string without copying. The bytes
// are not written again until the next Decode, which documents that its
// results are valid until then.
func bufString(buf []byte, off, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&buf[off], n)
}

// IsHex reports whether c is a hexadecimal digit.
func IsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Unhex returns the value of the hexadecimal digit c.
func Unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
