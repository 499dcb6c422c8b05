package loadtest

import (
	"bytes"
	"strings"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/signer"
)

// PoisonKinds returns the ways a poison event is broken, in the order
// events cycle through them. Each must end in the dead-letter topic as an
// input dead letter; none may stop the gateway.
func PoisonKinds() []string { return poisonKinds[:len(poisonKinds):len(poisonKinds)] }

// poisonKinds are PoisonKinds.
var poisonKinds = [...]string{"not_json", "unknown_member", "unknown_merchant", "event_id_too_long", "schema_version"}

// unknownVendor is the vendor code of the unknown_merchant poison.
const unknownVendor = "LT-NOBODY"

// Mixed spreads poison events evenly among the good ones: of total events,
// poison are poison. Sequence numbers cover both.
type Mixed struct {
	Good, Poison int
	// Kinds are the poison kinds to cycle through; default PoisonKinds().
	Kinds []string
}

// OversizedPoison is a poison kind outside PoisonKinds(): an event of
// OversizedBytes, larger than Kafka's default record limit, that the
// source topic must be raised to accept (Stack.SourceMaxBytes).
const OversizedPoison = "oversized"

// OversizedBytes is the size of an oversized poison event.
const OversizedBytes = 3 << 19 // 1.5 MiB

// Total is the number of events.
func (m Mixed) Total() int { return m.Good + m.Poison }

// IsPoison reports whether event seq is a poison event.
func (m Mixed) IsPoison(seq int) bool {
	t := m.Total()
	if m.Poison == 0 || t == 0 {
		return false
	}
	return (seq+1)*m.Poison/t > seq*m.Poison/t
}

// PoisonKind returns which kind of poison event seq is.
func (m Mixed) PoisonKind(seq int) string {
	kinds := m.Kinds
	if len(kinds) == 0 {
		kinds = poisonKinds[:]
	}
	return kinds[seq%len(kinds)]
}

// PoisonMessage returns event seq broken in the way PoisonKind says; the
// record carries SeqHeader like every other.
func (e *Events) PoisonMessage(seq int, kind string) kafka.Message {
	m := e.Message(seq, nil)
	schema := `"lcngw.lcn.v1"`
	if e.Kind(seq) == signer.KindIPN {
		schema = `"lcngw.ipn.v1"`
	}
	switch kind {
	case "not_json":
		m.Value = m.Value[:len(m.Value)/2]
	case "unknown_member":
		m.Value = append([]byte(`{"loadtest_unknown_member":1,`), m.Value[1:]...)
	case "unknown_merchant":
		m.Value = bytes.Replace(m.Value, []byte(`"`+e.Vendor(seq)+`"`), []byte(`"`+unknownVendor+`"`), 1)
	case "event_id_too_long":
		id := e.EventID(seq)
		m.Value = bytes.Replace(m.Value, []byte(`"`+id+`"`), []byte(`"`+id+"-"+strings.Repeat("x", 300)+`"`), 1)
	case OversizedPoison:
		pad := `{"loadtest_padding":"` + strings.Repeat("x", OversizedBytes) + `",`
		m.Value = append([]byte(pad), m.Value[1:]...)
	case "schema_version":
		m.Value = bytes.Replace(m.Value, []byte(schema), []byte(`"lcngw.v0"`), 1)
	}
	return m
}
