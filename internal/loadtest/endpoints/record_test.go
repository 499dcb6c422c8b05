package endpoints

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	tests := []struct {
		rec  Record
		line string
	}{
		{Record{Kind: Listening, Endpoint: 3, Addr: "127.0.0.1:41234"}, "L 3 127.0.0.1:41234"},
		{Record{Kind: Ready}, "R"},
		{Record{Kind: Delivered, Endpoint: 0, MessageID: 18446744073709551615, At: 1767225600123456789},
			"D 0 18446744073709551615 1767225600123456789"},
		{Record{Kind: Faulted, Endpoint: 12, Fault: FaultWrongReceipt}, "F 12 wrong_receipt"},
		{Record{Kind: Rejected, Endpoint: 1, Status: 403}, "X 1 403"},
	}
	for _, tt := range tests {
		got := tt.rec.Append(nil)
		if string(got) != tt.line+"\n" {
			t.Errorf("Append(%+v) = %q, want %q", tt.rec, got, tt.line+"\n")
		}
		back, err := ParseRecord([]byte(tt.line))
		if err != nil || back != tt.rec {
			t.Errorf("ParseRecord(%q) = %+v, %v; want %+v", tt.line, back, err, tt.rec)
		}
	}
}

func TestParseRecordRejects(t *testing.T) {
	for _, line := range []string{
		"", "R ", "Q 1 2", "D 1 2", "D 1 2 3 4", "D x 2 3", "D -1 2 3", "D 1 -2 3", "D 1 2 x",
		"L 1", "X 1 abc", "D1 2 3", "F 1", "L", "D 99999999999999999999 1 1",
	} {
		if r, err := ParseRecord([]byte(line)); err == nil {
			t.Errorf("ParseRecord(%q) accepted: %+v", line, r)
		}
	}
}

func TestStreamFlushes(t *testing.T) {
	var buf lockedBuffer
	s := NewStream(&buf)
	s.Emit(Record{Kind: Faulted, Endpoint: 1, Fault: Fault5xx})
	if len(buf.records(t)) != 0 {
		t.Fatal("records written before a flush")
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if recs := buf.records(t); len(recs) != 1 || recs[0].Fault != Fault5xx {
		t.Fatalf("after flush: %+v", recs)
	}
}

func TestSpecValidate(t *testing.T) {
	ok := Endpoint{Vendor: "V1", SecretEnv: "K"}
	with := func(f func(*Endpoint)) Spec {
		e := ok
		f(&e)
		return Spec{Endpoints: []Endpoint{e}}
	}
	bad := map[string]Spec{
		"empty":          {},
		"negative share": with(func(e *Endpoint) { e.Faults.Reset = -0.1 }),
		"share over 1":   with(func(e *Endpoint) { e.Faults.Hang = 1.5 }),
		"sum over 1":     with(func(e *Endpoint) { e.Faults = Faults{Status5xx: 0.6, WrongReceipt: 0.6} }),
		"no vendor":      with(func(e *Endpoint) { e.Vendor = "" }),
		"no secret":      with(func(e *Endpoint) { e.SecretEnv = "" }),
		"negative delay": with(func(e *Endpoint) { e.Latency = -time.Second }),
	}
	for name, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	good := with(func(e *Endpoint) { e.Faults = Faults{Status5xx: 0.25, Hang: 0.25, Reset: 0.25, WrongReceipt: 0.25} })
	if err := good.Validate(); err != nil {
		t.Errorf("all shares summing to 1: %v", err)
	}
}

func TestSpecFileRoundTrip(t *testing.T) {
	path := t.TempDir() + "/spec.json"
	in := Spec{Seed: 7, Endpoints: []Endpoint{{Vendor: "V1", SecretEnv: "K", Latency: 5 * time.Second,
		Faults: Faults{Reset: 0.1, HangFor: time.Second}}}}
	if err := in.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	out, err := ReadSpec(path)
	if err != nil || out.Seed != 7 || out.Endpoints[0] != in.Endpoints[0] {
		t.Fatalf("read back %+v, %v; want %+v", out, err, in)
	}
}

// FuzzParseRecord checks that every accepted line renders back to itself.
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{"R", "L 0 127.0.0.1:1", "D 1 42 1700000000000000000", "F 2 reset", "X 0 403", "D 1 2"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := ParseRecord(line)
		if err != nil {
			return
		}
		again, err := ParseRecord(bytes.TrimSuffix(r.Append(nil), []byte("\n")))
		if err != nil || again != r {
			t.Fatalf("%q parsed to %+v, which renders to a line parsing to %+v, %v", line, r, again, err)
		}
	})
}

// FuzzSpec checks that a spec read from any JSON either fails validation
// or describes endpoints whose faults fit in every request.
func FuzzSpec(f *testing.F) {
	f.Add([]byte(`{"endpoints":[{"vendor":"V1","secret_env":"K","latency":5000000000,"faults":{"reset":0.1,"hang_for":1000000000}}],"seed":7}`))
	f.Add([]byte(`{"endpoints":[{"vendor":"V","secret_env":"K","faults":{"status_5xx":0.6,"wrong_receipt":0.5}}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Spec
		if json.Unmarshal(b, &s) != nil || s.Validate() != nil {
			return
		}
		for _, e := range s.Endpoints {
			if tot := e.Faults.Total(); !(tot >= 0 && tot <= 1) || e.Latency < 0 || e.Vendor == "" {
				t.Fatalf("valid spec with endpoint %+v", e)
			}
		}
	})
}
