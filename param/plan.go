package param

import (
	"encoding"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// planKind is how the direct decoder fills one Go type.
type planKind uint8

const (
	planUnsupported planKind = iota // left to encoding/json: maps, floats, interfaces, …
	planString
	planBool
	planInt
	planUint
	planStruct
	planPointer
	planSlice
	planUnmarshaler // a type that decodes itself from a JSON string (Timestamp)
)

// maxPlanFields bounds the members of a struct the direct decoder fills;
// its duplicate check keeps one bit per member.
const maxPlanFields = 256

// plan is what the direct decoder knows of one position in the decoded
// type: the root, a member, a pointer target or a slice element. Plans form
// a tree (one node per position, not per type), so that every pointer
// outside slices can have its own slot in the arena.
type plan struct {
	kind   planKind
	typ    reflect.Type
	size   uintptr        // integers: their size in bytes
	elem   *plan          // pointer target, slice element
	fields []planField    // struct members, in declaration order
	index  map[string]int // struct member name → position in fields

	// alphaNext[i+1] is the member after member i in the alphabetical
	// order of names, alphaNext[0] the first; len(fields) ends the order.
	alphaNext []int

	slot       int          // pointer: its target's field in the arena; -1 inside slices
	slotOffset uintptr      // pointer with a slot: the offset of its field in the arena
	arena      reflect.Type // root: a struct with one field per slot (nil: none)
}

// planField is one JSON member of a struct.
type planField struct {
	name string
	// offset is where the member lies in the struct; a promoted member's
	// is the sum along its path (embedded structs only, never pointers).
	offset uintptr
	plan   *plan
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// planner builds the plan tree of a root type.
type planner struct {
	open    map[reflect.Type]bool // types being planned: recursion is left to encoding/json
	slots   []reflect.StructField // the arena's fields
	slotted []*plan               // the pointer plans with a slot, by slot
}

// rootPlan returns the plan of t with its arena: one allocation holds
// every object and pointed-to value outside slices that a document may
// fill.
func rootPlan(t reflect.Type) *plan {
	b := planner{open: make(map[reflect.Type]bool)}
	p := b.plan(t, false)
	if len(b.slots) > 0 {
		p.arena = reflect.StructOf(b.slots)
		for i, sp := range b.slotted {
			sp.slotOffset = p.arena.Field(i).Offset
		}
	}
	return p
}

// plan returns the plan of a position of type t (inSlice: within a slice
// element, where positions repeat). Types the direct decoder does not
// handle exactly as encoding/json does get planUnsupported, so a document
// that uses them takes the reference path.
func (b *planner) plan(t reflect.Type, inSlice bool) *plan {
	p := &plan{typ: t, slot: -1}
	if b.open[t] {
		return p
	}
	b.open[t] = true
	defer delete(b.open, t)
	switch {
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType):
		p.kind = planUnmarshaler
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
	case t.Kind() == reflect.String:
		p.kind = planString
	case t.Kind() == reflect.Bool:
		p.kind = planBool
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		p.kind, p.size = planInt, t.Size()
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		p.kind, p.size = planUint, t.Size()
	case t.Kind() == reflect.Pointer:
		p.kind, p.elem = planPointer, b.plan(t.Elem(), inSlice)
		if !inSlice {
			p.slot = len(b.slots)
			b.slots = append(b.slots, reflect.StructField{Name: "S" + strconv.Itoa(p.slot), Type: t.Elem()})
			b.slotted = append(b.slotted, p)
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8: // []byte is base64
		p.kind, p.elem = planSlice, b.plan(t.Elem(), true)
	case t.Kind() == reflect.Struct:
		p.index = make(map[string]int)
		if b.addFields(p, t, 0, inSlice) && len(p.fields) <= maxPlanFields {
			p.kind, p.alphaNext = planStruct, alphabeticalOrder(p.fields)
		}
	}
	return p
}

// addFields adds t's JSON members, promoting those of embedded structs as
// encoding/json does; base is the offset of t in the struct being
// planned. It reports false when it cannot tell which members
// encoding/json would see: embedded pointers, clashing names. (Exported
// members promoted from an unexported embedded struct are filled too, as
// encoding/json fills them.) A member with an option such as ",string" or
// an unusual tag name is left to encoding/json on its own.
func (b *planner) addFields(p *plan, t reflect.Type, base uintptr, inSlice bool) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		offset := base + f.Offset
		switch {
		case tag == "-":
		case f.Anonymous && name == "" && (f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Struct):
			if f.Type.Kind() == reflect.Pointer || !b.addFields(p, f.Type, offset, inSlice) {
				return false
			}
		case !f.IsExported():
		default:
			if name == "" {
				name = f.Name
			}
			if _, dup := p.index[name]; dup {
				return false
			}
			fp := &plan{typ: f.Type, slot: -1}
			if !hasTag || !strings.Contains(opts, "string") && name != "-" && plainName(name) {
				fp = b.plan(f.Type, inSlice)
			}
			p.index[name] = len(p.fields)
			p.fields = append(p.fields, planField{name: name, offset: offset, plan: fp})
		}
	}
	return true
}

// alphabeticalOrder returns the plan's alphaNext for fields.
func alphabeticalOrder(fields []planField) []int {
	order := make([]int, len(fields))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(fields[a].name, fields[b].name) })
	next := make([]int, len(fields)+1)
	prev := -1
	for _, i := range order {
		next[prev+1] = i
		prev = i
	}
	next[prev+1] = len(fields)
	return next
}

// plainName accepts the tag names the direct decoder takes literally:
// letters, digits, '_', '-' and '.'.
func plainName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// lookup returns the position of the member called key; -1 when the
// struct has no such member.
func (p *plan) lookup(key []byte) int {
	if i, ok := p.index[string(key)]; ok {
		return i
	}
	return -1
}
