package param

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
)

// TestMessageIDFormula pins MessageID to its documented derivation: 53 bits
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
		want := binary.BigEndian.Uint64(h.Sum(nil)) >> 11
		if got := MessageID(tc.vendor, tc.event); got != want || got == 0 || got > MaxMessageID {
			t.Errorf("MessageID(%q, %d bytes) = %d, want %d", tc.vendor, len(tc.event), got, want)
		}
	}
}

// TestMessageIDIsExactJavaScriptNumber checks that every derived ID
// survives a round trip through a float64, as JSON.parse or Number() in a
// Node receiver would store it, and that IDs of different events differ.
func TestMessageIDIsExactJavaScriptNumber(t *testing.T) {
	seen := make(map[uint64]string, 10000)
	for i := range 10000 {
		ev := "evt_" + strconv.Itoa(i)
		id := MessageID("250111206876", ev)
		if id == 0 || id > MaxMessageID {
			t.Fatalf("MessageID(%q) = %d, outside 1..2^53-1", ev, id)
		}
		if uint64(float64(id)) != id {
			t.Fatalf("MessageID(%q) = %d does not survive a float64", ev, id)
		}
		if prev, dup := seen[id]; dup {
			t.Fatalf("MessageID(%q) = MessageID(%q) = %d", ev, prev, id)
		}
		seen[id] = ev
	}
	if got := MessageID("250111206876", "evt_0"); got != MessageID("250111206876", "evt_0") {
		t.Fatal("MessageID is not deterministic")
	}
}
