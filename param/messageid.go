package param

import (
	"crypto/sha256"
	"encoding/binary"
)

// MaxMessageID is the largest MESSAGE_ID MessageID derives: 2^53−1, the
// largest integer a JavaScript number (an IEEE 754 double) holds exactly,
// so a Node or browser receiver that parses MESSAGE_ID as a number keeps it
// intact.
const MaxMessageID = 1<<53 - 1

// MessageID derives the MESSAGE_ID of the notification built from one event:
// a positive integer at most MaxMessageID (16 digits at most) that depends
// only on the merchant and the event's ID, so it is identical on every
// retry, redelivery and replay of that notification and differs between
// events.
//
// It is the first 53 bits of SHA-256 over the vendor code, a zero byte and
// the event ID. Two events of one merchant share an ID with probability
// about n²/2^54 for n events: 5.6·10⁻⁵ for one million events inside one
// deduplication window, 5.6·10⁻³ for ten million. The platform's own IDs
// are 12 digits; a 12-digit derived ID would collide with probability 0.5
// at about 1.1 million events, a duplicate a receiver would drop, so the
// full exact range of a JavaScript number is used instead.
func MessageID(vendorCode, eventID string) uint64 {
	var buf [320]byte // vendor codes and event IDs are short: hashed from the stack
	msg := append(append(append(buf[:0], vendorCode...), 0), eventID...)
	sum := sha256.Sum256(msg)
	id := binary.BigEndian.Uint64(sum[:]) >> (64 - 53)
	if id == 0 {
		id = 1
	}
	return id
}
