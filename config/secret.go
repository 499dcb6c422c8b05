package config

import (
	"fmt"
	"log/slog"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// redacted is what every rendering of a Secret shows.
const redacted = "[REDACTED]"

// Secret holds key material. Every way of printing, marshalling or logging
// it yields "[REDACTED]": String, GoString, Format (all verbs and flags),
// MarshalText, MarshalJSON, MarshalYAML and LogValue. Only [Secret.Reveal]
// returns the bytes.
//
// The bytes sit behind a pointer, so that even reflection-based printing of a
// struct holding a Secret in an unexported field shows an address, never
// the key.
type Secret struct {
	p *[]byte
}

// NewSecret returns a Secret holding a copy of b.
func NewSecret(b []byte) Secret {
	if len(b) == 0 {
		return Secret{}
	}
	c := append([]byte(nil), b...)
	return Secret{p: &c}
}

// Reveal returns a copy of the secret bytes, for keying an HMAC. Never log
// or print the result.
func (s Secret) Reveal() []byte {
	if s.p == nil {
		return nil
	}
	return append([]byte(nil), *s.p...)
}

// IsZero reports whether the secret is empty. YAML's omitempty and JSON's
// omitzero use it.
func (s Secret) IsZero() bool { return s.p == nil || len(*s.p) == 0 }

// Len returns the length of the secret in bytes.
func (s Secret) Len() int {
	if s.p == nil {
		return 0
	}
	return len(*s.p)
}

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]".
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" for every verb, quoted for %q.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprint(f, strconv.Quote(redacted))
		return
	}
	fmt.Fprint(f, redacted)
}

// LogValue makes log/slog record "[REDACTED]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns "[REDACTED]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// MarshalJSON returns the JSON string "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(redacted)), nil }

// MarshalYAML returns "[REDACTED]".
func (s Secret) MarshalYAML() (any, error) { return redacted, nil }

// UnmarshalYAML reads an inline secret from a YAML string. The value is taken
// verbatim: nothing is trimmed.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return typeError(n, "secret must be a string")
	}
	*s = NewSecret([]byte(n.Value))
	return nil
}

// Interface checks: a missing method would silently fall back to printing
// the bytes.
var (
	_ fmt.Formatter  = Secret{}
	_ fmt.Stringer   = Secret{}
	_ fmt.GoStringer = Secret{}
	_ slog.LogValuer = Secret{}
	_ yaml.Marshaler = Secret{}
)
