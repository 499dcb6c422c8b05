package lcn

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

var update = flag.Bool("update", false, "rewrite golden files")

// render writes fields as name=value lines, arrays as one NAME[]=value line
// per element.
func render(fs signer.Fields) string {
	var b strings.Builder
	for _, f := range fs {
		name := f.Name
		if f.Array {
			name += "[]"
		}
		for _, v := range f.Values {
			b.WriteString(name + "=" + v + "\n")
		}
	}
	return b.String()
}

func TestBuildFullGolden(t *testing.T) {
	got := render(build(t, DefaultExample, Options{}))
	const path = "testdata/full.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking):\n%s", path, got)
	}
}

func TestBuildFollowsLayout(t *testing.T) {
	layout := &templates.Layout{Name: "minimal", Params: []string{
		"LICENSE_CODE", "LCN_LICENSE_OPTIONS_PRICE", "EXPIRATION_DATE", "DISPATCH_REASON", "MESSAGE_ID", "FIRST_NAME"}}
	fs := build(t, DefaultExample, Options{Layout: layout})
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, layout.Params) {
		t.Errorf("fields %v, want layout order %v", names, layout.Params)
	}
	expect(t, fs, map[string]string{"LICENSE_CODE": "AD42B977BE", "EXPIRATION_DATE": "2026-04-15", "FIRST_NAME": "Jürgen"})
	if !fs[1].Array || len(fs[1].Values) != 2 {
		t.Errorf("LCN_LICENSE_OPTIONS_PRICE = %+v", fs[1])
	}
}

func TestBuildRejectsBadLayouts(t *testing.T) {
	ev := mustDecode(t, DefaultExample)
	layout := &templates.Layout{Name: "broken", Params: []string{"LICENSE_CODE", "LICENSE_COLOUR", "HASH", "LICENSE_CODE", "SIGNATURE_SHA3_256"}}
	_, err := Build(ev, Options{Layout: layout})
	got := problems(t, err)
	want := []string{"LICENSE_COLOUR unknown_layout", "HASH unknown_layout", "LICENSE_CODE unknown_layout", "SIGNATURE_SHA3_256 unknown_layout"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if !strings.Contains(err.Error(), `layout "broken"`) {
		t.Errorf("error %q does not name the layout", err)
	}
}

// TestBuildChecksOutput: an event built without validation still cannot
// produce a value outside the documented limits, and nothing is truncated.
func TestBuildChecksOutput(t *testing.T) {
	ev := mustDecode(t, DefaultExample)
	ev.Customer.FirstName = strings.Repeat("x", 41)
	ev.Subscription.Status = "FROZEN"
	_, err := Build(ev, Options{})
	got := problems(t, err)
	want := []string{"FIRST_NAME too_long", "STATUS not_allowed"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	ev = mustDecode(t, DefaultExample)
	ev.EventType, ev.DispatchReason = "", ""
	if got := problems(t, errOf(Build(ev, Options{}))); !slices.Equal(got, []string{"event_type not_allowed"}) {
		t.Errorf("no reason: %q", got)
	}
}

func errOf(_ signer.Fields, err error) error { return err }

// TestBuildSharesNoState: fields of two builds never alias each other.
func TestBuildSharesNoState(t *testing.T) {
	a := build(t, DefaultExample, Options{})
	b := build(t, DefaultExample, Options{})
	a[0].Values[0] = "changed"
	a.Set("LICENSE_CODE", "changed")
	if v, _ := b.Get("FIRST_NAME"); v != "Jürgen" {
		t.Error("builds share values")
	}
	if v, _ := b.Get("LICENSE_CODE"); v != "AD42B977BE" {
		t.Error("builds share values")
	}
	// appending to one scalar's Values must not overwrite its neighbour
	a = build(t, DefaultExample, Options{})
	a[0].Values = append(a[0].Values, "extra")
	if a[1].Values[0] != "Müller" {
		t.Errorf("append overwrote LAST_NAME: %q", a[1].Values[0])
	}
}

// TestBuilderConcurrent: one Builder serves concurrent builds (run with -race).
func TestBuilderConcurrent(t *testing.T) {
	layout := templates.Default(Catalogue())
	b, err := NewBuilder(Options{Layout: &layout})
	if err != nil {
		t.Fatal(err)
	}
	ev := mustDecode(t, DefaultExample)
	want := render(build(t, DefaultExample, Options{}))
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			fs, err := b.Build(ev)
			if err != nil {
				errs <- err.Error()
				return
			}
			errs <- render(fs)
		}()
	}
	for range 8 {
		if got := <-errs; got != want {
			t.Errorf("concurrent build differs:\n%s", got)
		}
	}
	if _, err := NewBuilder(Options{Layout: &templates.Layout{Name: "x", Params: []string{"NOPE"}}}); err == nil {
		t.Error("NewBuilder accepted an unknown parameter")
	}
}

// TestBuildInReusedRoom: every example built into one Storage, reset
// between builds, gives the fields a fresh build gives.
func TestBuildInReusedRoom(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	fixture.SameInReusedRoom(t, ExampleNames(), func(name string, room *signer.Storage) (signer.Fields, error) {
		return b.BuildIn(room, mustDecode(t, name))
	})
}
