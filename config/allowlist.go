package config

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AllowList names the destinations that may resolve to loopback, private,
// link-local or otherwise non-public addresses (which delivery refuses by
// default, against server-side request forgery). An entry is a CIDR prefix
// ("10.20.0.0/16"), a single address ("192.168.1.10", "::1"), a host name
// ("billing.internal") or a wildcard for the subdomains of a name
// ("*.svc.cluster.local", which does not match svc.cluster.local itself).
// Host names match case-insensitively and without a trailing dot. The zero
// value allows nothing.
type AllowList struct {
	entries  []string
	prefixes []netip.Prefix
	hosts    []string // lower case; "*.x" entries kept as ".x"
}

// hostPattern is a DNS name with labels of letters, digits, '-' and '_'
// (container and service names use underscores).
var hostPattern = regexp.MustCompile(`^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$`)

// ParseAllowList parses entries and reports every invalid one (by position).
func ParseAllowList(entries []string) (AllowList, error) {
	var a AllowList
	var errs []error
	for i, e := range entries {
		if err := a.add(e); err != nil {
			errs = append(errs, fmt.Errorf("entry %d: %w", i, err))
		}
	}
	if len(errs) > 0 {
		return AllowList{}, errors.Join(errs...)
	}
	return a, nil
}

func (a *AllowList) add(entry string) error {
	e := strings.TrimSpace(entry)
	switch {
	case e == "":
		return errors.New("empty entry")
	case strings.Contains(e, "/"):
		p, err := netip.ParsePrefix(e)
		if err != nil {
			return errors.New("not a valid CIDR prefix")
		}
		a.prefixes = append(a.prefixes, p.Masked())
	case looksLikeAddr(e):
		addr, err := netip.ParseAddr(e)
		if err != nil || addr.Zone() != "" {
			return errors.New("not a valid IP address (zones are not allowed)")
		}
		a.prefixes = append(a.prefixes, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
	default:
		h, ok := normaliseHost(e)
		if !ok {
			return errors.New("not a CIDR prefix, an IP address or a host name")
		}
		a.hosts = append(a.hosts, h)
	}
	a.entries = append(a.entries, e)
	return nil
}

// looksLikeAddr tells IP literals from host names: IPv6 has colons, IPv4
// is digits and dots only.
func looksLikeAddr(s string) bool {
	return strings.Contains(s, ":") || strings.Trim(s, "0123456789.") == ""
}

// normaliseHost lower-cases a host name or wildcard, drops a trailing dot,
// and turns "*.x" into ".x".
func normaliseHost(s string) (string, bool) {
	h := strings.TrimSuffix(strings.ToLower(s), ".")
	wild := strings.HasPrefix(h, "*.")
	h = strings.TrimPrefix(h, "*.")
	if len(h) > 253 || !hostPattern.MatchString(h) {
		return "", false
	}
	if wild {
		return "." + h, true
	}
	return h, true
}

// Allows reports whether a destination may be reached although addr is not
// public: host (the URL's host name, or "") matches a name entry, or addr
// lies in a prefix entry.
func (a AllowList) Allows(host string, addr netip.Addr) bool {
	if h := strings.TrimSuffix(strings.ToLower(host), "."); h != "" {
		for _, e := range a.hosts {
			if h == e || (strings.HasPrefix(e, ".") && strings.HasSuffix(h, e)) {
				return true
			}
		}
	}
	if !addr.IsValid() {
		return false
	}
	addr = addr.Unmap().WithZone("")
	for _, p := range a.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Empty reports whether the list allows nothing.
func (a AllowList) Empty() bool { return len(a.entries) == 0 }

// Entries returns the entries as written (trimmed).
func (a AllowList) Entries() []string { return append([]string(nil), a.entries...) }

// String returns the entries comma-separated.
func (a AllowList) String() string { return strings.Join(a.entries, ",") }

// MarshalText returns the entries comma-separated.
func (a AllowList) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses a comma-separated list of entries.
func (a *AllowList) UnmarshalText(b []byte) error {
	var entries []string
	for part := range strings.SplitSeq(string(b), ",") {
		if strings.TrimSpace(part) != "" {
			entries = append(entries, part)
		}
	}
	v, err := ParseAllowList(entries)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalYAML renders the entries as a list.
func (a AllowList) MarshalYAML() (any, error) { return append([]string{}, a.entries...), nil }

// UnmarshalYAML reads a list of entries; every invalid entry is reported
// with its line.
func (a *AllowList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return typeError(n, "allow_internal must be a list")
	}
	var v AllowList
	var errs []string
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode {
			errs = append(errs, fmt.Sprintf("line %d: allow_internal items must be strings", item.Line))
			continue
		}
		if err := v.add(item.Value); err != nil {
			errs = append(errs, fmt.Sprintf("line %d: allow_internal: %v", item.Line, err))
		}
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*a = v
	return nil
}
