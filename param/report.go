package param

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// reporter reads a rejected document token by token alongside the Go type
// it decodes into and lists its problems: members the type does not
// declare, members given twice, null, JSON types that do not fit and
// values their type refuses. A syntax error is the only problem reported
// when there is one, as nothing after it is reliable.
//
// It runs in time linear in the document: each object keeps its member
// names in a hash set, the contents of unknown members are skipped, and
// past its limit it only counts problems.
type reporter struct {
	dec    *jsontext.Decoder
	data   []byte
	path   []segment // members and indexes down to the current value
	probs  Problems
	failed bool // a syntax error ended the read
	enough bool // MaxCounted problems found: the read stopped
	seed   maphash.Seed
	schema string // the root's "schema" member, when a string
	buf    []byte // unescaped member names
}

// segment is one step of a problem's path: a declared member (name), an
// undeclared member or map key (its position, counted from 1: its name is
// never repeated) or an array index (idx >= 0).
type segment struct {
	name string
	pos  int
	idx  int
}

// maxPathSegments bounds the path a problem names.
const maxPathSegments = 16

func newReporter(data []byte) *reporter {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	return &reporter{dec: dec, data: data, path: make([]segment, 0, 16), seed: maphash.MakeSeed()}
}

// document reports the problems of the whole document, whose root value
// is described by t.
func (r *reporter) document(t *memberType) {
	if !utf8.Valid(r.data) {
		r.probs = Problems{kept: []Problem{{Reason: ReasonBadJSON, Detail: "not valid UTF-8"}}}
		return
	}
	r.value(t)
	if r.failed || r.enough {
		return
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		r.syntax(err)
	}
}

// value reports the problems of the next value; t describes it (nil: not
// checked).
func (r *reporter) value(t *memberType) {
	if t == nil || t.self != nil {
		r.opaque(t)
		return
	}
	switch k := r.dec.PeekKind(); k {
	case 'n':
		r.report(ReasonMalformed, "null is not allowed; omit the member instead")
		r.skip()
	case '{', '[':
		switch {
		case t.want != k:
			r.mismatch(t, k)
			r.skip()
		case k == '{':
			r.object(t)
		default:
			r.array(t)
		}
	case jsontext.KindInvalid:
		r.skip() // reads the error
	default:
		r.scalar(t, k)
	}
}

// opaque checks a value the schema does not describe (t nil) or that
// decodes itself (t.self): only whether the type accepts it.
func (r *reporter) opaque(t *memberType) {
	if r.dec.PeekKind() == 'n' && t != nil {
		r.report(ReasonMalformed, "null is not allowed; omit the member instead")
		r.skip()
		return
	}
	raw, err := r.dec.ReadValue()
	if err != nil {
		r.syntax(err)
		return
	}
	if t == nil || json.Unmarshal(raw, reflect.New(t.self).Interface()) == nil {
		return
	}
	if t.self == timestampType {
		r.report(ReasonMalformed, "not an RFC 3339 timestamp")
		return
	}
	r.report(ReasonMalformed, "not a valid "+t.goKind)
}

func (r *reporter) object(t *memberType) {
	var seen names
	r.elements('}', func(i int) { r.member(t, i+1, &seen) })
}

// elements reads the opening token of an object or array, then calls each
// with the index of every element, counted from 0, until the closing
// token end, a syntax error or the reporter's failure.
func (r *reporter) elements(end jsontext.Kind, each func(i int)) {
	if _, err := r.dec.ReadToken(); err != nil {
		r.syntax(err)
		return
	}
	for i := 0; !r.failed && !r.enough; i++ {
		switch r.dec.PeekKind() {
		case end:
			if _, err := r.dec.ReadToken(); err != nil {
				r.syntax(err)
			}
			return
		case jsontext.KindInvalid:
			r.skip()
			return
		}
		each(i)
	}
}

// names are the member names of one object checked so far, for repeats:
// declared members by position, map keys by a 64-bit hash of the name
// with where its first holder is, so that a hash collision is never
// taken for a repeat. Each is made on first use.
type names struct {
	declared []bool
	keys     map[uint64]span
}

// span locates a name in the document.
type span struct{ start, end int }

// add records a name, read from the document at s, and reports whether
// it was there already.
func (n *names) add(t *memberType, m member, r *reporter, name []byte, s span) (repeated bool) {
	if !t.isMap {
		if n.declared == nil {
			n.declared = make([]bool, len(t.fields))
		}
		repeated, n.declared[m.idx] = n.declared[m.idx], true
		return repeated
	}
	if n.keys == nil {
		n.keys = make(map[uint64]span)
	}
	h := maphash.Bytes(r.seed, name)
	first, ok := n.keys[h]
	if !ok {
		n.keys[h] = s
		return false
	}
	return bytes.Equal(unquoted(nil, r.data[first.start:first.end]), name)
}

