package endpoints

import (
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/receiver"
)

// wrongReceipt is a well-formed read receipt whose hash matches nothing.
const wrongReceipt = `<sig algo="sha3-256" date="20260101000000">` +
	"0000000000000000000000000000000000000000000000000000000000000000</sig>"

// defaultHangFor is how long a hanging request is held by default.
const defaultHangFor = 2 * time.Second

// handler serves one endpoint: fault injection around the receiver
// middleware, and the application behind it.
type handler struct {
	index  int
	ep     Endpoint
	stream *Stream
	mu     sync.Mutex // guards rng
	rng    *rand.Rand
}

// newApp builds the endpoint's Fiber app: h.inject, then the verifying
// middleware with h.application as the application.
func newApp(h *handler, key []byte) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
	})
	app.Use(h.inject)
	app.Use(receiver.New(receiver.Config{
		Keys:           receiver.KeyMap(map[string][][]byte{h.ep.Vendor: {key}}, nil),
		DisableDedupe:  true, // the harness counts duplicates itself
		SuccessHandler: h.application,
		ErrorHandler:   h.reject,
		// The application is done with a notification when it returns:
		// it keeps only the MESSAGE_ID, for inject to report.
		ReuseNotifications: true,
	}))
	return app
}

// pick draws the fault for one request ("" for none).
func (h *handler) pick() string {
	f := h.ep.Faults
	if f.Total() == 0 {
		return ""
	}
	h.mu.Lock()
	x := h.rng.Float64()
	h.mu.Unlock()
	for _, c := range []struct {
		share float64
		name  string
	}{{f.Status5xx, Fault5xx}, {f.Hang, FaultHang}, {f.Reset, FaultReset}, {f.WrongReceipt, FaultWrongReceipt}} {
		if x < c.share {
			return c.name
		}
		x -= c.share
	}
	return ""
}

// inject answers a share of POSTs wrongly and reports every notification
// acknowledged with a receipt.
func (h *handler) inject(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	fault := h.pick()
	switch fault {
	case Fault5xx:
		h.faulted(fault)
		return c.Status(fiber.StatusServiceUnavailable).SendString("unavailable on purpose")
	case FaultHang:
		h.faulted(fault)
		time.Sleep(orDefault(h.ep.Faults.HangFor, defaultHangFor))
		return c.Status(fiber.StatusServiceUnavailable).SendString("hung on purpose")
	case FaultReset:
		h.faulted(fault)
		c.Context().HijackSetNoResponse(true)
		c.Context().Hijack(reset)
		return nil
	}
	err := c.Next()
	if err != nil || c.Response().StatusCode() != fiber.StatusOK {
		return err
	}
	if fault == FaultWrongReceipt {
		h.faulted(fault)
		c.Response().SetBodyString(wrongReceipt)
		return nil
	}
	if id, ok := c.Locals(messageIDKey{}).(uint64); ok {
		h.delivered(id)
	}
	return nil
}

// messageIDKey keys the MESSAGE_ID the application leaves in the request's
// locals. The notification itself is recycled once the middleware returns,
// before inject knows whether it was acknowledged.
type messageIDKey struct{}

// application is the merchant's work: it takes Latency. It leaves the
// notification's MESSAGE_ID for inject; one that is not numeric is left
// as 0.
func (h *handler) application(c *fiber.Ctx) error {
	if h.ep.Latency > 0 {
		time.Sleep(h.ep.Latency)
	}
	id, _ := strconv.ParseUint(receiver.FromFiber(c).MessageID, 10, 64)
	c.Locals(messageIDKey{}, id)
	return nil
}

// reject reports a request the middleware refused and answers it the
// middleware's default way.
func (h *handler) reject(c *fiber.Ctx, err error) error {
	h.stream.Emit(Record{Kind: Rejected, Endpoint: h.index, Status: receiver.StatusCode(err)})
	return receiver.DefaultErrorHandler(c, err)
}

func (h *handler) faulted(fault string) {
	h.stream.Emit(Record{Kind: Faulted, Endpoint: h.index, Fault: fault})
}

// delivered reports an acknowledged notification.
func (h *handler) delivered(id uint64) {
	h.stream.Emit(Record{Kind: Delivered, Endpoint: h.index, MessageID: id, At: time.Now().UnixNano()})
}

// reset makes the server's close of conn a TCP reset (linger 0) rather
// than a FIN; the server hands conn over instead of answering (a hijack
// without response) and closes it after.
func reset(conn net.Conn) {
	if u, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
		conn = u.UnsafeConn()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
}

// orDefault returns d, or def when d is zero.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
