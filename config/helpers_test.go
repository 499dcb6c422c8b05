package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// Parameter names from the platform's LCN parameter table and documented
// IPN example; the layouts under testdata use a subset of them.
var (
	lcnNames = []string{
		"FIRST_NAME", "LAST_NAME", "COMPANY", "EMAIL", "LICENSE_CODE", "EXPIRATION_DATE", "DATE_UPDATED",
		"EXTERNAL_CUSTOMER_REFERENCE", "TEST", "CHANGED_BY", "LICENSE_TYPE", "STATUS", "DISPATCH_REASON",
		"HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256",
	}
	ipnNames = []string{
		"SALEDATE", "REFNO", "ORDERNO", "ORDERSTATUS", "IPN_PID", "IPN_PNAME", "IPN_QTY", "IPN_DATE",
		"HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256",
	}
	cats = config.Catalogues{LCN: catalogue(signer.KindLCN, lcnNames), IPN: catalogue(signer.KindIPN, ipnNames)}
)

func catalogue(kind signer.Kind, names []string) *param.Catalogue {
	specs := make([]param.Spec, len(names))
	for i, n := range names {
		specs[i] = param.Spec{Name: n, Type: "String"}
	}
	return param.NewCatalogue(kind, specs)
}

// envMap returns an environment lookup over m.
func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// fullEnv is the environment testdata/full.yaml needs.
var fullEnv = map[string]string{"LCNGW_SECRET_ACME01": "acme-env-secret-51d7"}

// loadYAML writes doc to a file in a fresh directory (with the given extra
// files, relative to it) and loads it.
func loadYAML(t *testing.T, doc string, env map[string]string, files map[string]string) (*config.Config, error) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Load(path, envMap(env))
}

func mustLoad(t *testing.T, doc string, env map[string]string, files map[string]string) *config.Config {
	t.Helper()
	c, err := loadYAML(t, doc, env, files)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// problems returns the problems of a Validate error as path -> messages.
func problems(t *testing.T, err error) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	if err == nil {
		return out
	}
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a *config.Error: %v", err, err)
	}
	for _, p := range ce.Problems {
		out[p.Path] = append(out[p.Path], p.Message)
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