// member reports the problems of the member at position pos of an object
// described by t: its name, then its value.
func (r *reporter) member(t *memberType, pos int, seen *names) {
	raw, err := r.dec.ReadValue() // the name, quoted
	if err != nil {
		r.syntax(err)
		return
	}
	name := r.name(raw)
	m, known := t.fields[string(name)]
	if !t.isMap && !known {
		r.path = append(r.path, segment{pos: pos, idx: -1})
		r.report(ReasonUnknownField, "not a field of the schema")
		r.path = r.path[:len(r.path)-1]
		r.skip()
		return
	}
	seg := segment{pos: pos, idx: -1}
	if known {
		seg.name = m.name // a declared name: never text from the event
	} else {
		m.t = t.elem
	}
	r.path = append(r.path, seg)
	end := int(r.dec.InputOffset())
	if seen.add(t, m, r, name, span{end - len(raw), end}) {
		r.report(ReasonBadJSON, "member given more than once")
	}
	r.value(m.t)
	r.path = r.path[:len(r.path)-1]
}

// name returns the content of raw, a member name: raw's own bytes, or
// when escaped, the name unescaped into the reporter's buffer, valid until
// the next call.
func (r *reporter) name(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	r.buf, _ = jsontext.AppendUnquote(r.buf[:0], raw) // valid: the decoder read it
	return r.buf
}

// unquoted returns the content of a JSON string: raw's own bytes, or
// when escaped, the content unescaped into buf.
func unquoted(buf []byte, raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	out, _ := jsontext.AppendUnquote(buf, raw) // valid: the decoder read it
	return out
}

func (r *reporter) array(t *memberType) {
	r.elements(']', func(i int) {
		if t.max > 0 && i >= t.max {
			if i == t.max {
				r.report(ReasonTooLong, fmt.Sprintf("more than %d elements", t.max))
			}
			r.skip()
			return
		}
		r.path = append(r.path, segment{idx: i})
		r.value(t.elem)
		r.path = r.path[:len(r.path)-1]
	})
}

// scalar checks a string, number or boolean against t.
func (r *reporter) scalar(t *memberType, k jsontext.Kind) {
	raw, err := r.dec.ReadValue()
	if err != nil {
		r.syntax(err)
		return
	}
	switch {
	case k == '"' && len(r.path) == 1 && r.path[0].name == "schema":
		r.schema = string(unquoted(nil, raw))
	case k == 't' || k == 'f':
		k = 't'
	case k == '0' && t.want == '0':
		if !t.fits(raw) {
			r.report(ReasonBadJSON, "JSON number where "+t.goKind+" expected")
		}
		return
	}
	if k != t.want {
		r.mismatch(t, k)
	}
}

// mismatch reports a JSON value of kind k where t expects another.
func (r *reporter) mismatch(t *memberType, k jsontext.Kind) {
	if r.full() {
		return
	}
	r.report(ReasonBadJSON, fmt.Sprintf("JSON %s where %s expected", kindName(k), t.goKind))
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "bool"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "null"
}

// skip moves past the next value; a syntax error ends the report.
func (r *reporter) skip() {
	if err := r.dec.SkipValue(); err != nil {
		r.syntax(err)
	}
}

// syntax makes err, a syntax error, the only problem: what follows it
// cannot be read reliably.
func (r *reporter) syntax(err error) {
	r.failed = true
	p := Problem{Reason: ReasonBadJSON, Detail: "not valid JSON"}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		p.Detail = fmt.Sprintf("not valid JSON (byte offset %d)", syn.ByteOffset)
	} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		p.Detail = fmt.Sprintf("not valid JSON (byte offset %d)", len(r.data))
	}
	r.probs = Problems{kept: []Problem{p}}
}

// report records a problem at the current path; past the limit it only
// counts it, so a document with many problems costs no more to report
// than one with a few.
func (r *reporter) report(reason Reason, detail string) {
	if !r.full() {
		r.probs.Add(Problem{Field: r.field(), Reason: reason, Detail: detail})
	}
}

// full counts a problem and reports true when the list is full (see
// Problems.Full), and stops the read once MaxCounted are found.
func (r *reporter) full() bool {
	if !r.probs.Full() {
		return false
	}
	r.enough = r.probs.Found() >= MaxCounted
	return true
}

// field renders the current path: declared member names, "<member N>" for
// the Nth member when undeclared, and array indexes.
func (r *reporter) field() string {
	var b strings.Builder
	for i, s := range r.path {
		if i == maxPathSegments {
			b.WriteString("…")
			break
		}
		switch {
		case s.idx >= 0:
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
			continue
		case b.Len() > 0:
			b.WriteByte('.')
		}
		if s.name != "" {
			b.WriteString(s.name)
		} else {
			b.WriteString("<member " + strconv.Itoa(s.pos) + ">")
		}
	}
	return b.String()
}
