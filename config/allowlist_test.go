package config_test

import (
	"net/netip"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
)

func TestAllowListAllows(t *testing.T) {
	a, err := config.ParseAllowList([]string{"10.20.0.0/16", " 192.168.1.10 ", "::1", "Billing.Internal.", "*.svc.cluster.local", "fd00::/8", "10.1.2.3/8"})
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddr
	tests := []struct {
		host string
		addr netip.Addr
		want bool
	}{
		{"", addr("10.20.3.4"), true},
		{"", addr("10.21.0.1"), true}, // 10.1.2.3/8 is masked to 10.0.0.0/8
		{"", addr("192.168.1.10"), true},
		{"", addr("192.168.1.11"), false},
		{"", addr("::ffff:192.168.1.10"), true},
		{"", addr("::1"), true},
		{"", addr("fd12::1"), true},
		{"", addr("127.0.0.1"), false},
		{"billing.internal", netip.Addr{}, true},
		{"BILLING.internal.", addr("127.0.0.1"), true},
		{"x.billing.internal", netip.Addr{}, false},
		{"api.svc.cluster.local", netip.Addr{}, true},
		{"a.b.svc.cluster.local", netip.Addr{}, true},
		{"svc.cluster.local", netip.Addr{}, false},
		{"evilsvc.cluster.local", netip.Addr{}, false},
		{"", netip.Addr{}, false},
	}
	for _, tt := range tests {
		if got := a.Allows(tt.host, tt.addr); got != tt.want {
			t.Errorf("Allows(%q, %v) = %v", tt.host, tt.addr, got)
		}
	}
	if (config.AllowList{}).Allows("localhost", addr("127.0.0.1")) || !(config.AllowList{}).Empty() || a.Empty() {
		t.Error("empty list")
	}
	if a.String() != "10.20.0.0/16,192.168.1.10,::1,Billing.Internal.,*.svc.cluster.local,fd00::/8,10.1.2.3/8" || len(a.Entries()) != 7 {
		t.Errorf("entries %q", a.String())
	}
}

func TestAllowListRejects(t *testing.T) {
	_, err := config.ParseAllowList([]string{"10.0.0.0/33", "ok.example", "fe80::1%eth0", "bad host", "", "*.", "1.2.3", "a..b"})
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"entry 0: not a valid CIDR", "entry 2: not a valid IP address", "entry 3: not a CIDR prefix, an IP address or a host name",
		"entry 4: empty entry", "entry 5:", "entry 6: not a valid IP address", "entry 7:"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	if strings.Contains(err.Error(), "entry 1") {
		t.Errorf("valid entry reported: %v", err)
	}
}

func TestAllowListYAML(t *testing.T) {
	var v struct {
		A config.AllowList `yaml:"a"`
	}
	if err := yaml.Unmarshal([]byte("a: 10.0.0.0/8"), &v); err == nil || !strings.Contains(err.Error(), "must be a list") {
		t.Errorf("scalar: %v", err)
	}
	if err := yaml.Unmarshal([]byte("a: [x.example, [y]]"), &v); err == nil || !strings.Contains(err.Error(), "items must be strings") {
		t.Errorf("nested: %v", err)
	}
	if err := yaml.Unmarshal([]byte("a: [x.example, 127.0.0.0/8]"), &v); err != nil || !v.A.Allows("x.example", netip.Addr{}) {
		t.Fatalf("list: %v", err)
	}
	out, err := yaml.Marshal(v)
	if err != nil || string(out) != "a:\n    - x.example\n    - 127.0.0.0/8\n" {
		t.Errorf("marshal %q, %v", out, err)
	}
}
