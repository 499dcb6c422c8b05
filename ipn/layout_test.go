package ipn

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// TestArraysAreContiguous checks every per-product array of a multi-item
// notification has one element per item and the option groups follow
// REFUND_TYPE in item order.
func TestArraysAreContiguous(t *testing.T) {
	ev := event(t, "full")
	fs := build(t, ev, Options{})
	for _, f := range fs {
		s, ok := Catalogue().Spec(f.Name)
		switch {
		case !ok && !IsOptionField(f.Name):
			t.Errorf("unexpected field %s", f.Name)
		case ok && f.Array != s.Array:
			t.Errorf("%s: Array %v", f.Name, f.Array)
		case ok && s.Array && f.Name != "ORIGINAL_REFNOEXT" && len(f.Values) != len(ev.Items):
			t.Errorf("%s has %d elements for %d items", f.Name, len(f.Values), len(ev.Items))
		}
	}
	i := fs.Index("REFUND_TYPE")
	var got []string
	for _, f := range fs[i+1 : i+13] {
		got = append(got, fmt.Sprintf("%s:%d", f.Name, len(f.Values)))
	}
	var want []string
	for _, id := range []string{"35144095", "35144096"} {
		for _, suf := range optionSuffixes {
			want = append(want, fmt.Sprintf("%s:%d", OptionField(id, suf), map[string]int{"35144095": 2, "35144096": 1}[id]))
		}
	}
	if !slices.Equal(got, want) || fs[i+13].Name != "CHARGEBACK_RESOLUTION" {
		t.Errorf("option groups after REFUND_TYPE:\ngot  %v\nwant %v", got, want)
	}
}

func TestLayouts(t *testing.T) {
	ev := event(t, "full")
	for _, tc := range []struct {
		name   string
		params []string
		want   []string
		bad    []string
	}{
		{"subset reordered", []string{"IPN_DATE", "REFNO", "IPN_PID", "IPN_PNAME"}, []string{"IPN_DATE", "REFNO", "IPN_PID", "IPN_PNAME"}, nil},
		{"options first", []string{ProductOptions, "IPN_PID"}, []string{OptionField("35144095", "TEXT"), OptionField("35144095", "VALUE"),
			OptionField("35144095", "OPTIONAL_VALUE"), OptionField("35144095", "PRICE"), OptionField("35144095", "OPERATOR"),
			OptionField("35144095", "USAGE"), OptionField("35144096", "TEXT"), OptionField("35144096", "VALUE"),
			OptionField("35144096", "OPTIONAL_VALUE"), OptionField("35144096", "PRICE"), OptionField("35144096", "OPERATOR"),
			OptionField("35144096", "USAGE"), "IPN_PID"}, nil},
		{"unknown", []string{"REFNO", "IPN_FOO"}, nil, []string{"IPN_FOO"}},
		{"expanded option name", []string{OptionField("35144095", "TEXT")}, nil, []string{OptionField("35144095", "TEXT")}},
		{"duplicate", []string{"REFNO", "REFNO"}, nil, []string{"REFNO"}},
		{"signature", []string{"REFNO", "HASH"}, nil, []string{"HASH"}},
	} {
		fs, err := Build(ev, Options{Layout: &templates.Layout{Name: tc.name, Params: tc.params}})
		if tc.bad != nil {
			var bad []string
			for _, p := range problems(t, err) {
				if p.Reason == param.ReasonUnknownLayout {
					bad = append(bad, p.Field)
				}
			}
			if !slices.Equal(bad, tc.bad) {
				t.Errorf("%s: layout problems at %v, want %v", tc.name, bad, tc.bad)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestValuesDoNotAlias checks a field's Values cannot grow into the next
// field's values.
func TestValuesDoNotAlias(t *testing.T) {
	fs := build(t, event(t, "full"), Options{})
	pid := fs[fs.Index("IPN_PID")].Values
	pname := slices.Clone(fs[fs.Index("IPN_PNAME")].Values)
	_ = append(pid, "intruder")
	if got := fs[fs.Index("IPN_PNAME")].Values; !slices.Equal(got, pname) {
		t.Errorf("appending to IPN_PID changed IPN_PNAME: %q", got)
	}
}

// TestBuilderReusesLayout: a Builder builds what Build builds, and a bad
// layout's problems come with every build, unchanged.
func TestBuilderReusesLayout(t *testing.T) {
	ev := event(t, "full")
	layout := &templates.Layout{Name: "subset", Params: []string{"IPN_DATE", "REFNO", ProductOptions}}
	b := NewBuilder(Options{Layout: layout, Location: param.DefaultLocation()})
	for range 2 {
		got, err := b.Build(ev)
		if err != nil {
			t.Fatal(err)
		}
		if want := build(t, ev, Options{Layout: layout}); !slices.EqualFunc(got, want, sameField) {
			t.Fatalf("builder fields %v, Build %v", got, want)
		}
	}
	bad := NewBuilder(Options{Layout: &templates.Layout{Name: "bad", Params: []string{"REFNO", "IPN_FOO"}}})
	broken := *ev
	broken.VendorCode = ""
	for range 2 {
		_, err := bad.Build(&broken)
		var pe *param.Error
		if !errors.As(err, &pe) || len(pe.Problems) != 2 || pe.Problems[0].Field != "IPN_FOO" || pe.Problems[1].Field != "vendor_code" {
			t.Fatalf("problems %v, want IPN_FOO then vendor_code", err)
		}
	}
}

func sameField(a, b signer.Field) bool {
	return a.Name == b.Name && a.Array == b.Array && slices.Equal(a.Values, b.Values)
}
