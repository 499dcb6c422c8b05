package receiver_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/lcngw/lcngw/receiver"
)

// TestKeyringNeverPrintsKeys formats and logs a keyring every way.
func TestKeyringNeverPrintsKeys(t *testing.T) {
	kr := receiver.NewKeyring([]byte("super-secret-key"), nil, []byte("older-secret"))
	if kr.Len() != 2 {
		t.Errorf("Len = %d, want 2 (empty secrets ignored)", kr.Len())
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("keys", "ring", kr)
	out := fmt.Sprintf("%v %+v %#v %s", kr, kr, kr, kr) + buf.String()
	if bytes.Contains([]byte(out), []byte("secret")) {
		t.Errorf("keyring printed: %s", out)
	}
}

// TestKeyMapFallback: unknown vendors use the fallback keyring, or are
// unknown without one.
func TestKeyMapFallback(t *testing.T) {
	fb := receiver.NewKeyring([]byte("fallback"))
	m := map[string][][]byte{"V1": {[]byte("k1")}}
	for _, tt := range []struct {
		fallback *receiver.Keyring
		vendor   string
		ok       bool
	}{
		{nil, "V1", true}, {nil, "V2", false}, {nil, "", false}, {fb, "V2", true}, {fb, "", true},
		{receiver.NewKeyring(), "V2", false},
	} {
		kr, ok := receiver.KeyMap(m, tt.fallback)(tt.vendor)
		if ok != tt.ok || (ok && kr.Len() != 1) {
			t.Errorf("KeyMap(fallback %v)(%q) = %v, %v", tt.fallback != nil, tt.vendor, kr.Len(), ok)
		}
	}
}
