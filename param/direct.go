package param

import (
	"encoding/json"
	"reflect"
)

// direct decodes a document in one pass straight into the Go value,
// guided by the plans, and accepts only documents that are strictly
// valid: known members spelt exactly, each once, no null, JSON types that
// fit, nothing after the value. It gives up (returns false) at the first
// thing it does not accept or does not handle; the caller then decodes
// with encoding/json and the member check, which find and report the
// problems. So it never has to explain a problem, and on every document
// it accepts it must fill the value exactly as encoding/json does.
//
// Every string it returns without unescaping is a substring of doc, one
// copy of the whole document, so decoding allocates one string for all
// plain values.
type direct struct {
	data []byte
	doc  string // data as one string
	pos  int
	buf  []byte // scratch for unescaping
	// arena holds the targets of the pointers outside slices, allocated
	// at the first one (see rootPlan).
	arena     reflect.Value
	arenaType reflect.Type
}

// decodeDirect fills v, an addressable zero value of p's type, from data.
func decodeDirect(data []byte, v reflect.Value, p *plan) bool {
	d := direct{data: data, doc: string(data), arenaType: p.arena}
	if !d.value(v, p) {
		return false
	}
	d.skipSpace()
	return d.pos == len(d.data)
}

func (d *direct) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// consume skips spaces and then c; false when the next byte is not c.
func (d *direct) consume(c byte) bool {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// value decodes the next value into v, described by p.
func (d *direct) value(v reflect.Value, p *plan) bool {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false
	}
	switch p.kind {
	case planString:
		s, ok := d.str()
		v.SetString(s)
		return ok
	case planBool:
		return d.boolean(v)
	case planInt:
		n, ok := d.int()
		if !ok || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	case planUint:
		n, ok := d.uint()
		if !ok || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
		return true
	case planStruct:
		return d.object(v, p)
	case planPointer:
		if d.data[d.pos] == 'n' { // null: the member check rejects it
			return false
		}
		v.Set(d.target(p))
		return d.value(v.Elem(), p.elem)
	case planSlice:
		return d.array(v, p)
	case planUnmarshaler:
		raw, ok := d.rawString()
		return ok && v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw) == nil
	}
	return false
}

// object decodes a JSON object into the struct v.
func (d *direct) object(v reflect.Value, p *plan) bool {
	if d.data[d.pos] != '{' {
		return false
	}
	d.pos++
	if d.consume('}') {
		return true
	}
	var seen [maxPlanFields / 64]uint64
	next := 0
	for {
		d.skipSpace()
		key, ok := d.key()
		if !ok {
			return false
		}
		i := p.lookup(key, next)
		if i < 0 || seen[i>>6]&(1<<(i&63)) != 0 {
			return false // unknown or repeated member
		}
		seen[i>>6] |= 1 << (i & 63)
		next = i + 1
		f := &p.fields[i]
		if !d.consume(':') || !d.value(fieldOf(v, f.index), f.plan) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// target returns a new zero target for the pointer p: its slot in the
// arena, or its own allocation inside slices.
func (d *direct) target(p *plan) reflect.Value {
	if p.slot < 0 {
		return reflect.New(p.elem.typ)
	}
	if !d.arena.IsValid() {
		d.arena = reflect.New(d.arenaType).Elem()
	}
	return d.arena.Field(p.slot).Addr()
}

func fieldOf(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

// array decodes a JSON array into the slice v, as encoding/json does: an
// empty array gives an empty, non-nil slice.
func (d *direct) array(v reflect.Value, p *plan) bool {
	if d.data[d.pos] != '[' {
		return false
	}
	d.pos++
	if d.consume(']') {
		v.Set(reflect.MakeSlice(p.typ, 0, 0))
		return true
	}
	for n := 0; ; n++ {
		if n == v.Cap() {
			v.Grow(max(n, 4)) // room for a few elements at first, then doubling
		}
		v.SetLen(n + 1)
		if !d.value(v.Index(n), p.elem) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume(']')
	}
}

// boolean decodes true or false.
func (d *direct) boolean(v reflect.Value) bool {
	rest := d.data[d.pos:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		d.pos += 4
		v.SetBool(true)
	case len(rest) >= 5 && string(rest[:5]) == "false":
		d.pos += 5
		v.SetBool(false)
	default:
		return false
	}
	return true
}
