package receiver

import (
	"context"
	"strings"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// Notification is a verified notification, handed to the application by
// FromFiber or FromContext. By default it owns its memory: it stays valid
// after the request and may be kept or passed to other goroutines (with
// Config.ReuseNotifications it is recycled once the request is answered;
// Clone it to keep it). Treat it as read-only.
type Notification struct {
	// Kind is signer.KindLCN or signer.KindIPN.
	Kind signer.Kind
	// Fields holds every field in wire order, signature fields included.
	Fields signer.Fields
	// Algorithm is the strongest algorithm whose signature verified.
	Algorithm signer.Algorithm
	// Verified is the set of algorithms whose signatures were present;
	// every one of them verified.
	Verified signer.Algorithms
	// MessageID is MESSAGE_ID ("" when absent).
	MessageID string
	// VendorCode is VENDOR_CODE ("" when absent).
	VendorCode string
	// Duplicate reports a retry of a notification already handled
	// successfully (only seen when Config.PassDuplicates is set).
	Duplicate bool
	// ReceivedAt is when the notification was received; the receipt's
	// DATE is this instant.
	ReceivedAt time.Time

	receipt string // the read receipt answered on success
	key     string // dedupe key; "" when not deduplicated

	// sc holds the decoder and receipt buffers that a recycled
	// notification's strings alias (Config.ReuseNotifications).
	sc *scratch
}

// Clone returns a deep copy of n that owns its memory. With
// Config.ReuseNotifications, it is how the application keeps a
// notification beyond its handler.
func (n *Notification) Clone() *Notification {
	c := &Notification{Kind: n.Kind, Algorithm: n.Algorithm, Verified: n.Verified,
		Duplicate: n.Duplicate, ReceivedAt: n.ReceivedAt, key: n.key}
	c.set(n.Fields, []byte(n.receipt))
	return c
}

// Receipt returns the read receipt the middleware answers with once the
// application has handled the notification successfully.
func (n *Notification) Receipt() string { return n.receipt }

// Get returns the first value of the field called name and whether the
// field is present.
func (n *Notification) Get(name string) (string, bool) { return n.Fields.Get(name) }

type ctxKey struct{}

// FromContext returns the notification stored by the net/http middleware,
// or nil.
func FromContext(ctx context.Context) *Notification {
	n, _ := ctx.Value(ctxKey{}).(*Notification)
	return n
}

// NewContext returns ctx carrying n, as the net/http middleware passes it
// on; it is exported for tests of application handlers.
func NewContext(ctx context.Context, n *Notification) context.Context {
	return context.WithValue(ctx, ctxKey{}, n)
}

// set points n at a copy of fs (which aliases a Decoder's buffers) and of
// the receipt: every name, value and the receipt are copied into one
// string, and the fields' strings are substrings of it.
func (n *Notification) set(fs signer.Fields, receipt []byte) {
	size, nvals := len(receipt), 0
	for i := range fs {
		size += len(fs[i].Name)
		nvals += len(fs[i].Values)
		for _, v := range fs[i].Values {
			size += len(v)
		}
	}
	var b strings.Builder // allocates without zeroing
	b.Grow(size)
	for i := range fs {
		b.WriteString(fs[i].Name)
		for _, v := range fs[i].Values {
			b.WriteString(v)
		}
	}
	b.Write(receipt)
	n.Fields = make(signer.Fields, len(fs))
	n.layout(fs, b.String(), make([]string, nvals))
}

// layout slices arena (laid out by set) into n.Fields, using vals for the
// values, and into the receipt.
func (n *Notification) layout(fs signer.Fields, arena string, vals []string) {
	off := 0
	next := func(l int) string {
		off += l
		return arena[off-l : off]
	}
	for i, f := range fs {
		name := next(len(f.Name))
		fv := vals[:len(f.Values):len(f.Values)]
		vals = vals[len(f.Values):]
		for j, v := range f.Values {
			fv[j] = next(len(v))
		}
		n.Fields[i] = signer.Field{Name: name, Values: fv, Array: f.Array}
	}
	n.receipt = arena[off:]
	n.identify()
}

// identify sets MessageID and VendorCode from n.Fields.
func (n *Notification) identify() {
	n.MessageID, _ = n.Get("MESSAGE_ID")
	n.VendorCode, _ = n.Get("VENDOR_CODE")
}
