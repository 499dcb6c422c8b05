package delivery

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRefused(t *testing.T) {
	tests := []struct {
		addr string
		want string // the refused range; "" = public, allowed
	}{
		// IPv4 special-purpose ranges, with their edges.
		{"0.0.0.0", "this-network"},
		{"0.255.255.255", "this-network"},
		{"10.0.0.0", "private"},
		{"10.255.255.255", "private"},
		{"100.63.255.255", ""},
		{"100.64.0.0", "cgnat"},
		{"100.100.100.200", "cgnat"}, // Alibaba Cloud metadata
		{"100.127.255.255", "cgnat"},
		{"100.128.0.0", ""},
		{"126.255.255.255", ""},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"169.254.0.1", "link-local"},
		{"169.254.169.254", "link-local"}, // cloud metadata
		{"172.15.255.255", ""},
		{"172.16.0.0", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.0", ""},
		{"192.0.0.192", "ietf-protocol"}, // Oracle Cloud metadata
		{"192.0.2.1", "documentation"},
		{"192.88.99.1", "6to4-relay"},
		{"192.167.255.255", ""},
		{"192.168.0.1", "private"},
		{"192.168.255.255", "private"},
		{"192.169.0.0", ""},
		{"198.17.255.255", ""},
		{"198.18.0.0", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.20.0.0", ""},
		{"198.51.100.7", "documentation"},
		{"203.0.113.7", "documentation"},
		{"223.255.255.255", ""},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.254", "reserved"},
		{"255.255.255.255", "broadcast"},
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"93.184.216.34", ""},
		// IPv4-mapped IPv6: judged by the IPv4 address.
		{"::ffff:127.0.0.1", "ipv4-mapped loopback"},
		{"::ffff:10.1.2.3", "ipv4-mapped private"},
		{"::ffff:169.254.169.254", "ipv4-mapped link-local"},
		{"::ffff:100.64.0.1", "ipv4-mapped cgnat"},
		{"::ffff:0.0.0.0", "ipv4-mapped this-network"},
		{"::ffff:224.0.0.1", "ipv4-mapped multicast"},
		{"::ffff:255.255.255.255", "ipv4-mapped broadcast"},
		{"::ffff:8.8.8.8", ""},
		// NAT64 and 6to4 carry an IPv4 address too.
		{"64:ff9b::7f00:1", "nat64 loopback"},
		{"64:ff9b::a9fe:a9fe", "nat64 link-local"},
		{"64:ff9b::c0a8:101", "nat64 private"},
		{"64:ff9b::808:808", ""},
		{"64:ff9b:1::1", "nat64-local"},
		{"2002:7f00:1::1", "6to4 loopback"},
		{"2002:a00:1::1", "6to4 private"},
		{"2002:808:808::1", ""},
		// IPv6 special-purpose ranges.
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"::127.0.0.1", "ipv4-compatible"},
		{"100::1", "discard"},
		{"2001::1", "teredo"},
		{"2001:2::1", "ietf-protocol"},
		{"2001:10::1", "ietf-protocol"},
		{"2001:db8::1", "documentation"},
		{"3fff::1", "documentation"},
		{"fc00::1", "unique-local"},
		{"fd00:ec2::254", "unique-local"}, // AWS metadata over IPv6
		{"fdff:ffff::1", "unique-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"febf::1", "link-local"},
		{"fec0::1", "site-local"},
		{"ff02::1", "multicast"},
		{"ff0e::1", "multicast"},
		{"4000::1", "reserved"},
		{"1::1", "reserved"},
		{"2001:200::1", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001::1", ""},
		{"3ffe::1", ""},
	}
	for _, tt := range tests {
		addr := netip.MustParseAddr(tt.addr)
		name, refused := Refused(addr)
		if name != tt.want || refused != (tt.want != "") {
			t.Errorf("Refused(%s) = %q, %v; want %q", tt.addr, name, refused, tt.want)
		}
		err := Guard{}.Check("example.com", addr)
		if (err != nil) != refused || (err != nil && !errors.Is(err, ErrBlocked)) {
			t.Errorf("Guard{}.Check(%s) = %v", tt.addr, err)
		}
	}
	if _, refused := Refused(netip.Addr{}); !refused {
		t.Error("the zero address is not refused")
	}
}

func TestGuardAllow(t *testing.T) {
	g := Guard{Allow: AnyOf{
		Prefixes{netip.MustParsePrefix("10.20.0.0/16"), netip.MustParsePrefix("fd00:1::/32")},
		Hosts{"billing.internal."},
		nil,
	}}
	tests := []struct {
		host, addr string
		ok         bool
	}{
		{"x.example", "10.20.1.2", true},
		{"x.example", "::ffff:10.20.1.2", true}, // mapped form of an allowed address
		{"x.example", "10.21.1.2", false},
		{"x.example", "fd00:1::5", true},
		{"x.example", "fd00:2::5", false},
		{"billing.internal", "192.168.1.1", true},
		{"BILLING.internal.", "127.0.0.1", true},
		{"billing.internal.evil", "192.168.1.1", false},
		{"x.example", "127.0.0.1", false},
		{"x.example", "8.8.8.8", true},
	}
	for _, tt := range tests {
		err := g.Check(tt.host, netip.MustParseAddr(tt.addr))
		if (err == nil) != tt.ok {
			t.Errorf("Check(%s, %s) = %v, want allowed %v", tt.host, tt.addr, err, tt.ok)
		}
	}
	dev := Guard{AllowLoopback: true}
	for _, a := range []string{"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"} {
		if err := dev.Check("h", netip.MustParseAddr(a)); err != nil {
			t.Errorf("loopback allowed: Check(%s) = %v", a, err)
		}
	}
	if err := dev.Check("h", netip.MustParseAddr("10.0.0.1")); err == nil {
		t.Error("AllowLoopback let a private address through")
	}
	var be *BlockedError
	if err := (Guard{}).checkDial("h", "not an address"); !errors.As(err, &be) || be.Range != "unparsable" {
		t.Errorf("checkDial of a bad address = %v", err)
	}
}

func TestSendRefusesInternalDestinations(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, counted(&hits, answer(http.StatusOK, lcnReceiptMD5)))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	urls := []string{srv.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port}
	for _, u := range urls {
		o := send(t, NewClient(ClientConfig{}), lcnRequest(testEndpoint(u+"/lcn?key=secret")))
		if o.Result != Permanent || o.Reason != ReasonBlocked || o.Status != 0 || !errors.Is(o.Err, ErrBlocked) {
			t.Errorf("%s: outcome = %+v", u, o)
		}
		if o.Err != nil && !strings.Contains(o.Err.Error(), "loopback") {
			t.Errorf("%s: error %q does not name the range", u, o.Err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("refused destination hit %d times", hits.Load())
	}
	allowed := map[string]ClientConfig{
		"host":  {Guard: Guard{Allow: Hosts{"localhost"}}},
		"cidr":  {Guard: Guard{Allow: Prefixes{netip.MustParsePrefix("127.0.0.0/8")}}},
		"dev":   loopbackConfig(),
		"mixed": {Guard: Guard{Allow: AnyOf{Hosts{"other"}, Prefixes{netip.MustParsePrefix("127.0.0.1/32")}}}},
	}
	for name, cfg := range allowed {
		u := "http://localhost:" + port
		if name == "cidr" || name == "mixed" {
			u = srv.URL
		}
		if o := send(t, NewClient(cfg), lcnRequest(testEndpoint(u))); o.Result != Delivered {
			t.Errorf("allowed by %s: outcome = %+v", name, o)
		}
	}
	// An allowed host name does not allow other names resolving alike.
	cfg := ClientConfig{Guard: Guard{Allow: Hosts{"localhost"}}}
	if o := send(t, NewClient(cfg), lcnRequest(testEndpoint(srv.URL))); o.Reason != ReasonBlocked {
		t.Errorf("IP literal with host allow-list: %+v", o)
	}
}

func TestSendRefusesIPv6Loopback(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err) // environment without ::1
	}
	srv := &http.Server{Handler: answer(http.StatusOK, lcnReceiptMD5)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	u := "http://" + ln.Addr().String()
	if o := send(t, NewClient(ClientConfig{}), lcnRequest(testEndpoint(u))); o.Reason != ReasonBlocked {
		t.Errorf("::1 not refused: %+v", o)
	}
	if o := send(t, NewClient(loopbackConfig()), lcnRequest(testEndpoint(u))); o.Result != Delivered {
		t.Errorf("::1 allowed: %+v", o)
	}
}
