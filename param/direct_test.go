package param

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// directDoc has a member of every shape the direct decoder fills, and a
// few it leaves to encoding/json (map, float, ",string").
type directDoc struct {
	S     string        `json:"s"`
	Named directName    `json:"named,omitempty"`
	B     bool          `json:"b,omitempty"`
	I     int           `json:"i,omitempty"`
	I8    int8          `json:"i8,omitempty"`
	I64   int64         `json:"i64,omitempty"`
	U     uint64        `json:"u,omitempty"`
	U16   uint16        `json:"u16,omitempty"`
	I16   int16         `json:"i16,omitempty"`
	I32   int32         `json:"i32,omitempty"`
	U8    uint8         `json:"u8,omitempty"`
	U32   uint32        `json:"u32,omitempty"`
	PI    *int          `json:"pi,omitempty"`
	PU    *uint64       `json:"pu,omitempty"`
	PB    *bool         `json:"pb,omitempty"`
	PS    *string       `json:"ps,omitempty"`
	T     Timestamp     `json:"t,omitzero"`
	PT    *Timestamp    `json:"pt,omitempty"`
	Inner *directInner  `json:"inner,omitempty"`
	Value directInner   `json:"value,omitzero"`
	List  []directInner `json:"list,omitempty"`
	Strs  []string      `json:"strs,omitempty"`
	Ptrs  []*directLeaf `json:"ptrs,omitempty"`
	directBase
	Tags  map[string]string `json:"tags,omitempty"`
	F     float64           `json:"f,omitempty"`
	Quote int               `json:"quote,string,omitempty"`
	Skip  string            `json:"-"`
	Plain string
}

type directName string

type directBase struct {
	Base  string `json:"base,omitempty"`
	Level int    `json:"level,omitempty"`
}

type directInner struct {
	directBase
	Leaf *directLeaf `json:"leaf,omitempty"`
	N    *int        `json:"n,omitempty"`
}

type directLeaf struct {
	Code string  `json:"code"`
	ID   *uint64 `json:"id,omitempty"`
}

const directFull = `{"s":"plain","named":"n","b":true,"i":-42,"i8":-128,"i64":-9223372036854775808,
 "u":18446744073709551615,"u16":65535,"pi":0,"pu":7,"pb":false,"ps":"",
 "t":"2026-03-10T08:15:00Z","pt":"2026-03-10T10:15:00+02:00",
 "inner":{"base":"b","level":1,"leaf":{"code":"c","id":1},"n":-0},
 "value":{"leaf":{"code":"v"}},
 "list":[{"base":"x"},{"leaf":{"code":"y","id":2}},{},{"n":3},{"level":5}],
 "strs":["a","b"],"ptrs":[{"code":"p"},{"code":"q","id":9}],
 "base":"top","level":3,"Plain":"p"}`

