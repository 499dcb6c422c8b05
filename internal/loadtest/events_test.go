package loadtest

import (
	"errors"
	"strconv"
	"testing"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

func testEvents(t *testing.T, merchants int, mix float64) *Events {
	t.Helper()
	topo, err := NewTopology(merchants, 1)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEvents("run1", topo, mix)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// build decodes, validates and builds an event as the gateway does.
func build(kind signer.Kind, value []byte) (signer.Fields, error) {
	if kind == signer.KindLCN {
		ev, err := lcn.Decode(value)
		if err == nil {
			err = ev.Validate()
		}
		if err != nil {
			return nil, err
		}
		return lcn.Build(ev, lcn.Options{})
	}
	ev, err := ipn.Decode(value)
	if err == nil {
		err = ev.Validate()
	}
	if err != nil {
		return nil, err
	}
	return ipn.Build(ev, ipn.Options{})
}

// TestEventsBuild builds every example, LCN and IPN, through the real
// decoders and builders: each is valid, carries its merchant's vendor code,
// and its MESSAGE_ID is the one the harness expects.
func TestEventsBuild(t *testing.T) {
	e := testEvents(t, 3, 0.5)
	kinds := map[signer.Kind]int{}
	for i := range 2 * (len(e.lcn) + len(e.ipn)) {
		m := e.Message(i, nil)
		kind := e.Kind(i)
		kinds[kind]++
		if want := map[signer.Kind]string{signer.KindLCN: Topics().LCN, signer.KindIPN: Topics().IPN}[kind]; m.Topic != want {
			t.Fatalf("event %d: topic %s, want %s", i, m.Topic, want)
		}
		fs, err := build(kind, m.Value)
		if err != nil {
			t.Fatalf("event %d (%v): %v", i, kind, err)
		}
		if v, _ := fs.Get("VENDOR_CODE"); v != e.Vendor(i) {
			t.Fatalf("event %d: VENDOR_CODE %q, want %q", i, v, e.Vendor(i))
		}
		if mid, _ := fs.Get("MESSAGE_ID"); mid != strconv.FormatUint(e.MessageID(i), 10) {
			t.Fatalf("event %d: MESSAGE_ID %s, want %d", i, mid, e.MessageID(i))
		}
		if len(m.Headers) != 1 || m.Headers[0].Key != SeqHeader || string(m.Headers[0].Value) != strconv.Itoa(i) {
			t.Fatalf("event %d: headers %v", i, m.Headers)
		}
	}
	if kinds[signer.KindLCN] == 0 || kinds[signer.KindIPN] == 0 {
		t.Fatalf("kinds %v: want both", kinds)
	}
}

func TestKindMix(t *testing.T) {
	for _, mix := range []float64{0, 0.25, 0.5, 1} {
		e := testEvents(t, 1, mix)
		lcns := 0
		for i := range 1000 {
			if e.Kind(i) == signer.KindLCN {
				lcns++
			}
		}
		if lcns != int(mix*1000) {
			t.Errorf("mix %v: %d LCN of 1000", mix, lcns)
		}
	}
	if _, err := NewEvents("r", nil, 1.5); err == nil {
		t.Error("a mix above 1 was accepted")
	}
}

// TestPoisonKinds checks every poison kind is refused by the gateway's own
// decoding and validation (or names an unknown merchant), with the reason
// its name promises.
func TestPoisonKinds(t *testing.T) {
	e := testEvents(t, 2, 0.5)
	want := map[string]param.Reason{
		"not_json": param.ReasonBadJSON, "unknown_member": param.ReasonUnknownField,
		"event_id_too_long": param.ReasonTooLong, "schema_version": param.ReasonSchemaVersion,
	}
	for seq := range 10 { // both kinds of every poison
		kind := poisonKinds[seq%len(poisonKinds)]
		m := e.PoisonMessage(seq, kind)
		fs, err := build(e.Kind(seq), m.Value)
		if kind == "unknown_merchant" {
			if v, _ := fs.Get("VENDOR_CODE"); err != nil || v != unknownVendor {
				t.Errorf("seq %d %s: %v, vendor %q", seq, kind, err, v)
			}
			continue
		}
		var pe *param.Error
		if !errors.As(err, &pe) || pe.Reason() != string(want[kind]) {
			t.Errorf("seq %d %s (%v): error %v, want reason %s", seq, kind, e.Kind(seq), err, want[kind])
		}
	}
}

func TestMixedSpreadsPoison(t *testing.T) {
	for _, m := range []Mixed{{Good: 1000, Poison: 500}, {Good: 7, Poison: 3}, {Good: 10}, {Good: 1, Poison: 9}} {
		n, run, longest := 0, 0, 0
		for seq := range m.Total() {
			if m.IsPoison(seq) {
				n++
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
		if n != m.Poison {
			t.Errorf("%+v: %d poison events", m, n)
		}
		if want := (m.Poison + m.Good) / max(m.Good, 1); m.Poison > 0 && longest > want+1 {
			t.Errorf("%+v: %d poison events in a row", m, longest)
		}
	}
}
