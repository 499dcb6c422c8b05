package lcn

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
)

// edit changes one member of a decoded JSON document: path is dotted, with
// numeric segments for array indexes; a nil value deletes the member.
type edit struct {
	path  string
	value any
}

// del marks an edit that deletes the member.
var del any = deleteMarker{}

type deleteMarker struct{}

// mutate returns the example called name with the edits applied.
func mutate(t testing.TB, name string, edits ...edit) []byte {
	t.Helper()
	data, err := Example(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		apply(t, doc, strings.Split(e.path, "."), e.value)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func apply(t testing.TB, node any, path []string, v any) {
	t.Helper()
	key := path[0]
	switch n := node.(type) {
	case map[string]any:
		if len(path) == 1 {
			if _, ok := v.(deleteMarker); ok {
				delete(n, key)
			} else {
				n[key] = v
			}
			return
		}
		child, ok := n[key]
		if !ok {
			child = map[string]any{}
			n[key] = child
		}
		apply(t, child, path[1:], v)
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i >= len(n) {
			t.Fatalf("bad index %q", key)
		}
		if len(path) == 1 {
			n[i] = v
			return
		}
		apply(t, n[i], path[1:], v)
	default:
		t.Fatalf("cannot descend into %T at %q", node, key)
	}
}

// problems returns the (field, reason) pairs of err, which must be a
// *param.Error of kind lcn.
func problems(t testing.TB, err error) []string {
	t.Helper()
	var pe *param.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *param.Error", err, err)
	}
	if pe.Kind != "lcn" {
		t.Errorf("error kind %q, want lcn", pe.Kind)
	}
	out := make([]string, len(pe.Problems))
	for i, p := range pe.Problems {
		out[i] = memberPosition.ReplaceAllString(p.Field, "<member>") + " " + string(p.Reason)
	}
	return out
}

// memberPosition matches the position of an undeclared member in a
// problem's path, which depends on the example's layout.
var memberPosition = regexp.MustCompile(`<member \d+>`)

// decodeValidate decodes and validates data, returning the first error.
func decodeValidate(data []byte) (*Event, error) {
	ev, err := Decode(data)
	if err != nil {
		return nil, err
	}
	return ev, ev.Validate()
}
