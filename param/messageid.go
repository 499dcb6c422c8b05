package param

import (
	"crypto/sha256"
	"encoding/binary"
)

// maxMessageID keeps derived IDs positive in a signed 64-bit integer (PHP,
// Java and SQL BIGINT all hold it).
const maxMessageID = 1<<63 - 1

// MessageID derives the MESSAGE_ID of the notification built from one event:
// a positive integer that depends only on the merchant and the event's ID, so
// it is identical on every retry, redelivery and replay of that notification
// and differs between events: 63 bits of SHA-256, so two events of one
// merchant collide with probability about n²/2^64 (5·10⁻⁶ for ten million
// events inside one deduplication window).
func MessageID(vendorCode, eventID string) uint64 {
	var buf [320]byte // vendor codes and event IDs are short: hashed from the stack
	msg := append(append(append(buf[:0], vendorCode...), 0), eventID...)
	sum := sha256.Sum256(msg)
	id := binary.BigEndian.Uint64(sum[:]) & maxMessageID
	if id == 0 {
		id = 1
	}
	return id
}
