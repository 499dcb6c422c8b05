// Package templates holds the notification layouts a merchant chooses in the
// LCN and IPN settings (all or a subset of the documented parameters, in
// order) and the read-receipt formats.
//
// The package knows parameter names only; the catalogues live in the lcn and
// ipn packages, which pass their names in.
package templates

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/signer"
)

// Catalogue answers whether a parameter name is documented for one kind of
// notification. lcn.Catalogue and ipn.Catalogue implement it.
type Catalogue interface {
	// Names returns every documented parameter in documented order,
	// signature fields excluded.
	Names() []string
	// Known reports whether name is a documented parameter.
	Known(name string) bool
}

// Layout is an ordered selection of parameters: the fields a notification
// carries and the order they are sent (and signed) in.
type Layout struct {
	// Name identifies the layout in configuration ("default" for the full one).
	Name string `yaml:"name" json:"name"`
	// Kind is the notification kind the layout is for: "lcn" or "ipn".
	// Layouts built by Default take it from the catalogue when it tells.
	Kind string `yaml:"kind" json:"kind"`
	// Params lists parameter names in wire order. Signature fields are never
	// listed: they are always appended last.
	Params []string `yaml:"params" json:"params"`
}

// DefaultName is the name of the layout holding every documented parameter.
const DefaultName = "default"

// Default returns the layout with every documented parameter of c in
// documented order.
func Default(c Catalogue) Layout {
	l := Layout{Name: DefaultName, Params: append([]string(nil), c.Names()...)}
	if k, ok := c.(kindTeller); ok {
		l.Kind = k.Kind().String()
	}
	return l
}

// kindTeller is implemented by catalogues that know their notification kind
// (param.Catalogue does).
type kindTeller interface {
	Kind() signer.Kind
}

// Validate checks the layout against a catalogue and reports every problem at
// once: unknown parameters (by name), duplicates, signature fields, an empty
// list, and a kind other than the catalogue's (when the catalogue tells its
// kind).
func (l Layout) Validate(c Catalogue) error {
	var errs []error
	if k, ok := c.(kindTeller); ok && l.Kind != "" && l.Kind != k.Kind().String() {
		errs = append(errs, fmt.Errorf("layout %q: a %s layout checked against the %s catalogue", l.Name, l.Kind, k.Kind()))
	}
	if len(l.Params) == 0 {
		errs = append(errs, fmt.Errorf("layout %q: no parameters", l.Name))
	}
	seen := make(map[string]bool, len(l.Params))
	for _, p := range l.Params {
		switch {
		case isSignature(p):
			errs = append(errs, fmt.Errorf("layout %q: %s is a signature field and is always sent last; remove it", l.Name, p))
		case !c.Known(p):
			errs = append(errs, fmt.Errorf("layout %q: unknown parameter %q", l.Name, p))
		case seen[p]:
			errs = append(errs, fmt.Errorf("layout %q: parameter %q listed twice", l.Name, p))
		}
		seen[p] = true
	}
	return errors.Join(errs...)
}

func isSignature(name string) bool {
	switch strings.ToUpper(name) {
	case "HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256":
		return true
	}
	return false
}
