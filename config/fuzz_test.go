package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/signer"
)

// FuzzLoad checks that Load and Validate never panic, that every error of
// Validate is an *Error whose problems name a path, and that a
// configuration that validates answers its lookups consistently.
func FuzzLoad(f *testing.F) {
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.key"), []byte("file-key\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "l.yaml"), []byte("name: c\nkind: lcn\nparams: [STATUS]\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	env := envMap(map[string]string{"K": "env-key", "LCNGW_LOG_LEVEL": "debug"})
	path := filepath.Join(dir, "config.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(path, env)
		if err != nil {
			return
		}
		err = c.Validate(cats)
		if err != nil {
			checkProblems(t, err)
			return
		}
		checkValid(t, c)
	})
}

func checkProblems(t *testing.T, err error) {
	var ce *config.Error
	if !errors.As(err, &ce) || len(ce.Problems) == 0 {
		t.Fatalf("Validate returned %T %v", err, err)
	}
	for _, p := range ce.Problems {
		if p.Path == "" || p.Message == "" {
			t.Fatalf("problem without path or message: %+v", p)
		}
	}
}

func checkValid(t *testing.T, c *config.Config) {
	for i := range c.Merchants {
		m := &c.Merchants[i]
		if got, ok := c.Merchant(m.VendorCode); !ok || got != m {
			t.Fatalf("lookup of merchant %d", i)
		}
		if m.Key().IsZero() || m.Location() == nil {
			t.Fatalf("merchant %d: no key or location", i)
		}
		r := c.Delivery.RetryFor(m)
		n := r.Attempts()
		if _, ok := r.Offset(n); !ok || n < 1 {
			t.Fatalf("merchant %d: attempt %d of %d missing", i, n, n)
		}
		if _, ok := r.Offset(n + 1); ok {
			t.Fatalf("merchant %d: attempt %d beyond %d", i, n+1, n)
		}
		for _, k := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
			name := m.LCN.Layout
			cat := cats.LCN
			if k == signer.KindIPN {
				name, cat = m.IPN.Layout, cats.IPN
			}
			if _, ok := c.Layout(k, name, cat); !ok {
				t.Fatalf("merchant %d: %s layout %q not found", i, k, name)
			}
		}
	}
	if _, err := yaml.Marshal(c); err != nil {
		t.Fatalf("marshal: %v", err)
	}
}