// TestDirectMatchesReference: on documents the direct decoder accepts it
// fills exactly what encoding/json fills; on the others Decode reports
// exactly what the reference path reports.
func TestDirectMatchesReference(t *testing.T) {
	cases := []struct {
		name   string
		doc    string
		direct bool // the direct decoder accepts it
	}{
		{"full", directFull, true},
		{"empty object", `{}`, true},
		{"empty nested", `{"inner":{},"list":[],"strs":[],"ptrs":[]}`, true},
		{"spaces", " \t\r\n{ \"s\" : \"a\" , \"b\" : false }\n ", true},
		{"any member order", `{"level":1,"s":"a","base":"b","i":1}`, true},
		{"alphabetical order", `{"Plain":"p","b":true,"base":"b","i":1,"inner":{"leaf":{"code":"c","id":1},"n":2},"level":3,"s":"a","strs":["x"]}`, true},
		{"escapes", `{"s":"a\"b\\c\/d\b\f\n\r\t\u00fc\u20ac\ud83d\ude00 \u0026"}`, true},
		{"lone surrogates", `{"s":"\ud800x\udc00\ud800\u0041\ud83d"}`, true},
		{"utf-8", `{"s":"Jürgen Müller 東京 😀"}`, true},
		{"escaped key", `{"\u0073":"a"}`, false},
		{"escaped next member", `{"s":"a","n\u0061med":"n"}`, false},
		{"next member name extended", `{"s":"a","namedx":"n"}`, false},
		{"next member name cut", `{"s":"a","name":"n"}`, false},
		{"next member name at the end", `{"s":"a","named`, false},
		{"unknown", `{"s":"a","x":1}`, false},
		{"case variant", `{"S":"a"}`, false},
		{"ignored member", `{"Skip":"a"}`, false},
		{"duplicate", `{"s":"a","s":"b"}`, false},
		{"duplicate promoted", `{"base":"a","base":"b"}`, false},
		{"null", `{"ps":null}`, false},
		{"null element", `{"ptrs":[null]}`, false},
		{"map", `{"tags":{"a":"b"}}`, false},
		{"float", `{"f":1.5}`, false},
		{"string option", `{"quote":"1"}`, false},
		{"fraction", `{"i":1.0}`, false},
		{"exponent", `{"i":1e2}`, false},
		{"leading zero", `{"i":01}`, false},
		{"integers at their limits", `{"i8":127,"i16":-32768,"i32":2147483647,"u8":255,"u16":65535,"u32":4294967295}`, true},
		{"overflow int8", `{"i8":128}`, false},
		{"overflow int16", `{"i16":32768}`, false},
		{"overflow int32", `{"i32":-2147483649}`, false},
		{"overflow uint8", `{"u8":256}`, false},
		{"overflow uint32", `{"u32":4294967296}`, false},
		{"overflow int64", `{"i64":9223372036854775808}`, false},
		{"overflow uint64", `{"u":18446744073709551616}`, false},
		{"negative uint", `{"u":-1}`, false},
		{"negative zero uint", `{"u":-0}`, false},
		{"minus only", `{"i":-}`, false},
		{"string for int", `{"i":"1"}`, false},
		{"number for string", `{"s":1}`, false},
		{"bool for string", `{"s":true}`, false},
		{"object for slice", `{"strs":{}}`, false},
		{"bad literal", `{"b":tru}`, false},
		{"literal suffix", `{"b":truex}`, false},
		{"bad timestamp", `{"t":"2026-03-10"}`, false},
		{"number timestamp", `{"t":1}`, false},
		{"control character", "{\"s\":\"a\tb\"}", false},
		{"bad escape", `{"s":"\x"}`, false},
		{"short unicode escape", `{"s":"\u12"}`, false},
		{"trailing comma", `{"s":"a",}`, false},
		{"trailing comma in array", `{"strs":["a",]}`, false},
		{"missing comma", `{"s":"a" "b":true}`, false},
		{"missing colon", `{"s" "a"}`, false},
		{"unterminated", `{"s":"a"`, false},
		{"unterminated string", `{"s":"a`, false},
		{"trailing value", `{"s":"a"} {}`, false},
		{"trailing garbage", `{"s":"a"}x`, false},
		{"array root", `[]`, false},
		{"empty", ``, false},
		{"invalid UTF-8", "{\"s\":\"\xff\"}", false},
	}
	c := NewMemberCheck(directDoc{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got directDoc
			// Decode checks UTF-8 before the direct decoder runs.
			valid := utf8.ValidString(tc.doc)
			if ok := valid && decodeDirect([]byte(tc.doc), reflect.ValueOf(&got).Elem(), c.plan); ok != tc.direct {
				t.Errorf("direct decoder accepts: %v, want %v", ok, tc.direct)
			}
			sameAsReference(t, c, []byte(tc.doc))
		})
	}
}

// sameAsReference decodes data with Decode and with the reference path
// and fails unless both report the same problems and fill the same value.
func sameAsReference(t *testing.T, c *MemberCheck, data []byte) {
	t.Helper()
	var got, want directDoc
	gotProbs, _ := c.Decode(data, &got)
	wantProbs, _ := c.decodeReference(data, &want)
	if !slices.Equal(gotProbs, wantProbs) {
		t.Fatalf("problems %v, reference %v", gotProbs, wantProbs)
	}
	if len(wantProbs) == 0 && !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded\n%+v\nreference\n%+v", got, want)
	}
}

