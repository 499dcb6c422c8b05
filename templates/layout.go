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
	// Params lists parameter names in wire order. Signature fields are never
	// listed: they are always appended last.
	Params []string `yaml:"params" json:"params"`
}

// DefaultName is the name of the layout holding every documented parameter.
const DefaultName = "default"

// Default returns the layout with every documented parameter of c in
// documented order.
func Default(c Catalogue) Layout {
	return Layout{Name: DefaultName, Params: append([]string(nil), c.Names()...)}
}

// Validate checks the layout against a catalogue and reports every problem at
// once: unknown parameters (by name), duplicates, signature fields and an
// empty list.
func (l Layout) Validate(c Catalogue) error {
	var errs []error
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
