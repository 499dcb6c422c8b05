package ipn

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// readFixture parses a platform payload given as an ordered JSON object
// (spec §8: a JSON array is a NAME[] field) into fields, keeping the order.
func readFixture(t *testing.T, path string) signer.Fields {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: not a JSON object", path)
	}
	var fs signer.Fields
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var vals []string
		if json.Unmarshal(raw, &vals) == nil {
			fs.AddArray(key.(string), vals...)
			continue
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		fs.Add(key.(string), v)
	}
	return fs
}

// lengthPrefixed is the signed message of spec §2: every value of every
// non-signature field, in order, as its decimal UTF-8 byte length followed
// by the value.
func lengthPrefixed(fs signer.Fields) []byte {
	var b []byte
	for _, f := range fs {
		if signer.IsSignatureField(f.Name) {
			continue
		}
		for _, v := range f.Values {
			b = strconv.AppendInt(b, int64(len(v)), 10)
			b = append(b, v...)
		}
	}
	return b
}

func decodeFile(t *testing.T, path string) *Event {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return ev
}

// TestBuildMatchesPlatformPayload rebuilds the real platform-generated IPN of
// spec §8.3 from an event holding the same data, with the fixture's own field
// list as layout and the fixture's time zone.
func TestBuildMatchesPlatformPayload(t *testing.T) {
	want := readFixture(t, filepath.Join("testdata", "platform-ipn.json")).Unsigned()
	layout := templates.Layout{Name: "platform-fixture"}
	for _, f := range want {
		layout.Params = append(layout.Params, f.Name)
	}
	if err := layout.Validate(Catalogue()); err != nil {
		t.Fatalf("the fixture's fields are not all catalogued: %v", err)
	}
	loc, err := param.ParseLocation("GMT+03:00")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Build(decodeFile(t, filepath.Join("testdata", "platform-event.json")), Options{Layout: &layout, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("built %d fields, fixture has %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Array != w.Array || fmt.Sprint(g.Values) != fmt.Sprint(w.Values) || len(g.Values) != len(w.Values) {
			t.Errorf("field %d: got %s array=%v %q, want %s array=%v %q", i, g.Name, g.Array, g.Values, w.Name, w.Array, w.Values)
		}
	}
	msg := lengthPrefixed(got)
	if len(msg) != 787 {
		t.Errorf("length-prefixed message is %d bytes, want 787", len(msg))
	}
	if !bytes.Equal(msg, lengthPrefixed(want)) {
		t.Error("length-prefixed message differs from the fixture's")
	}
}

// renderFields writes fields one value per line: NAME=value, NAME[]=value.
func renderFields(fs signer.Fields) []byte {
	var b bytes.Buffer
	for _, f := range fs {
		suffix := ""
		if f.Array {
			suffix = "[]"
		}
		for _, v := range f.Values {
			fmt.Fprintf(&b, "%s%s=%s\n", f.Name, suffix, strconv.Quote(v))
		}
	}
	return b.Bytes()
}

func TestFullExampleGolden(t *testing.T) {
	data, err := Example("")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Build(ev, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := renderFields(fs)
	path := filepath.Join("testdata", "full.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("full example differs from %s (run with -update after checking):\n%s", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines that differ between two renderings.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