func TestDirectAllocations(t *testing.T) {
	c := NewMemberCheck(directDoc{})
	data := []byte(directFull)
	allocs := testing.AllocsPerRun(100, func() {
		var v directDoc
		if probs, _ := c.Decode(data, &v); len(probs) > 0 {
			t.Fatal(probs)
		}
	})
	// the document as one string, the arena, one target per pointer and
	// one backing array per slice, the FixedZone of the +02:00 timestamp
	// (Decode's own v escapes through the interface too).
	if allocs > 15 {
		t.Errorf("%v allocations per decode", allocs)
	}
}

// TestDirectMergesNothing: a value that is not zero takes the reference
// path, which merges as encoding/json does.
func TestDirectMergesNothing(t *testing.T) {
	c := NewMemberCheck(directDoc{})
	v := directDoc{Plain: "kept"}
	if probs, _ := c.Decode([]byte(`{"s":"a"}`), &v); len(probs) > 0 || v.Plain != "kept" || v.S != "a" {
		t.Errorf("decoded %+v, problems %v", v, probs)
	}
}

// TestDirectPlanLeavesOddTypes: what encoding/json resolves in ways the
// direct decoder does not reproduce is left to it: a recursive type below
// its first level, a member named by the tag "-,", a whole struct whose
// member names clash.
func TestDirectPlanLeavesOddTypes(t *testing.T) {
	type recursive struct {
		Next *recursive `json:"next"`
	}
	type dashed struct {
		Dash string `json:"-,"`
	}
	type clash struct {
		directBase
		Base string `json:"base"`
	}
	if p := NewMemberCheck(recursive{}).plan; p == nil || p.fields[0].plan.elem.kind != planUnsupported {
		t.Error("recursion planned")
	}
	if p := NewMemberCheck(dashed{}).plan; p == nil || p.fields[0].name != "-" || p.fields[0].plan.kind != planUnsupported {
		t.Error(`member "-" planned`)
	}
	if NewMemberCheck(clash{}).plan != nil {
		t.Error("clashing members planned")
	}
}

// FuzzDirectDecode: Decode (direct decoder first) and the reference path
// agree on every input: the same problems, the same value.
func FuzzDirectDecode(f *testing.F) {
	f.Add([]byte(directFull))
	f.Add([]byte(`{"s":"a\u00fc\ud83d\ude00","list":[{"n":1}],"ptrs":[{"code":"x"}]}`))
	f.Add([]byte(`{"i":-0,"u":0,"strs":[],"t":"2026-01-01T00:00:00+01:00"}`))
	c := NewMemberCheck(directDoc{})
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsReference(t, c, data)
	})
}

// TestScanString: the word-at-a-time scan stops where a byte-by-byte scan
// stops, for every byte value at every position of a word and after it.
func TestScanString(t *testing.T) {
	byteScan := func(data []byte, i int) int {
		for i < len(data) && !stringStop[data[i]] {
			i++
		}
		return i
	}
	for c := range 256 {
		for n := 1; n <= 20; n++ {
			for at := 0; at < n; at++ {
				data := []byte(strings.Repeat("x", n))
				data[at] = byte(c)
				for from := 0; from <= at; from++ {
					if got, want := scanString(data, from), byteScan(data, from); got != want {
						t.Fatalf("scanString(%q, %d) = %d, want %d", data, from, got, want)
					}
				}
			}
		}
	}
}

// TestAlphabeticalOrder: following alphaNext from the start visits every
// member once, in the byte order of the names (as encoders sort keys).
func TestAlphabeticalOrder(t *testing.T) {
	p := NewMemberCheck(directDoc{}).plan
	var names []string
	for i := p.alphaNext[0]; i < len(p.fields); i = p.alphaNext[i+1] {
		names = append(names, p.fields[i].name)
	}
	if len(names) != len(p.fields) || !slices.IsSorted(names) {
		t.Errorf("alphabetical order %q", names)
	}
}
