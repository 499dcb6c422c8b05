package signer

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// Errors returned by the form decoder.
var (
	// ErrBadEncoding reports invalid percent-encoding in a form body.
	ErrBadEncoding = errors.New("invalid percent-encoding")
	// ErrTooManyFields reports a body with more fields than the decoder allows.
	ErrTooManyFields = errors.New("too many form fields")
	// ErrMixedShape reports a name sent both as NAME and as NAME[].
	ErrMixedShape = errors.New("field sent both as scalar and as array")
)

// DefaultMaxFields bounds the number of name=value pairs a Decoder accepts.
const DefaultMaxFields = 4096

// Decoder parses application/x-www-form-urlencoded bodies into [Fields]
// without losing field order, grouping NAME[] keys as PHP does: an array
// keeps the position of its first element and collects every element in
// order; a repeated scalar keeps the position of its first occurrence and
// the last value. Names are taken literally apart from a trailing "[]".
//
// A Decoder reuses its buffers: the Fields (and every string in them)
// returned by Decode stay valid only until the next call to Decode. Use
// Fields.Clone to keep them longer. A Decoder is not safe for concurrent use.
type Decoder struct {
	// MaxFields bounds the number of pairs; 0 means DefaultMaxFields.
	MaxFields int

	buf    []byte // unescaped names and values of the current body
	pairs  []pair
	fields Fields
	vals   []string
	counts []int
	index  map[string]int
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

// Decode parses body. Empty segments ("a=1&&b=2") are skipped; a segment
// without '=' is a field with an empty value.
func (d *Decoder) Decode(body []byte) (Fields, error) {
	d.reset(len(body))
	max := d.MaxFields
	if max <= 0 {
		max = DefaultMaxFields
	}
	for len(body) > 0 {
		var seg []byte
		if i := indexByte(body, '&'); i >= 0 {
			seg, body = body[:i], body[i+1:]
		} else {
			seg, body = body, nil
		}
		if len(seg) == 0 {
			continue
		}
		if len(d.pairs) == max {
			return nil, fmt.Errorf("form: %w (limit %d)", ErrTooManyFields, max)
		}
		if err := d.addPair(seg); err != nil {
			return nil, err
		}
	}
	return d.group(), nil
}

func (d *Decoder) reset(n int) {
	if cap(d.buf) < n {
		d.buf = make([]byte, 0, n)
	}
	d.buf = d.buf[:0]
	d.pairs = d.pairs[:0]
	d.fields = d.fields[:0]
	if d.index == nil {
		d.index = make(map[string]int, 128)
	}
	clear(d.index)
}

func (d *Decoder) addPair(seg []byte) error {
	rawName, rawVal := seg, []byte(nil)
	if i := indexByte(seg, '='); i >= 0 {
		rawName, rawVal = seg[:i], seg[i+1:]
	}
	nameOff := len(d.buf)
	var err error
	if d.buf, err = unescape(d.buf, rawName); err != nil {
		return fmt.Errorf("form: field #%d name: %w", len(d.pairs)+1, err)
	}
	name := d.str(nameOff, len(d.buf)-nameOff)
	array := strings.HasSuffix(name, "[]")
	if array {
		name = name[:len(name)-2]
	}
	valOff := len(d.buf)
	if d.buf, err = unescape(d.buf, rawVal); err != nil {
		return fmt.Errorf("form: field %q value: %w", name, err)
	}
	fi, err := d.fieldFor(name, array)
	if err != nil {
		return err
	}
	d.pairs = append(d.pairs, pair{field: fi, off: valOff, len: len(d.buf) - valOff})
	return nil
}

// fieldFor returns the index of the field called name, adding it when new.
func (d *Decoder) fieldFor(name string, array bool) (int, error) {
	if n := len(d.fields); n > 0 && d.fields[n-1].Name == name && d.fields[n-1].Array && array {
		return n - 1, nil // fast path: contiguous array elements
	}
	if fi, ok := d.index[name]; ok {
		if d.fields[fi].Array != array {
			return 0, fmt.Errorf("form: field %q: %w", name, ErrMixedShape)
		}
		return fi, nil
	}
	d.index[name] = len(d.fields)
	d.fields = append(d.fields, Field{Name: name, Array: array})
	return len(d.fields) - 1, nil
}

// group lays the values out field by field in one reused slice.
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
	if cap(d.vals) < total {
		d.vals = make([]string, total)
	}
	d.vals = d.vals[:total]
	off := 0
	for i, c := range d.counts {
		d.fields[i].Values = d.vals[off : off : off+c]
		off += c
	}
	for _, p := range d.pairs {
		f := &d.fields[p.field]
		v := d.str(p.off, p.len)
		if f.Array {
			f.Values = append(f.Values, v)
		} else {
			f.Values = append(f.Values[:0], v)
		}
	}
	return d.fields
}

// str returns the bytes buf[off:off+n] as a string without copying. The
// bytes are never written again until the next Decode (growing buf copies
// into a new array and leaves the old one untouched).
func (d *Decoder) str(off, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&d.buf[off], n)
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// unescape appends the form-decoded s to dst: '+' becomes a space and %XX
// the byte XX.
func unescape(dst, s []byte) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			dst = append(dst, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return dst, fmt.Errorf("%w at byte %d", ErrBadEncoding, i)
			}
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
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
