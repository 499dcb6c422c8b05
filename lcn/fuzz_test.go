package lcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/lcngw/lcngw/param"
)

// FuzzDecode: decoding, validating and building never panic, every error
// is a *param.Error, what Decode accepts encoding/json decodes to the same
// event, and a valid event always builds into fields within the
// catalogue's limits.
func FuzzDecode(f *testing.F) {
	for _, name := range ExampleNames() {
		data, err := Example(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(poisonEvent(f, 40))                                                               // unknown members
	f.Add(bytes.Replace(poisonEvent(f, 0), []byte(`"schema"`), []byte(`"sch\u0065ma"`), 1)) // escaped name
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := Decode(data)
		if err != nil {
			mustParamError(t, "decode", err)
			return
		}
		sameAsEncodingJSON(t, data, ev)
		sameChecks(t, ev)
		if err := ev.Validate(); err != nil {
			mustParamError(t, "validate", err)
			if _, err := Build(ev, Options{}); err != nil {
				mustParamError(t, "build of invalid event", err)
			}
			return
		}
		fs, err := Build(ev, Options{})
		if err != nil {
			t.Fatalf("valid event does not build: %v", err)
		}
		if len(fs) != len(Catalogue().Names()) {
			t.Fatalf("%d fields", len(fs))
		}
		for _, f := range fs {
			for _, v := range f.Values {
				if !utf8.ValidString(v) {
					t.Fatalf("%s: invalid UTF-8", f.Name)
				}
			}
		}
	})
}

// sameChecks: Build's output check finds exactly what Catalogue.Check
// finds, valid event or not.
func sameChecks(t *testing.T, ev *Event) {
	t.Helper()
	if ev.dispatchReason() == "" {
		return
	}
	fs := defaultPlan.fill(nil, ev, param.DefaultLocation())
	if got, want := defaultPlan.check(fs), Catalogue().Check(fs, nil); !slices.Equal(got, want) {
		t.Fatalf("plan check %v, Catalogue().Check %v", got, want)
	}
}

// sameAsEncodingJSON: an accepted document passes the member check and
// encoding/json decodes it to exactly the event Decode returned.
func sameAsEncodingJSON(t *testing.T, data []byte, ev *Event) {
	t.Helper()
	if probs, _ := decoder.Check(data).List(); len(probs) > 0 {
		t.Fatalf("accepted, but the member check finds %v", probs)
	}
	var ref Event
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("accepted, but encoding/json fails: %v", err)
	}
	if !reflect.DeepEqual(*ev, ref) {
		t.Fatalf("decoded\n%+v\nencoding/json\n%+v", *ev, ref)
	}
}

func mustParamError(t *testing.T, stage string, err error) {
	t.Helper()
	var pe *param.Error
	if !errors.As(err, &pe) || len(pe.Problems) == 0 {
		t.Fatalf("%s: %v (%T) is not a *param.Error with problems", stage, err, err)
	}
}
