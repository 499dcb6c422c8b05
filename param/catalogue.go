package param

import (
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/signer"
)

// Catalogue is an ordered, indexed list of parameter specs. It is immutable
// once built and safe for concurrent use.
type Catalogue struct {
	kind  signer.Kind
	specs []Spec
	index map[string]int
	names []string
}

// NewCatalogue indexes specs. It panics on a duplicate name: catalogues are
// static data and a duplicate is a programming error.
func NewCatalogue(kind signer.Kind, specs []Spec) *Catalogue {
	c := &Catalogue{kind: kind, specs: specs, index: make(map[string]int, len(specs))}
	for i, s := range specs {
		if _, dup := c.index[s.Name]; dup {
			panic(fmt.Sprintf("param: duplicate parameter %s in %s catalogue", s.Name, kind))
		}
		c.index[s.Name] = i
		if !signer.IsSignatureField(s.Name) {
			c.names = append(c.names, s.Name)
		}
	}
	return c
}

// Kind returns the notification kind the catalogue describes.
func (c *Catalogue) Kind() signer.Kind { return c.kind }

// Specs returns every spec in documented order, signature fields included.
func (c *Catalogue) Specs() []Spec { return c.specs }

// Len returns the number of documented parameters, signature fields included.
func (c *Catalogue) Len() int { return len(c.specs) }

// Names returns the data parameters in documented order (no signature fields).
func (c *Catalogue) Names() []string { return c.names }

// Known reports whether name is documented.
func (c *Catalogue) Known(name string) bool {
	_, ok := c.index[name]
	return ok
}

// Spec returns the spec for name.
func (c *Catalogue) Spec(name string) (Spec, bool) {
	i, ok := c.index[name]
	if !ok {
		return Spec{}, false
	}
	return c.specs[i], true
}

// Check validates every value of fs against its spec and returns all
// problems found. Fields the catalogue does not know are reported too,
// unless allow reports them acceptable (e.g. per-product option fields).
func (c *Catalogue) Check(fs signer.Fields, allow func(name string) bool) []Problem {
	var probs []Problem
	for _, f := range fs {
		s, ok := c.Spec(f.Name)
		if !ok {
			if allow == nil || !allow(f.Name) {
				probs = append(probs, Problem{Field: f.Name, Reason: ReasonUnknownField, Detail: "not a documented parameter"})
			}
			continue
		}
		probs = append(probs, checkValues(&s, f)...)
	}
	return probs
}

func checkValues(s *Spec, f signer.Field) []Problem {
	if !s.Array && len(f.Values) != 1 {
		return []Problem{{Field: f.Name, Reason: ReasonMalformed, Detail: fmt.Sprintf("scalar parameter with %d values", len(f.Values))}}
	}
	var probs []Problem
	for i, v := range f.Values {
		if p, bad := CheckValue(s, v); bad {
			if s.Array {
				p.Field = fmt.Sprintf("%s[%d]", f.Name, i)
			}
			probs = append(probs, p)
		}
	}
	return probs
}

// Table renders the catalogue as an aligned text table (name, type, max
// length, allowed values, description).
func (c *Catalogue) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-3s  %-45s  %-20s  %-6s  %s\n", "#", "PARAMETER", "TYPE", "MAXLEN", "ALLOWED / DESCRIPTION")
	for i, s := range c.specs {
		name := s.Name
		if s.Array {
			name += "[]"
		}
		maxLen := "-"
		if s.MaxLen > 0 {
			maxLen = fmt.Sprint(s.MaxLen)
		}
		desc := s.Description
		if len(s.Allowed) > 0 {
			desc = strings.Join(s.Allowed, "|") + " — " + desc
		}
		fmt.Fprintf(&b, "%-3d  %-45s  %-20s  %-6s  %s\n", i+1, name, s.Type, maxLen, desc)
	}
	return b.String()
}
