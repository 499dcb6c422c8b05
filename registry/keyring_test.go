package registry_test

import (
	"strings"
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/registry"
)

func TestParseKeyringRejects(t *testing.T) {
	for _, spec := range []string{"", "k1", "k1:", ":AAAA", "k1:short", "k1:!!!!", "bad id:" + key1[3:],
		key1 + "," + key1, "k1:" + strings.Repeat("A", 60)} {
		if _, err := registry.ParseKeyring(config.NewSecret([]byte(spec))); err == nil {
			t.Errorf("%q parsed", spec)
		} else if strings.Contains(err.Error(), key1[3:]) {
			t.Errorf("error echoes the key: %v", err)
		}
	}
}

func TestSealedSecretsAreBoundToTheirMerchant(t *testing.T) {
	k := testKeys(t, key1)
	s := k.Seal("ACME", config.NewSecret([]byte("topsecret")))
	if got, err := k.Open("ACME", s); err != nil || string(got.Reveal()) != "topsecret" {
		t.Fatalf("open: %v", err)
	}
	if _, err := k.Open("OTHER", s); err == nil {
		t.Error("a sealed secret opened for another merchant")
	}
	s.Ciphertext[0] ^= 1
	if _, err := k.Open("ACME", s); err == nil {
		t.Error("a tampered secret opened")
	}
}

func TestNewKeyParses(t *testing.T) {
	s, err := registry.NewKey("k7")
	if err != nil {
		t.Fatal(err)
	}
	k, err := registry.ParseKeyring(s)
	if err != nil || k.Current() != "k7" {
		t.Fatalf("%v %v", k, err)
	}
}

func FuzzParseKeyring(f *testing.F) {
	for _, s := range []string{key1, key1 + "," + key2, "k1:", "a:b,c:d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		k, err := registry.ParseKeyring(config.NewSecret([]byte(spec)))
		if err != nil {
			return
		}
		s := k.Seal("V", config.NewSecret([]byte("x")))
		if got, err := k.Open("V", s); err != nil || string(got.Reveal()) != "x" {
			t.Fatal("round trip failed")
		}
	})
}
