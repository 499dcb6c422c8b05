package endpoint

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/receiver"
)

// Record is the JSON form of an accepted notification: one line of Out
// and the body of a forward. Fields keep wire order.
type Record struct {
	// Kind is "lcn" or "ipn".
	Kind string `json:"kind"`
	// MessageID is MESSAGE_ID ("" when absent).
	MessageID string `json:"message_id"`
	// VendorCode is VENDOR_CODE ("" when absent).
	VendorCode string `json:"vendor_code"`
	// Algorithm is the strongest verified algorithm: md5, sha256 or sha3-256.
	Algorithm string `json:"algorithm"`
	// Duplicate marks a retry of a notification already handled.
	Duplicate bool `json:"duplicate"`
	// ReceivedAt is when the notification arrived, in UTC.
	ReceivedAt time.Time `json:"received_at"`
	// Fields holds every field as received, signatures included.
	Fields []Field `json:"fields"`
}

// Field is one notification field of a Record.
type Field struct {
	// Name is the field name without "[]".
	Name string `json:"name"`
	// Values holds the value (scalar) or the elements (array), in order.
	Values []string `json:"values"`
	// Array reports a NAME[] field.
	Array bool `json:"array"`
}

// NewRecord returns the record of n.
func NewRecord(n *receiver.Notification) Record {
	r := Record{
		Kind:       n.Kind.String(),
		MessageID:  n.MessageID,
		VendorCode: n.VendorCode,
		Algorithm:  n.Algorithm.String(),
		Duplicate:  n.Duplicate,
		ReceivedAt: n.ReceivedAt.UTC(),
		Fields:     make([]Field, len(n.Fields)),
	}
	for i, f := range n.Fields {
		r.Fields[i] = Field(f)
	}
	return r
}

// recorder is the endpoint's application: it forwards and writes each
// accepted notification.
type recorder struct {
	log     *slog.Logger
	forward *forwarder // nil when not forwarding
	mu      sync.Mutex // serialises writes to out
	out     io.Writer  // nil when not writing
	bufs    sync.Pool  // of *[]byte, for JSON lines
}

func newRecorder(opts Options) *recorder {
	r := &recorder{log: opts.Logger, out: opts.Out}
	r.bufs.New = func() any { return new([]byte) }
	if opts.ForwardURL != "" {
		r.forward = newForwarder(opts.ForwardURL, opts.Client, opts.ForwardTimeout)
	}
	return r
}

// handle forwards first, then writes the line, so that Out only holds
// notifications that were fully handled; any failure answers an error
// (no receipt: the platform retries).
func (r *recorder) handle(c *fiber.Ctx) error {
	n := receiver.FromFiber(c)
	buf := r.bufs.Get().(*[]byte)
	defer r.bufs.Put(buf)
	line, err := appendRecord((*buf)[:0], n)
	*buf = line
	if err != nil {
		return fmt.Errorf("endpoint: encode record: %w", err)
	}
	if r.forward != nil && !n.Duplicate {
		if err := r.forward.post(c.UserContext(), line); err != nil {
			r.log.Warn("forward failed", slog.String("kind", n.Kind.String()),
				slog.String("message_id", n.MessageID), slog.String("err", err.Error()))
			return fiber.NewError(fiber.StatusBadGateway, "forwarding failed")
		}
	}
	if err := r.write(line); err != nil {
		r.log.Error("write failed", slog.String("message_id", n.MessageID), slog.String("err", err.Error()))
		return fiber.NewError(fiber.StatusInternalServerError, "recording failed")
	}
	r.log.Info("notification accepted", slog.String("kind", n.Kind.String()),
		slog.String("message_id", n.MessageID), slog.String("vendor_code", n.VendorCode),
		slog.String("algorithm", n.Algorithm.String()), slog.Bool("duplicate", n.Duplicate))
	return nil
}

// write appends one line to out with a single Write.
func (r *recorder) write(line []byte) error {
	if r.out == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.out.Write(line); err != nil {
		return fmt.Errorf("endpoint: write record: %w", err)
	}
	return nil
}
