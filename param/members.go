package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// MemberCheck decodes JSON events into one Go struct type and closes the
// gaps encoding/json leaves in strict decoding. Besides wrong JSON types it
// reports, all at once and with their paths:
//   - members the type does not declare, including names that match a
//     field only case-insensitively ("Event_ID"), which encoding/json
//     would accept;
//   - a member given twice in one object (encoding/json keeps the last);
//   - null anywhere (absent members are omitted, never null);
//   - invalid UTF-8 (encoding/json would replace it with U+FFFD, changing
//     bytes a merchant receives), documents over [MaxEventBytes] and
//     anything after the JSON value.
//
// Decode first tries a direct decoder that fills the value in one pass
// and gives up at the first thing it does not accept; only then does it
// run encoding/json and the member check, which report every problem.
//
// A MemberCheck is immutable and safe for concurrent use.
type MemberCheck struct {
	root *memberType
	plan *plan // nil: proto is not a struct, every document takes the reference path
}

// memberType is what the check knows of one Go type: the members of a
// struct, the element of a slice, array or map, or nothing (scalars and
// types that decode themselves).
type memberType struct {
	fields map[string]*memberType // struct members by exact JSON name
	elem   *memberType            // slice, array or map element
	isMap  bool                   // any member name is allowed
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// NewMemberCheck returns the check for documents decoded into proto's type,
// a struct or a pointer to one.
func NewMemberCheck(proto any) *MemberCheck {
	t := reflect.TypeOf(proto)
	c := &MemberCheck{root: typeOf(t, make(map[reflect.Type]*memberType))}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p := rootPlan(t); p.kind == planStruct {
		c.plan = p
	}
	return c
}

func typeOf(t reflect.Type, memo map[reflect.Type]*memberType) *memberType {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if mt, ok := memo[t]; ok {
		return mt
	}
	mt := &memberType{}
	memo[t] = mt
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return mt
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		mt.elem = typeOf(t.Elem(), memo)
	case reflect.Map:
		mt.isMap, mt.elem = true, typeOf(t.Elem(), memo)
	case reflect.Struct:
		mt.fields = make(map[string]*memberType)
		addFields(mt.fields, t, memo)
	}
	return mt
}

// addFields adds t's JSON members to fields, promoting those of embedded
// structs as encoding/json does.
func addFields(fields map[string]*memberType, t reflect.Type, memo map[reflect.Type]*memberType) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
		case name == "" && f.Anonymous && ft.Kind() == reflect.Struct:
			addFields(fields, ft, memo)
		case !f.IsExported():
		case name == "":
			fields[f.Name] = typeOf(f.Type, memo)
		default:
			fields[name] = typeOf(f.Type, memo)
		}
	}
}

// Decode decodes data into v, a pointer to the type given to
// NewMemberCheck, and returns the problems found (nil when none): at most
// MaxProblems of them, and the number of further problems in more. A
// syntax error or an oversized document is the only problem reported;
// otherwise a wrong JSON type comes first, then the member problems.
// Problems name the member path and the rule, never a value.
func (c *MemberCheck) Decode(data []byte, v any) (probs []Problem, more int) {
	// The direct decoder fills zero values only: into anything else
	// encoding/json merges, which it does not reproduce.
	if rv := reflect.ValueOf(v); c.plan != nil && len(data) <= MaxEventBytes && utf8.Valid(data) &&
		rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Type().Elem() == c.plan.typ && zeroMemory(rv.UnsafePointer(), c.plan.typ.Size()) {
		if decodeDirect(data, rv.Elem(), c.plan) {
			return nil, 0
		}
		rv.Elem().SetZero() // start the reference path afresh
	}
	return c.decodeReference(data, v)
}

// decodeReference is Decode with encoding/json and the member check only.
func (c *MemberCheck) decodeReference(data []byte, v any) ([]Problem, int) {
	if len(data) > MaxEventBytes {
		return []Problem{{Reason: ReasonTooLong,
			Detail: fmt.Sprintf("event of %d bytes, at most %d allowed", len(data), MaxEventBytes)}}, 0
	}
	if !utf8.Valid(data) {
		return []Problem{{Reason: ReasonBadJSON, Detail: "not valid UTF-8"}}, 0
	}
	var first []Problem
	if err := json.Unmarshal(data, v); err != nil {
		var typ *json.UnmarshalTypeError
		if !errors.As(err, &typ) {
			return []Problem{jsonProblem(err)}, 0 // syntax: nothing else is reliable
		}
		first = append(first, jsonProblem(err))
	}
	s := c.scan(data, MaxProblems-len(first))
	return append(first, s.probs...), s.more
}

// Check returns the member problems of data, a syntactically valid JSON
// document (nil when none): at most MaxProblems, and the number of
// further problems.
func (c *MemberCheck) Check(data []byte) (probs []Problem, more int) {
	s := c.scan(data, MaxProblems)
	return s.probs, s.more
}

// scan runs the member check, keeping at most limit problems.
func (c *MemberCheck) scan(data []byte, limit int) *keyScanner {
	s := &keyScanner{data: data, path: make([]segment, 0, 16), limit: limit}
	s.value(c.root)
	return s
}
