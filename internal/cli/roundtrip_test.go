package cli

import (
	"strings"
	"testing"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// TestExampleBuildVerify is "lcngw example | lcngw build | lcngw verify"
// for both kinds: the body carries every documented parameter, data
// fields in documented order and signatures last; verify accepts it, and
// changing one byte of any value makes verify fail.
func TestExampleBuildVerify(t *testing.T) {
	for _, tc := range []struct {
		kind string
		cat  *param.Catalogue
	}{{"lcn", lcn.Catalogue()}, {"ipn", ipn.Catalogue()}} {
		t.Run(tc.kind, func(t *testing.T) {
			code, event, errs := run(t, "", "example", "--kind", tc.kind)
			if code != 0 {
				t.Fatalf("example: exit %d: %s", code, errs)
			}
			code, body, errs := run(t, event, "build", "--kind", tc.kind, "--secret", "K")
			if code != 0 {
				t.Fatalf("build: exit %d: %s", code, errs)
			}
			fs, err := signer.ParseForm([]byte(strings.TrimSpace(body)))
			if err != nil {
				t.Fatal(err)
			}
			checkDocumentedOrder(t, fs, tc.cat)
			if code, out, _ := run(t, body, "verify", "--secret", "K"); code != 0 {
				t.Fatalf("verify: exit %d: %s", code, out)
			}
			checkEveryByteMatters(t, fs)
		})
	}
}

// checkDocumentedOrder: every catalogued parameter is present (IPN product
// option fields expand per product), in catalogue order, signatures last.
func checkDocumentedOrder(t *testing.T, fs signer.Fields, cat *param.Catalogue) {
	t.Helper()
	var names []string
	for _, f := range fs {
		if !signer.IsSignatureField(f.Name) && !ipn.IsOptionField(f.Name) {
			names = append(names, f.Name)
		}
	}
	want := cat.Names()
	if cat.Kind() == signer.KindIPN {
		want = withoutPlaceholder(want)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("data fields\n got %v\nwant %v", names, want)
	}
	n := len(fs)
	if fs[n-3].Name != signer.FieldHash || fs[n-2].Name != signer.FieldSHA2 || fs[n-1].Name != signer.FieldSHA3 {
		t.Fatal("signature fields are not the last three")
	}
	if cat.Kind() == signer.KindLCN && len(names)+3 != 94 {
		t.Fatalf("LCN carries %d parameters, want 94", len(names)+3)
	}
}

func withoutPlaceholder(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "IPN_PRODUCT_OPTIONS" {
			out = append(out, n)
		}
	}
	return out
}

// checkEveryByteMatters flips one byte of each value in turn (the first
// byte, or adds one to an empty value) and expects verify to fail.
func checkEveryByteMatters(t *testing.T, fs signer.Fields) {
	t.Helper()
	for i, f := range fs {
		if signer.IsSignatureField(f.Name) {
			continue
		}
		for j := range f.Values {
			mut := fs.Clone()
			v := []byte(mut[i].Values[j])
			if len(v) == 0 {
				v = []byte{'x'}
			} else {
				v[0] ^= 0x01
			}
			mut[i].Values[j] = string(v)
			code, _, _ := run(t, string(signer.AppendForm(nil, mut)), "verify", "--secret", "K")
			if code != 1 {
				t.Fatalf("%s[%d] changed: verify exit %d, want 1", f.Name, j, code)
			}
		}
	}
}

func TestBuildInvalidEventListsProblems(t *testing.T) {
	_, event, _ := run(t, "", "example", "--kind", "lcn")
	bad := strings.Replace(event, `"vendor_code"`, `"vendor_codes"`, 1)
	code, out, errs := run(t, bad, "build", "--kind", "lcn", "--secret", "K")
	// The problem is named without echoing the event's text.
	if code != 2 || out != "" || !strings.Contains(errs, "unknown_field") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestParamsTable(t *testing.T) {
	code, out, _ := run(t, "", "params", "--kind", "lcn")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+94 || !strings.Contains(out, "LCN_LICENSE_OPTIONS_TEXT[]") || !strings.Contains(out, "DISPATCH_REASON") {
		t.Fatalf("table has %d lines", len(lines))
	}
}
