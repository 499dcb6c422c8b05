package param

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"testing"
)

// TestMessageIDFormula pins MessageID to its documented derivation: 63 bits
// of SHA-256 over vendor code, a zero byte and event ID, for short and long
// inputs alike.
func TestMessageIDFormula(t *testing.T) {
	for _, tc := range []struct{ vendor, event string }{
		{"250111206876", "evt_01JNZ5Q8W3M4D7B2K9XG6T1VHC"},
		{"", ""},
		{"V", strings.Repeat("e", 255)},
		{strings.Repeat("v", 64), strings.Repeat("é", 300)},
	} {
		h := sha256.New()
		h.Write([]byte(tc.vendor))
		h.Write([]byte{0})
		h.Write([]byte(tc.event))
		want := binary.BigEndian.Uint64(h.Sum(nil)) & maxMessageID
		if got := MessageID(tc.vendor, tc.event); got != want || got == 0 {
			t.Errorf("MessageID(%q, %d bytes) = %d, want %d", tc.vendor, len(tc.event), got, want)
		}
	}
}
