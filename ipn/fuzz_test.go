package ipn

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/templates"
)

// FuzzDecode checks decoding, validating and building never panic, that
// every rejection is a *param.Error, that what Decode accepts encoding/json
// decodes to the same event, and that whatever builds passes the
// catalogue.
func FuzzDecode(f *testing.F) {
	for _, name := range ExampleNames() {
		f.Add(mustExample(f, name))
	}
	full := mustExample(f, FullExample) // with unknown, repeated and null members
	f.Add(bytes.Replace(full, []byte(`"schema"`), []byte(`"x":1,"y":[null],"schema"`), 1))
	f.Add(bytes.Replace(full, []byte(`"schema"`), []byte(`"event_id":"a","sch\u0065ma"`), 1))
	subset := &templates.Layout{Name: "fuzz", Params: []string{"IPN_PID", ProductOptions, "IPN_TOTAL", "IPN_DATE"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := Decode(data)
		if err != nil {
			var pe *param.Error
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("Decode error is not a *param.Error: %v", err)
			}
			return
		}
		sameAsEncodingJSON(t, data, ev)
		verr := ev.Validate()
		fs, err := Build(ev, Options{})
		if (err == nil) != (verr == nil) {
			t.Fatalf("Validate (%v) and Build (%v) disagree", verr, err)
		}
		if err != nil {
			var pe *param.Error
			if !errors.As(err, &pe) || len(pe.Problems) == 0 || fs != nil {
				t.Fatalf("Build error is not a *param.Error without fields: %v", err)
			}
			return
		}
		if probs := Catalogue().Check(fs, IsOptionField); len(probs) != 0 {
			t.Fatalf("built fields fail the catalogue: %v", probs)
		}
		if _, err := Build(ev, Options{Layout: subset}); err != nil {
			t.Fatalf("valid event fails a subset layout: %v", err)
		}
	})
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
