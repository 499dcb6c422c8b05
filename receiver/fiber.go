package receiver

import (
	"github.com/gofiber/fiber/v2"
)

type localsKey struct{}

// New returns the Fiber middleware. It answers GET and HEAD with 200 (the
// platform's URL check) and other non-POST methods with 405; for a POST it
// verifies the notification, stores it for FromFiber, runs
// SuccessHandler (by default the next handler) once per notification, and
// answers the read receipt when that succeeds. Retries of a notification
// already handled are answered with a receipt without running it again.
// A rejected request goes to ErrorHandler and gets no receipt.
//
// The body is read raw (Content-Encoding other than identity is refused, so
// nothing is decompressed); the Fiber app's own BodyLimit applies first.
// New panics if the config has neither Secrets nor Keys.
func New(config ...Config) fiber.Handler {
	cfg := configDefault(config...)
	e := newEngine(cfg)
	return func(c *fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		probe, err := e.precheck(c.Method(), c.Get(fiber.HeaderContentEncoding))
		switch {
		case err != nil:
			return cfg.ErrorHandler(c, err)
		case probe:
			c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
			return c.Status(fiber.StatusOK).SendString("OK")
		}
		return e.serve(c.UserContext(), c.Request().Body(), nil, fiberExchange{c})
	}
}

// FromFiber returns the notification the middleware stored in c, or nil.
func FromFiber(c *fiber.Ctx) *Notification {
	n, _ := c.Locals(localsKey{}).(*Notification)
	return n
}

// fiberExchange adapts a *fiber.Ctx to the engine. Being one pointer, it
// converts to the exchange interface without allocating.
type fiberExchange struct{ c *fiber.Ctx }

func (x fiberExchange) handle(cfg *Config, n *Notification) (bool, error) {
	x.c.Locals(localsKey{}, n)
	err := cfg.SuccessHandler(x.c)
	status := x.c.Response().StatusCode()
	return err == nil && status >= 200 && status < 300, err
}

// receipt answers the receipt with status 200: as the whole body, or after
// what the handler wrote (the platform finds the receipt anywhere).
func (x fiberExchange) receipt(n *Notification) {
	resp := x.c.Response()
	resp.SetStatusCode(fiber.StatusOK)
	if len(resp.Body()) == 0 {
		resp.Header.SetContentType(fiber.MIMETextHTMLCharsetUTF8)
		resp.SetBodyString(n.receipt)
		return
	}
	resp.AppendBodyString("\n")
	resp.AppendBodyString(n.receipt)
}

func (x fiberExchange) reject(cfg *Config, err error) error { return cfg.ErrorHandler(x.c, err) }
