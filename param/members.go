package param

import (
	"encoding"
	stdjson "encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// memberType is what the problem report knows of one Go type: the JSON
// kind it takes, the members of a struct, the element of a slice, array
// or map, or, for a type that decodes itself, the type.
type memberType struct {
	want   jsontext.Kind     // '"', '0', 't' (true or false), '{' or '['
	goKind string            // the Go kind, for problem details
	fields map[string]member // struct members by exact JSON name
	elem   *memberType       // slice, array or map element
	isMap  bool              // any member name is allowed
	self   reflect.Type      // a type that decodes itself, checked by decoding
	num    reflect.Kind      // the kind of a number
	max    int               // the most elements of an array (MaxItemser); 0: any number
}

var (
	unmarshalerType     = reflect.TypeFor[stdjson.Unmarshaler]()
	unmarshalerFromType = reflect.TypeFor[json.UnmarshalerFrom]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	maxItemserType      = reflect.TypeFor[MaxItemser]()
)

// member is a declared member of a struct: its position among the
// struct's members and its type.
type member struct {
	idx  int
	t    *memberType
	name string // the declared name, for problem paths without a copy
}

// typeOf describes t; nil for an interface type, whose values are not
// checked.
func typeOf(t reflect.Type, memo map[reflect.Type]*memberType) *memberType {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if mt, ok := memo[t]; ok {
		return mt
	}
	if t.Kind() == reflect.Interface {
		return nil
	}
	mt := &memberType{goKind: t.Kind().String(), num: t.Kind()}
	memo[t] = mt
	if t.Kind() == reflect.Slice && t.Implements(maxItemserType) {
		// a bounded list decodes itself element by element: check them so
		mt.want, mt.goKind, mt.elem = '[', "array", typeOf(t.Elem(), memo)
		mt.max = reflect.Zero(t).Interface().(MaxItemser).MaxItems()
		return mt
	}
	if p := reflect.PointerTo(t); p.Implements(unmarshalerType) || p.Implements(unmarshalerFromType) || p.Implements(textUnmarshalerType) {
		mt.self = t
		return mt
	}
	switch t.Kind() {
	case reflect.String:
		mt.want = '"'
	case reflect.Bool:
		mt.want = 't'
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		mt.want = '0'
	case reflect.Slice, reflect.Array:
		mt.want, mt.goKind, mt.elem = '[', "array", typeOf(t.Elem(), memo)
	case reflect.Map:
		mt.want, mt.goKind, mt.isMap, mt.elem = '{', "object", true, typeOf(t.Elem(), memo)
	case reflect.Struct:
		mt.want, mt.goKind, mt.fields = '{', "object", make(map[string]member)
		addFields(mt.fields, t, memo)
	}
	return mt
}

// addFields adds t's JSON members to fields, promoting those of embedded
// structs as encoding/json does.
func addFields(fields map[string]member, t reflect.Type, memo map[reflect.Type]*memberType) {
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
			fields[f.Name] = member{len(fields), typeOf(f.Type, memo), f.Name}
		default:
			fields[name] = member{len(fields), typeOf(f.Type, memo), name}
		}
	}
}

// fits reports whether raw, a JSON number, fits the number type mt.
func (mt *memberType) fits(raw []byte) bool {
	s := string(raw)
	var err error
	switch mt.num {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(s, 10, bitSize(mt.num))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		_, err = strconv.ParseUint(s, 10, bitSize(mt.num))
	case reflect.Float32:
		_, err = strconv.ParseFloat(s, 32)
	default:
		_, err = strconv.ParseFloat(s, 64)
	}
	return err == nil
}

func bitSize(k reflect.Kind) int {
	switch k {
	case reflect.Int8, reflect.Uint8:
		return 8
	case reflect.Int16, reflect.Uint16:
		return 16
	case reflect.Int32, reflect.Uint32, reflect.Float32:
		return 32
	}
	return 64
}
