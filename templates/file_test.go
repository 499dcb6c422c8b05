package templates_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/templates"
)

func TestLoadLayoutFileValidSubsets(t *testing.T) {
	tests := []struct {
		file string
		cat  templates.Catalogue
		want templates.Layout
	}{
		{"lcn-compact.yaml", lcnCatalogue, templates.Layout{Name: "compact", Kind: "lcn", Params: []string{
			"LICENSE_CODE", "EXPIRATION_DATE", "STATUS", "DISPATCH_REASON", "EXTERNAL_CUSTOMER_REFERENCE", "TEST"}}},
		{"ipn-compact.json", ipnCatalogue, templates.Layout{Name: "compact", Kind: "ipn", Params: []string{
			"REFNO", "ORDERSTATUS", "IPN_PID", "IPN_PNAME", "IPN_QTY", "IPN_TOTALGENERAL", "CURRENCY", "IPN_DATE"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			l, err := templates.LoadLayoutFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if l.Name != tt.want.Name || l.Kind != tt.want.Kind || !slices.Equal(l.Params, tt.want.Params) {
				t.Fatalf("got %+v, want %+v", l, tt.want)
			}
			if err := l.Validate(tt.cat); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestLoadLayoutFileUnknownParameters(t *testing.T) {
	l, err := templates.LoadLayoutFile(filepath.Join("testdata", "lcn-unknown-param.yaml"))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	err = l.Validate(lcnCatalogue)
	if err == nil {
		t.Fatal("Validate accepted unknown parameters")
	}
	for _, want := range []string{`unknown parameter "LICENCE_CODE"`, `unknown parameter "LICENSE_COLOUR"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "EXPIRATION_DATE") {
		t.Errorf("error names a documented parameter: %q", err)
	}
}

func TestValidateKindMismatch(t *testing.T) {
	l, err := templates.LoadLayoutFile(filepath.Join("testdata", "lcn-compact.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	err = l.Validate(ipnCatalogue)
	if err == nil || !strings.Contains(err.Error(), "a lcn layout checked against the ipn catalogue") {
		t.Fatalf("got %v", err)
	}
}

func TestDefaultTakesKindFromCatalogue(t *testing.T) {
	l := templates.Default(ipnCatalogue)
	if l.Kind != "ipn" || l.Name != templates.DefaultName {
		t.Fatalf("got name %q kind %q", l.Name, l.Kind)
	}
	if slices.Contains(l.Params, "HASH") || len(l.Params) != len(ipnNames)-3 {
		t.Fatalf("params %v", l.Params)
	}
	if err := l.Validate(ipnCatalogue); err != nil {
		t.Fatal(err)
	}
}

func TestLoadLayoutRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // every fragment must appear in the error
	}{
		{"empty input", "", []string{"empty document"}},
		{"unknown key", "name: a\nkind: lcn\nparams: [TEST]\norder: 1\n", []string{"line 4: field order not found"}},
		{"unknown key in JSON", `{"name":"a","kind":"lcn","params":["TEST"],"parameters":[]}`, []string{"field parameters not found"}},
		{"repeated key", "name: a\nname: b\nkind: lcn\nparams: [TEST]\n", []string{`line 2: mapping key "name" already defined at line 1`}},
		{"params not a list", "name: a\nkind: lcn\nparams: TEST\n", []string{"cannot unmarshal"}},
		{"two documents", "name: a\nkind: lcn\nparams: [TEST]\n---\nname: b\n", []string{"more than one document"}},
		{"every structural problem", "params: []\n", []string{"name is required", "kind must be lcn or ipn", "no parameters"}},
		{"reserved name", "name: default\nkind: ipn\nparams: [REFNO]\n", []string{"reserved"}},
		{"bad name", "name: 'my layout'\nkind: ipn\nparams: [REFNO]\n", []string{"name must be"}},
		{"bad kind", "name: a\nkind: ins\nparams: [REFNO]\n", []string{`layout "a": kind must be lcn or ipn`}},
		{"blank parameter", "name: a\nkind: ipn\nparams: [REFNO, '']\n", []string{"params[1] is empty"}},
		{"too large", "name: a\nkind: lcn\nparams: [" + strings.Repeat("TEST, ", templates.MaxLayoutSize/6) + "TEST]\n", []string{"larger than"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := templates.LoadLayout(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadLayoutNormalisesKind(t *testing.T) {
	l, err := templates.LoadLayout(strings.NewReader("name: a\nkind: IPN\nparams: [REFNO]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Kind != "ipn" {
		t.Fatalf("kind %q", l.Kind)
	}
}

func TestLoadLayoutFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := templates.LoadLayoutFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := templates.LoadLayoutFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := templates.LoadLayoutFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("error does not name the file: %v", err)
	}
}
