package templates_test

import (
	"bytes"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/templates"
)

// FuzzLoadLayout checks that LoadLayout never panics and that whatever it
// accepts is well formed and survives a YAML round trip unchanged.
func FuzzLoadLayout(f *testing.F) {
	f.Add([]byte("name: compact\nkind: lcn\nparams: [LICENSE_CODE, STATUS]\n"))
	f.Add([]byte(`{"name":"c","kind":"ipn","params":["REFNO"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := templates.LoadLayout(bytes.NewReader(data))
		if err != nil {
			return
		}
		if l.Name == "" || l.Name == templates.DefaultName || (l.Kind != "lcn" && l.Kind != "ipn") || len(l.Params) == 0 {
			t.Fatalf("accepted a malformed layout %+v", l)
		}
		out, err := yaml.Marshal(l)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := templates.LoadLayout(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reload of %q: %v", out, err)
		}
		if back.Name != l.Name || back.Kind != l.Kind || !slices.Equal(back.Params, l.Params) {
			t.Fatalf("round trip: %+v != %+v", back, l)
		}
	})
}

// FuzzParseReceiptFormat checks that every accepted name parses back from
// its canonical form.
func FuzzParseReceiptFormat(f *testing.F) {
	f.Add("auto")
	f.Add("SHA3_256")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := templates.ParseReceiptFormat(s)
		if err != nil {
			return
		}
		back, err := templates.ParseReceiptFormat(r.String())
		if err != nil || back != r {
			t.Fatalf("%q -> %v -> %v, %v", s, r, back, err)
		}
	})
}
