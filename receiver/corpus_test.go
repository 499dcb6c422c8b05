package receiver_test

import (
	"testing"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// builtNotifications builds every example event of the lcn and ipn
// packages into notification fields, as the gateway sends them.
func builtNotifications(t *testing.T) map[string]signer.Fields {
	t.Helper()
	out := map[string]signer.Fields{}
	for _, name := range lcn.ExampleNames() {
		data, err := lcn.Example(name)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := lcn.Decode(data)
		if err != nil {
			t.Fatalf("lcn %s: %v", name, err)
		}
		fs, err := lcn.Build(ev, lcn.Options{})
		if err != nil {
			t.Fatalf("lcn %s: %v", name, err)
		}
		out["lcn/"+name] = fs
	}
	for _, name := range ipn.ExampleNames() {
		data, err := ipn.Example(name)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := ipn.Decode(data)
		if err != nil {
			t.Fatalf("ipn %s: %v", name, err)
		}
		fs, err := ipn.Build(ev, ipn.Options{})
		if err != nil {
			t.Fatalf("ipn %s: %v", name, err)
		}
		out["ipn/"+name] = fs
	}
	return out
}

// TestBuiltNotifications: every notification the protocol core builds is
// accepted by both adapters, handed over intact, and receipted correctly,
// whatever algorithms it is signed with.
func TestBuiltNotifications(t *testing.T) {
	built := builtNotifications(t)
	if len(built) < 2 {
		t.Fatalf("only %d example notifications", len(built))
	}
	for _, a := range adapters() {
		for name, fs := range built {
			for _, algs := range []signer.Algorithms{signer.AllAlgorithms, signer.SetOf(signer.SHA256)} {
				t.Run(a.name+"/"+name+"/"+algs.String(), func(t *testing.T) {
					var got *receiver.Notification
					do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(n *receiver.Notification) int { got = n; return 0 })
					resp := do(post(sign(testKey, fs, algs)))
					if resp.status != 200 || got == nil {
						t.Fatalf("status %d body %q", resp.status, resp.body)
					}
					want, _ := algs.Strongest()
					if got.Kind != signer.DetectKind(fs) || got.Algorithm != want || got.MessageID == "" {
						t.Errorf("notification = %v %v %q", got.Kind, got.Algorithm, got.MessageID)
					}
					if string(signer.AppendMessage(nil, got.Fields)) != string(signer.AppendMessage(nil, fs)) {
						t.Error("fields differ from what was built")
					}
					r, err := signer.New(testKey).CheckReceipt([]byte(resp.body), got.Kind, fs, signer.SetOf(want))
					if err != nil || r.Algorithm != want {
						t.Errorf("CheckReceipt = %+v, %v", r, err)
					}
				})
			}
		}
	}
}
