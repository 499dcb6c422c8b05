package delivery

import (
	"fmt"
	"net/netip"
	"strings"
)

// ErrBlocked reports a destination refused by the [Guard]; test with
// errors.Is.
const ErrBlocked = constError("destination address not allowed")

// BlockedError is the error a refused dial returns. It names the address
// and the range it lies in, never the URL.
type BlockedError struct {
	// Host is the URL's host name (or IP literal).
	Host string
	// Addr is the address the dial was about to connect to.
	Addr netip.Addr
	// Range names the refused range, e.g. "loopback" or "private".
	Range string
}

// Error describes the refusal.
func (e *BlockedError) Error() string {
	return fmt.Sprintf("%s: %s resolves to %s, a %s address", ErrBlocked, e.Host, e.Addr, e.Range)
}

// Is makes errors.Is(err, ErrBlocked) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// Allower names destinations that may reach non-public addresses. host is
// the URL's host name (or IP literal), addr the address about to be dialled
// (IPv4-mapped addresses unmapped). config.AllowList implements it.
type Allower interface {
	Allows(host string, addr netip.Addr) bool
}

// Guard is the SSRF policy applied at dial time, to the address actually
// being connected to (so a name that re-resolves to an internal address —
// DNS rebinding — is refused too). It refuses every address that is not
// globally reachable unicast: loopback, private (RFC 1918, ULA), link-local
// (including 169.254.169.254, the cloud metadata address), CGNAT, this
// network / unspecified, multicast, broadcast, reserved, documentation and
// benchmarking ranges, IETF protocol assignments (Teredo included), and the
// IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms of refused
// IPv4 addresses. The zero Guard refuses all of them.
type Guard struct {
	// Allow lets the destinations it names through anyway (nil: none).
	// A host-name entry trusts whatever that name resolves to.
	Allow Allower
	// AllowLoopback lets 127.0.0.0/8 and ::1 through (development and
	// tests).
	AllowLoopback bool
}

// Check returns nil when a connection to addr, reached through host, is
// allowed, and a *BlockedError otherwise.
func (g Guard) Check(host string, addr netip.Addr) error {
	addr = addr.WithZone("").Unmap()
	name, refused := Refused(addr)
	if !refused {
		return nil
	}
	if g.AllowLoopback && addr.IsLoopback() {
		return nil
	}
	if g.Allow != nil && g.Allow.Allows(host, addr) {
		return nil
	}
	return &BlockedError{Host: host, Addr: addr, Range: name}
}

// checkDial checks an "ip:port" dial address; anything else is refused.
func (g Guard) checkDial(host, address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &BlockedError{Host: host, Range: "unparsable"}
	}
	return g.Check(host, ap.Addr())
}

type addrRange struct {
	prefix netip.Prefix
	name   string
}

func ranges(pairs ...string) []addrRange {
	out := make([]addrRange, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, addrRange{netip.MustParsePrefix(pairs[i]), pairs[i+1]})
	}
	return out
}

// refusedV4 lists the IPv4 ranges that are not globally reachable (IANA
// IPv4 special-purpose registry), most specific first.
var refusedV4 = ranges(
	"0.0.0.0/8", "this-network",
	"10.0.0.0/8", "private",
	"100.64.0.0/10", "cgnat",
	"127.0.0.0/8", "loopback",
	"169.254.0.0/16", "link-local",
	"172.16.0.0/12", "private",
	"192.0.0.0/24", "ietf-protocol",
	"192.0.2.0/24", "documentation",
	"192.88.99.0/24", "6to4-relay",
	"192.168.0.0/16", "private",
	"198.18.0.0/15", "benchmarking",
	"198.51.100.0/24", "documentation",
	"203.0.113.0/24", "documentation",
	"224.0.0.0/4", "multicast",
	"255.255.255.255/32", "broadcast",
	"240.0.0.0/4", "reserved",
)

// refusedV6 lists the IPv6 ranges refused before the global-unicast test,
// most specific first; ::1 and :: are matched exactly.
var refusedV6 = ranges(
	"::/128", "unspecified",
	"::1/128", "loopback",
	"::/96", "ipv4-compatible",
	"64:ff9b:1::/48", "nat64-local",
	"100::/64", "discard",
	"2001::/32", "teredo",
	"2001:db8::/32", "documentation",
	"2001::/23", "ietf-protocol",
	"3fff::/20", "documentation",
	"fc00::/7", "unique-local",
	"fe80::/10", "link-local",
	"fec0::/10", "site-local",
	"ff00::/8", "multicast",
)

var (
	globalUnicast = netip.MustParsePrefix("2000::/3")
	nat64         = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour     = netip.MustParsePrefix("2002::/16")
)

// Refused reports whether addr is outside the globally reachable unicast
// space, and names the range it lies in. IPv4-mapped, NAT64 and 6to4
// addresses are judged by the IPv4 address they carry.
func Refused(addr netip.Addr) (rangeName string, refused bool) {
	if !addr.IsValid() {
		return "invalid", true
	}
	addr = addr.WithZone("")
	if addr.Is4In6() {
		return refusedEmbedded("ipv4-mapped", addr.Unmap())
	}
	if addr.Is4() {
		return lookup(refusedV4, addr)
	}
	b := addr.As16()
	switch {
	case nat64.Contains(addr):
		return refusedEmbedded("nat64", netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(addr):
		return refusedEmbedded("6to4", netip.AddrFrom4([4]byte(b[2:6])))
	}
	if name, ok := lookup(refusedV6, addr); ok {
		return name, true
	}
	if !globalUnicast.Contains(addr) {
		return "reserved", true
	}
	return "", false
}

func refusedEmbedded(form string, v4 netip.Addr) (string, bool) {
	name, ok := lookup(refusedV4, v4)
	if !ok {
		return "", false
	}
	return form + " " + name, true
}

func lookup(rs []addrRange, addr netip.Addr) (string, bool) {
	for _, r := range rs {
		if r.prefix.Contains(addr) {
			return r.name, true
		}
	}
	return "", false
}

// Prefixes is an [Allower] that lets through addresses inside any of its
// prefixes, whatever the host name.
type Prefixes []netip.Prefix

// Allows reports whether addr lies in one of the prefixes.
func (ps Prefixes) Allows(_ string, addr netip.Addr) bool {
	addr = addr.WithZone("").Unmap()
	for _, p := range ps {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Hosts is an [Allower] that lets through the listed host names (exact,
// case-insensitive, trailing dot ignored), whatever they resolve to.
type Hosts []string

// Allows reports whether host is listed.
func (hs Hosts) Allows(host string, _ netip.Addr) bool {
	host = strings.TrimSuffix(host, ".")
	for _, h := range hs {
		if strings.EqualFold(strings.TrimSuffix(h, "."), host) {
			return true
		}
	}
	return false
}

// AnyOf is an [Allower] that allows what any of its members allows.
type AnyOf []Allower

// Allows reports whether a member allows the destination.
func (as AnyOf) Allows(host string, addr netip.Addr) bool {
	for _, a := range as {
		if a != nil && a.Allows(host, addr) {
			return true
		}
	}
	return false
}
