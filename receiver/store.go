package receiver

import (
	"context"
	"strings"

	"github.com/lcngw/lcngw/signer"
)

// Status is what a Store knows about a notification key.
type Status uint8

// Store states.
const (
	// StatusNew: the key was neither completed nor claimed; the caller now
	// holds the claim and must Commit or Release it.
	StatusNew Status = iota
	// StatusPending: another request holds an unexpired claim on the key.
	StatusPending
	// StatusDone: the key was committed and has not expired.
	StatusDone
)

// String returns "new", "pending" or "done".
func (s Status) String() string {
	switch s {
	case StatusNew:
		return "new"
	case StatusPending:
		return "pending"
	case StatusDone:
		return "done"
	}
	return "unknown"
}

// Store remembers which notifications were handled, so that the platform's
// retries are acknowledged without being handed to the application again.
//
// A plain "seen?" check is not enough: a notification must count as seen
// only once the application has handled it successfully, or a failed
// attempt would turn every retry into a silent acknowledgement. So a Store
// works in two steps: Claim reserves a key before the application runs;
// Commit marks it done after success, Release forgets the claim after a
// failure so the next retry is processed. A claim that is neither committed
// nor released expires (the Store decides when), so a crashed handler does
// not block a notification forever.
//
// Implementations must be safe for concurrent use. Commit and Release are
// called with a context that is not cancelled with the request.
type Store interface {
	// Claim reports the key's status, claiming it when it is new.
	Claim(ctx context.Context, key string) (Status, error)
	// Commit marks a claimed key as done.
	Commit(ctx context.Context, key string) error
	// Release drops a claim without marking the key done.
	Release(ctx context.Context, key string) error
}

// DedupeKey returns the store key of a notification: its kind, VENDOR_CODE
// and MESSAGE_ID (identical on every retry of one notification), or ""
// when MESSAGE_ID is absent or empty — such notifications are not
// deduplicated.
func DedupeKey(kind signer.Kind, vendorCode, messageID string) string {
	if messageID == "" {
		return ""
	}
	var b strings.Builder
	k := kind.String()
	b.Grow(len(k) + len(vendorCode) + len(messageID) + 2)
	b.WriteString(k)
	b.WriteByte(0)
	b.WriteString(vendorCode)
	b.WriteByte(0)
	b.WriteString(messageID)
	return b.String()
}
