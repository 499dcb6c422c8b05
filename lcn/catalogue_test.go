package lcn

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

var _ templates.Catalogue = Catalogue()

// readLines reads a golden file of one record per line.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestCatalogueNamesAndOrder compares the catalogue with the parameter
// column of the platform's table (testdata/catalogue.golden, extracted from
// the documentation, not from this package).
func TestCatalogueNamesAndOrder(t *testing.T) {
	want := readLines(t, "testdata/catalogue.golden")
	if len(want) != 94 || Catalogue().Len() != 94 {
		t.Fatalf("golden has %d names, catalogue %d; want 94", len(want), Catalogue().Len())
	}
	for i, s := range Catalogue().Specs() {
		if s.Name != want[i] {
			t.Errorf("row %d: %s, want %s", i+1, s.Name, want[i])
		}
	}
	for i, name := range []string{signer.FieldHash, signer.FieldSHA2, signer.FieldSHA3} {
		if got := Catalogue().Specs()[45+i].Name; got != name {
			t.Errorf("row %d: %s, want %s (documented position)", 46+i, got, name)
		}
	}
	names := Catalogue().Names()
	if len(names) != 91 || slices.ContainsFunc(names, signer.IsSignatureField) {
		t.Errorf("Names has %d entries (signature fields: %v), want the 91 data parameters",
			len(names), slices.ContainsFunc(names, signer.IsSignatureField))
	}
	if d := templates.Default(Catalogue()); d.Validate(Catalogue()) != nil || len(d.Params) != 91 {
		t.Errorf("default layout invalid or of %d parameters", len(d.Params))
	}
}

// lengthDeviations are the documented lengths the platform's own values
// exceed; the catalogue uses the platform's.
var lengthDeviations = map[string]int{
	"DISPATCH_REASON":          35, // documented 27 < len("SCHEDULED_FOR_CANCELATION_ON_DEMAND")
	"ORIGINAL_ORDER_REFERENCE": 9,  // documented 8; platform sends "133506738"
	"LAST_ORDER_REFERENCE":     9,
	"LICENSE_PRODUCT":          10, // documented 7; platform sends "19674915"
}

// typeDeviations are rows whose documented type does not describe the value.
var typeDeviations = map[string]string{
	"NEXT_RENEWAL_DATE":         "Date",             // type column blank
	"LCN_LICENSE_OPTIONS_USAGE": "Array of strings", // documented String/8, sent as an array
}

// TestCatalogueTypesAndLengths compares types and lengths with the
// "Type/Length" column (testdata/catalogue-types.golden).
func TestCatalogueTypesAndLengths(t *testing.T) {
	for _, line := range readLines(t, "testdata/catalogue-types.golden") {
		name, doc, _ := strings.Cut(line, "\t")
		s, ok := Catalogue().Spec(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		typ, length, hasLen := strings.Cut(strings.ReplaceAll(doc, " / ", "/"), "/")
		wantLen := 0
		if hasLen {
			wantLen, _ = strconv.Atoi(length)
		}
		if dev, ok := lengthDeviations[name]; ok {
			if wantLen >= dev {
				t.Errorf("%s: deviation %d not needed, documented %d", name, dev, wantLen)
			}
			wantLen = dev
		}
		if dev, ok := typeDeviations[name]; ok {
			typ = dev
		}
		if s.Type != typ || s.MaxLen != wantLen {
			t.Errorf("%s: type %q maxlen %d, want %q %d (documented %q)", name, s.Type, s.MaxLen, typ, wantLen, doc)
		}
		if s.Description == "" {
			t.Errorf("%s: no description", name)
		}
	}
}

func TestCatalogueArraysAndAllowedValues(t *testing.T) {
	for _, s := range Catalogue().Specs() {
		if want := strings.HasPrefix(s.Name, "LCN_LICENSE_OPTIONS_"); s.Array != want {
			t.Errorf("%s: Array=%v, want %v", s.Name, s.Array, want)
		}
		for _, v := range s.Allowed {
			if n := utf8.RuneCountInString(v); s.MaxLen > 0 && n > s.MaxLen {
				t.Errorf("%s: allowed value %s (%d) longer than MaxLen %d", s.Name, v, n, s.MaxLen)
			}
		}
	}
	want := []string{"LICENCE_CHANGE", "LICENCE_EXPIRATION", "LICENCE_PASTDUE", "LICENCE_CC_CHANGE", "LICENCE_IMPORTED",
		"LICENCE_CPC_ACCEPTED", "SCHEDULED_FOR_CANCELATION_ON_DEMAND", "REVERT_CANCELATION_ON_DEMAND",
		"CANCELATION_ON_DEMAND", "LICENCE_PENDING_ACTIVATION", "LICENCE_GP_CHANGE"}
	if s, _ := Catalogue().Spec("DISPATCH_REASON"); !slices.Equal(s.Allowed, want) {
		t.Errorf("DISPATCH_REASON allowed %v, want %v", s.Allowed, want)
	}
	if s, _ := Catalogue().Spec("STATUS"); !slices.Equal(s.Allowed, []string{"PENDING_ACTIVATION", "ACTIVE", "CANCELED", "EXPIRED", "PASTDUE", "PAUSED"}) {
		t.Errorf("STATUS allowed %v", s.Allowed)
	}
}

// TestEveryParameterHasOneSource: each data parameter is computed by
// exactly one scalar or array function, and no function is orphaned.
func TestEveryParameterHasOneSource(t *testing.T) {
	for _, s := range Catalogue().Specs() {
		_, scalar := scalarSources[s.Name]
		_, array := arraySources[s.Name]
		switch {
		case signer.IsSignatureField(s.Name):
			if scalar || array {
				t.Errorf("%s: signature field has a source", s.Name)
			}
		case scalar == array:
			t.Errorf("%s: scalar=%v array=%v", s.Name, scalar, array)
		case array != s.Array:
			t.Errorf("%s: array source for Array=%v", s.Name, s.Array)
		}
	}
	if n := len(scalarSources) + len(arraySources); n != 91 {
		t.Errorf("%d sources, want 91", n)
	}
}

func TestCatalogueTable(t *testing.T) {
	table := Catalogue().Table()
	for _, want := range []string{"LCN_LICENSE_OPTIONS_TEXT[]", "SIGNATURE_SHA3_256", "LICENCE_GP_CHANGE"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %s", want)
		}
	}
}
