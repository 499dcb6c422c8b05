package templates_test

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

func TestParseReceiptFormat(t *testing.T) {
	tests := []struct {
		in   string
		want templates.ReceiptFormat
		ok   bool
	}{
		{"auto", templates.ReceiptAuto, true},
		{" EPAYMENT ", templates.ReceiptEPayment, true},
		{"sha256", templates.ReceiptSHA256, true},
		{"sha3-256", templates.ReceiptSHA3256, true},
		{"SHA3_256", templates.ReceiptSHA3256, true},
		{"", 0, false},
		{"md5", 0, false},
		{"sha2-256", 0, false},
	}
	for _, tt := range tests {
		got, err := templates.ParseReceiptFormat(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseReceiptFormat(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestReceiptFormatString(t *testing.T) {
	for f, want := range map[templates.ReceiptFormat]string{
		templates.ReceiptAuto: "auto", templates.ReceiptEPayment: "epayment",
		templates.ReceiptSHA256: "sha256", templates.ReceiptSHA3256: "sha3-256", 9: "unknown",
	} {
		if got := f.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", f, got, want)
		}
	}
	if _, err := templates.ReceiptFormat(9).MarshalText(); err == nil {
		t.Error("MarshalText of an unknown format succeeded")
	}
}

func TestReceiptFormatChoose(t *testing.T) {
	md5 := signer.SetOf(signer.MD5)
	sha2 := signer.SetOf(signer.MD5, signer.SHA256)
	all := signer.AllAlgorithms
	onlySHA3 := signer.SetOf(signer.SHA3256)
	tests := []struct {
		f        templates.ReceiptFormat
		verified signer.Algorithms
		want     signer.Algorithm
		ok       bool
	}{
		{templates.ReceiptAuto, all, signer.SHA3256, true},
		{templates.ReceiptAuto, sha2, signer.SHA256, true},
		{templates.ReceiptAuto, md5, signer.MD5, true},
		{templates.ReceiptAuto, onlySHA3, signer.SHA3256, true},
		{templates.ReceiptAuto, 0, 0, false},
		{templates.ReceiptEPayment, all, signer.MD5, true},
		{templates.ReceiptEPayment, onlySHA3, signer.MD5, true},
		{templates.ReceiptEPayment, 0, 0, false},
		{templates.ReceiptSHA256, md5, signer.SHA256, true},
		{templates.ReceiptSHA256, 0, 0, false},
		{templates.ReceiptSHA3256, sha2, signer.SHA3256, true},
		{templates.ReceiptFormat(9), all, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.f.Choose(tt.verified)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%v.Choose(%v) = %v, %v; want %v, %v", tt.f, tt.verified, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReceiptFormatYAML(t *testing.T) {
	var cfg struct {
		Receipt templates.ReceiptFormat `yaml:"receipt"`
	}
	if err := yaml.Unmarshal([]byte("receipt: sha3-256\n"), &cfg); err != nil || cfg.Receipt != templates.ReceiptSHA3256 {
		t.Fatalf("got %v, %v", cfg.Receipt, err)
	}
	err := yaml.Unmarshal([]byte("x: 1\nreceipt: sha1\n"), &cfg)
	if err == nil || !strings.Contains(err.Error(), `line 2: unknown receipt format "sha1"`) {
		t.Fatalf("got %v", err)
	}
	err = yaml.Unmarshal([]byte("receipt: [auto]\n"), &cfg)
	if err == nil || !strings.Contains(err.Error(), "line 1: receipt format must be a string") {
		t.Fatalf("got %v", err)
	}
	out, err := yaml.Marshal(struct {
		R templates.ReceiptFormat `yaml:"r"`
	}{templates.ReceiptEPayment})
	if err != nil || string(out) != "r: epayment\n" {
		t.Fatalf("marshal: %q, %v", out, err)
	}
}

func TestReceiptFormatUnmarshalText(t *testing.T) {
	var f templates.ReceiptFormat
	if err := f.UnmarshalText([]byte("sha256")); err != nil || f != templates.ReceiptSHA256 {
		t.Fatalf("got %v, %v", f, err)
	}
	if err := f.UnmarshalText([]byte("nope")); err == nil || f != templates.ReceiptSHA256 {
		t.Fatalf("bad text changed the value or was accepted: %v, %v", f, err)
	}
}
