package param

import (
	"encoding/json"
	"reflect"
	"unsafe"
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
// It writes through pointers computed from the field offsets of the plans
// (see planField.offset), not through reflect.Value: a reflect.Value
// checks the kind and settability on every access, which cost a fifth of
// the decoding. Only slices and self-decoding types go through reflect.
// Every write is a typed store, so the garbage collector sees each
// pointer written.
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
	arena     unsafe.Pointer
	arenaType reflect.Type
}

// decodeDirect fills v, an addressable zero value of p's type, from data.
func decodeDirect(data []byte, v reflect.Value, p *plan) bool {
	d := direct{data: data, doc: string(data), arenaType: p.arena}
	if !d.value(v.Addr().UnsafePointer(), p) {
		return false
	}
	d.skipSpace()
	return d.pos == len(d.data)
}

// zeroBlock is compared with memory by zeroMemory.
var zeroBlock [512]byte

// zeroMemory reports whether the size bytes at ptr are all zero, which
// makes the variable there the zero value of its type. It compares whole
// blocks, where reflect.Value.IsZero visits every member of a struct.
func zeroMemory(ptr unsafe.Pointer, size uintptr) bool {
	b := unsafe.Slice((*byte)(ptr), size)
	for len(b) > 0 {
		n := min(len(b), len(zeroBlock))
		if string(b[:n]) != string(zeroBlock[:n]) {
			return false
		}
		b = b[n:]
	}
	return true
}

// isSpace marks the whitespace JSON allows between tokens.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// skipSpace moves past whitespace. It works on locals, which the compiler
// keeps in registers: documents are often indented, so this loop sees a
// third of their bytes.
func (d *direct) skipSpace() {
	data, i := d.data, d.pos
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.pos = i
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

// value decodes the next value into the variable at ptr, described by p.
func (d *direct) value(ptr unsafe.Pointer, p *plan) bool {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false
	}
	switch p.kind {
	case planString:
		s, ok := d.str()
		*(*string)(ptr) = s
		return ok
	case planBool:
		return d.boolean((*bool)(ptr))
	case planInt:
		n, ok := d.int()
		return ok && storeInt(ptr, p.size, n)
	case planUint:
		n, ok := d.uint()
		return ok && storeUint(ptr, p.size, n)
	case planStruct:
		return d.object(ptr, p)
	case planPointer:
		if d.data[d.pos] == 'n' { // null: the member check rejects it
			return false
		}
		target := d.target(p)
		*(*unsafe.Pointer)(ptr) = target
		return d.value(target, p.elem)
	case planSlice:
		return d.array(reflect.NewAt(p.typ, ptr).Elem(), p)
	case planUnmarshaler:
		raw, ok := d.rawString()
		return ok && reflect.NewAt(p.typ, ptr).Interface().(json.Unmarshaler).UnmarshalJSON(raw) == nil
	}
	return false
}

// storeInt stores n in the signed integer of size bytes at ptr; false
// when it does not fit.
func storeInt(ptr unsafe.Pointer, size uintptr, n int64) bool {
	switch size {
	case 1:
		*(*int8)(ptr) = int8(n)
		return int64(int8(n)) == n
	case 2:
		*(*int16)(ptr) = int16(n)
		return int64(int16(n)) == n
	case 4:
		*(*int32)(ptr) = int32(n)
		return int64(int32(n)) == n
	}
	*(*int64)(ptr) = n
	return true
}

// storeUint stores n in the unsigned integer of size bytes at ptr; false
// when it does not fit.
func storeUint(ptr unsafe.Pointer, size uintptr, n uint64) bool {
	switch size {
	case 1:
		*(*uint8)(ptr) = uint8(n)
		return uint64(uint8(n)) == n
	case 2:
		*(*uint16)(ptr) = uint16(n)
		return uint64(uint16(n)) == n
	case 4:
		*(*uint32)(ptr) = uint32(n)
		return uint64(uint32(n)) == n
	}
	*(*uint64)(ptr) = n
	return true
}

// object decodes a JSON object into the struct at ptr.
func (d *direct) object(ptr unsafe.Pointer, p *plan) bool {
	if d.data[d.pos] != '{' {
		return false
	}
	d.pos++
	if d.consume('}') {
		return true
	}
	var seen [maxPlanFields / 64]uint64
	prev := -1
	for {
		d.skipSpace()
		i := d.member(p, prev)
		if i < 0 || seen[i>>6]&(1<<(i&63)) != 0 {
			return false // unknown or repeated member
		}
		seen[i>>6] |= 1 << (i & 63)
		prev = i
		f := &p.fields[i]
		if !d.consume(':') || !d.value(unsafe.Add(ptr, f.offset), f.plan) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// member reads a member name of the struct p and returns the member's
// position, -1 when the struct has none of that name. Encoders write
// members in declaration order (Go structs) or in alphabetical order
// (maps, sorted keys), so it first tries the member that follows prev,
// the previous member, in either order, comparing its name with the
// document in place; only then does it scan the name and look it up.
func (d *direct) member(p *plan, prev int) int {
	if i := prev + 1; d.name(p, i) {
		return i
	}
	if i := p.alphaNext[prev+1]; d.name(p, i) {
		return i
	}
	key, ok := d.key()
	if !ok {
		return -1
	}
	return p.lookup(key)
}

// name consumes the quoted name of member i (none when i is out of range)
// if the document has it next. Member names are plain (see plainName):
// a document that spells one exactly names that member.
func (d *direct) name(p *plan, i int) bool {
	if i >= len(p.fields) {
		return false
	}
	name := p.fields[i].name
	start, end := d.pos+1, d.pos+1+len(name)
	if end < len(d.data) && d.data[end] == '"' && d.data[d.pos] == '"' && string(d.data[start:end]) == name {
		d.pos = end + 1
		return true
	}
	return false
}

// target returns a new zero target for the pointer p: its slot in the
// arena, or its own allocation inside slices.
func (d *direct) target(p *plan) unsafe.Pointer {
	if p.slot < 0 {
		return reflect.New(p.elem.typ).UnsafePointer()
	}
	if d.arena == nil {
		d.arena = reflect.New(d.arenaType).UnsafePointer()
	}
	return unsafe.Add(d.arena, p.slotOffset)
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
		if !d.value(v.Index(n).Addr().UnsafePointer(), p.elem) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume(']')
	}
}

// boolean decodes true or false.
func (d *direct) boolean(b *bool) bool {
	rest := d.data[d.pos:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		d.pos += 4
		*b = true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		d.pos += 5
		*b = false
	default:
		return false
	}
	return true
}
