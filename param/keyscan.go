package param

import (
	"encoding/json"
	"strconv"
	"strings"
)

// keyScanner walks a JSON document alongside the Go type it decodes into
// and reports members the type does not declare (exact spelling),
// duplicate members and null values. The input is known to be valid JSON,
// so the scanner only has to find where strings, objects and arrays start
// and end; on anything else it still terminates.
//
// It runs in time linear in the document: each object keeps its member
// names in a hash set, and past MaxProblems problems it only counts them.
type keyScanner struct {
	data  []byte
	pos   int
	path  []segment // member names and indexes down to the current value
	probs []Problem
	limit int // problems kept; further ones are counted in more
	more  int
}

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// maxPathSegments and maxFieldBytes bound the path a problem names.
const (
	maxPathSegments = 16
	maxFieldBytes   = 160
)

// segment is one step of a path: a member name (idx < 0) or an array index.
type segment struct {
	key []byte
	idx int
}

func (s *keyScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value scans one value; t describes it (nil: unknown, not checked).
func (s *keyScanner) value(t *memberType) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return
	}
	switch s.data[s.pos] {
	case '{', '[':
		if len(s.path) >= maxDepth {
			s.report(ReasonMalformed, "nested too deeply")
			s.pos = len(s.data)
			return
		}
		if s.data[s.pos] == '{' {
			s.object(t)
		} else {
			s.array(t)
		}
	case '"':
		s.str()
	case 'n':
		s.report(ReasonMalformed, "null is not allowed; omit the member instead")
		s.pos += len("null")
	default: // number, true, false
		start := s.pos
		for s.pos < len(s.data) && !isDelim(s.data[s.pos]) {
			s.pos++
		}
		if s.pos == start { // not JSON: skip the byte rather than stall
			s.pos++
		}
	}
}

func (s *keyScanner) object(t *memberType) {
	s.pos++                      // {
	var seen map[string]struct{} // member names checked for repeats
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] == '}' {
			break
		}
		if s.data[s.pos] == ',' {
			s.pos++
			s.skipSpace()
		}
		key := s.str()
		child := s.checkKey(t, key, &seen)
		s.skipSpace()
		s.pos++ // :
		s.path = append(s.path, segment{key: key, idx: -1})
		s.value(child)
		s.path = s.path[:len(s.path)-1]
	}
	s.pos++ // }
}

// checkKey checks one member name of an object described by t and returns
// the description of its value. seen holds the names checked so far in
// the object; it is made on the first name that needs it. Only names of
// a map or declared members are kept: an unknown member is reported as
// such, and the contents of an unknown value are not checked.
func (s *keyScanner) checkKey(t *memberType, key []byte, seen *map[string]struct{}) *memberType {
	var child *memberType
	s.path = append(s.path, segment{key: key, idx: -1})
	defer func() { s.path = s.path[:len(s.path)-1] }()
	switch {
	case t == nil:
		return nil
	case t.isMap:
		child = t.elem
	case t.fields != nil:
		var ok bool
		if child, ok = t.fields[string(key)]; !ok {
			s.report(ReasonUnknownField, "not a field of the schema")
			return nil
		}
	}
	if *seen == nil {
		*seen = make(map[string]struct{})
	}
	if _, dup := (*seen)[string(key)]; dup {
		s.report(ReasonBadJSON, "member given more than once")
	}
	(*seen)[string(key)] = struct{}{}
	return child
}

func (s *keyScanner) array(t *memberType) {
	var elem *memberType
	if t != nil {
		elem = t.elem
	}
	s.pos++ // [
	for i := 0; ; i++ {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] == ']' {
			break
		}
		if s.data[s.pos] == ',' {
			s.pos++
		}
		s.path = append(s.path, segment{idx: i})
		s.value(elem)
		s.path = s.path[:len(s.path)-1]
	}
	s.pos++ // ]
}

// str consumes a string and returns its content, unescaped if needed.
func (s *keyScanner) str() []byte {
	start := s.pos + 1
	escaped := false
	for s.pos = start; s.pos < len(s.data); s.pos++ {
		switch s.data[s.pos] {
		case '\\':
			escaped = true
			s.pos++
		case '"':
			raw := s.data[start:s.pos]
			s.pos++
			if !escaped {
				return raw
			}
			var out string
			_ = json.Unmarshal(s.data[start-1:s.pos], &out) // valid: the decoder accepted it
			return []byte(out)
		}
	}
	return nil
}

func isDelim(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// report records a problem at the current path; past its limit it only
// counts it, so a document with many problems costs no more to report
// than one with a few.
func (s *keyScanner) report(r Reason, detail string) {
	if len(s.probs) >= s.limit {
		s.more++
		return
	}
	var b strings.Builder
	for i, p := range s.path {
		if i == maxPathSegments {
			b.WriteString("…")
			break
		}
		if p.idx >= 0 {
			b.WriteString("[" + strconv.Itoa(p.idx) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(boundedName(string(p.key)))
		if b.Len() > maxFieldBytes {
			b.WriteString("…")
			break
		}
	}
	s.probs = append(s.probs, Problem{Field: b.String(), Reason: r, Detail: detail})
}
