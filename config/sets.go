package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/signer"
)

// listItems returns the scalar items of a YAML sequence, or the
// comma-separated parts of a scalar, so that both "[lcn, ipn]" and
// "lcn,ipn" are accepted.
func listItems(n *yaml.Node, what string) ([]*yaml.Node, error) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return nil, typeError(item, "%s: items must be strings", what)
			}
		}
		return n.Content, nil
	case yaml.ScalarNode:
		var out []*yaml.Node
		for part := range strings.SplitSeq(n.Value, ",") {
			if strings.TrimSpace(part) != "" {
				out = append(out, &yaml.Node{Kind: yaml.ScalarNode, Value: part, Line: n.Line, Column: n.Column})
			}
		}
		return out, nil
	}
	return nil, typeError(n, "%s must be a list", what)
}

// Kinds is a set of notification kinds (LCN, IPN) an endpoint receives.
// In YAML it is a list: [lcn], [ipn] or [lcn, ipn].
type Kinds uint8

// KindsOf returns the set of the given kinds.
func KindsOf(kinds ...signer.Kind) Kinds {
	var s Kinds
	for _, k := range kinds {
		s |= 1 << k
	}
	return s
}

// BothKinds is the set of LCN and IPN.
const BothKinds = Kinds(1<<signer.KindLCN | 1<<signer.KindIPN)

// Has reports whether k is in the set.
func (s Kinds) Has(k signer.Kind) bool { return s&(1<<k) != 0 }

// List returns the kinds in the set, LCN first.
func (s Kinds) List() []signer.Kind {
	var out []signer.Kind
	for _, k := range [...]signer.Kind{signer.KindLCN, signer.KindIPN} {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// String returns the set as "lcn", "ipn" or "lcn,ipn".
func (s Kinds) String() string {
	names := make([]string, 0, 2)
	for _, k := range s.List() {
		names = append(names, k.String())
	}
	return strings.Join(names, ",")
}

// MarshalText returns the set comma-separated, for JSON and text logs.
func (s Kinds) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalYAML renders the set as a list of names.
func (s Kinds) MarshalYAML() (any, error) {
	names := []string{}
	for _, k := range s.List() {
		names = append(names, k.String())
	}
	return names, nil
}

// UnmarshalYAML reads a list of kind names; every unknown name is reported.
func (s *Kinds) UnmarshalYAML(n *yaml.Node) error {
	items, err := listItems(n, "kinds")
	if err != nil {
		return err
	}
	var set Kinds
	var errs []string
	for _, item := range items {
		k, ok := signer.ParseKind(strings.TrimSpace(item.Value))
		if !ok {
			errs = append(errs, fmt.Sprintf("line %d: unknown kind %q (want lcn or ipn)", item.Line, item.Value))
			continue
		}
		set |= KindsOf(k)
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*s = set
	return nil
}

// Algorithms is a set of signature algorithms, written in YAML as a list of
// md5, sha256 and sha3-256.
type Algorithms signer.Algorithms

// Set returns the set as the signer's type.
func (a Algorithms) Set() signer.Algorithms { return signer.Algorithms(a) }

// String returns the set as a comma-separated list, weakest first.
func (a Algorithms) String() string { return signer.Algorithms(a).String() }

// MarshalText returns the set comma-separated, for JSON and text logs.
func (a Algorithms) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// MarshalYAML renders the set as a list of names.
func (a Algorithms) MarshalYAML() (any, error) {
	names := []string{}
	for _, alg := range signer.Algorithms(a).List() {
		names = append(names, alg.String())
	}
	return names, nil
}

// UnmarshalYAML reads a list of algorithm names; every unknown name is
// reported.
func (a *Algorithms) UnmarshalYAML(n *yaml.Node) error {
	items, err := listItems(n, "algorithms")
	if err != nil {
		return err
	}
	var set signer.Algorithms
	var errs []string
	for _, item := range items {
		alg, err := signer.ParseAlgorithm(item.Value)
		if err != nil {
			errs = append(errs, fmt.Sprintf("line %d: %v", item.Line, err))
			continue
		}
		set = set.With(alg)
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*a = Algorithms(set)
	return nil
}
