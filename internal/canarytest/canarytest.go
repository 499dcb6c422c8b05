// Package canarytest makes variants of a JSON event that carry canary
// values, texts that look like personal data, in every place an event can
// carry text: string, number and boolean members, array elements and
// member names. Tests decode, validate and build each variant and check
// that no problem report repeats a canary.
package canarytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Canaries returns the texts the variants carry: an e-mail address and a
// card-number-like string.
func Canaries() []string { return []string{"jane@x.org", "4111111111111111"} }

// Leak returns the first canary found in text, "" when none is.
func Leak(text string) string {
	for _, c := range Canaries() {
		if strings.Contains(text, c) {
			return c
		}
	}
	return ""
}

// Variant is doc with canaries at one place.
type Variant struct {
	// Path names the place, e.g. "customer.email" or "items[0]".
	Path string
	// Data is the variant document.
	Data []byte
}

// long repeats c past any documented length.
func long(c string) string { return strings.Repeat(c, 300/len(c)+1) }

// Variants returns the variants of doc, a JSON object: every string,
// number and boolean replaced by each canary, short and too long, and
// every number by each canary made of digits, as a number; every
// object given a member named and valued by each canary; every array
// given each canary as one more element; and the whole document replaced
// by a canary.
func Variants(doc []byte) ([]Variant, error) {
	root, err := parse(doc)
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, c := range Canaries() {
		whole, _ := json.Marshal(c)
		out = append(out, Variant{Path: "(document)", Data: whole})
	}
	var walkErr error
	walk(root, nil, func(p path, v any) {
		for _, c := range Canaries() {
			for _, vs := range edits(v, c) {
				data, err := edit(doc, p, vs)
				if err != nil {
					walkErr = err
					return
				}
				out = append(out, Variant{Path: p.String(), Data: data})
			}
		}
	})
	return out, walkErr
}

// edits returns the changes that put c at a value v: as v's
// replacement, and for an object or array as one more member or element.
func edits(v any, c string) []func(any) any {
	switch v.(type) {
	case map[string]any:
		return []func(any) any{func(x any) any {
			x.(map[string]any)[c] = c
			return x
		}}
	case []any:
		return []func(any) any{func(x any) any { return append(x.([]any), c) }}
	}
	out := []func(any) any{
		func(any) any { return c },
		func(any) any { return long(c) },
	}
	if _, isNumber := v.(json.Number); isNumber && isDigits(c) {
		out = append(out, func(any) any { return json.Number(c) })
	}
	return out
}

func isDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// edit parses doc afresh, applies change at p and encodes the result.
func edit(doc []byte, p path, change func(any) any) ([]byte, error) {
	root, err := parse(doc)
	if err != nil {
		return nil, err
	}
	root = p.apply(root, change)
	return json.Marshal(root)
}

func parse(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("canarytest: %w", err)
	}
	return root, nil
}

// step is a member name or, when name is "", an array index.
type step struct {
	name string
	idx  int
}

type path []step

func (p path) String() string {
	var b strings.Builder
	for _, s := range p {
		if s.name == "" {
			fmt.Fprintf(&b, "[%d]", s.idx)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	if b.Len() == 0 {
		return "(root)"
	}
	return b.String()
}

// apply replaces the value at p inside v by change(value) and returns v.
func (p path) apply(v any, change func(any) any) any {
	if len(p) == 0 {
		return change(v)
	}
	switch x := v.(type) {
	case map[string]any:
		x[p[0].name] = p[1:].apply(x[p[0].name], change)
	case []any:
		x[p[0].idx] = p[1:].apply(x[p[0].idx], change)
	}
	return v
}

// walk calls visit for v and every value inside it.
func walk(v any, p path, visit func(path, any)) {
	visit(p, v)
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(e, append(p[:len(p):len(p)], step{name: k}), visit)
		}
	case []any:
		for i, e := range x {
			walk(e, append(p[:len(p):len(p)], step{idx: i}), visit)
		}
	}
}
