package receiver

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Limits of the default configuration.
const (
	// DefaultMaxBodySize bounds the request body (real notifications are
	// a few kilobytes).
	DefaultMaxBodySize = 1 << 20
	// DefaultMaxFields bounds the number of form pairs: room for orders of
	// several hundred products (each adds about 30 array elements), while
	// bounding the decoder's memory per request.
	DefaultMaxFields = 16384
)

// Config configures both adapters: New (Fiber) and Middleware (net/http).
// Secrets or Keys is required.
type Config struct {
	// Next defines a function to skip this middleware (Fiber only).
	// Optional. Default: nil
	Next func(c *fiber.Ctx) bool

	// SuccessHandler defines the function run for a verified notification
	// that is not a retry; the notification is in FromFiber(c). When it
	// returns nil and leaves a 2xx status, the notification is marked
	// handled and the read receipt is written (Fiber only).
	// Optional. Default: func(c *fiber.Ctx) error { return c.Next() }
	SuccessHandler fiber.Handler

	// ErrorHandler defines the function that answers a rejected request
	// (Fiber only). err wraps one of the Err* sentinels.
	// Optional. Default: DefaultErrorHandler
	ErrorHandler fiber.ErrorHandler

	// HTTPErrorHandler is ErrorHandler for the net/http adapter.
	// Optional. Default: DefaultHTTPErrorHandler
	HTTPErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// Secrets defines the secret keys, tried in order (several while a key
	// is rotated), for every vendor code.
	// Required unless Keys is set.
	Secrets [][]byte

	// Keys defines per-merchant keys, chosen by VENDOR_CODE. When it
	// reports a vendor unknown, the request is rejected. When set,
	// Secrets is ignored (give KeyMap a fallback keyring instead).
	// Optional. Default: StaticKeys(NewKeyring(Secrets...))
	Keys KeyFunc

	// Policy defines which signatures must be present. The zero Policy
	// verifies every signature present, answers in the strongest, and
	// rejects notifications signed with MD5 alone.
	// Optional. Default: signer.Policy{}
	Policy signer.Policy

	// ReceiptFormat defines the read-receipt form.
	// Optional. Default: templates.ReceiptAuto (strongest verified)
	ReceiptFormat templates.ReceiptFormat

	// MaxBodySize defines the largest accepted body in bytes (413 above).
	// Optional. Default: DefaultMaxBodySize
	MaxBodySize int

	// MaxFields defines the largest accepted number of form pairs.
	// Optional. Default: DefaultMaxFields
	MaxFields int

	// Store defines the duplicate store.
	// Optional. Default: NewMemoryStore(MemoryStoreConfig{Now: Now})
	Store Store

	// DisableDedupe hands every notification to the application, retries
	// included (Store is then ignored).
	// Optional. Default: false
	DisableDedupe bool

	// PassDuplicates hands retries of handled notifications to the
	// application with Notification.Duplicate set, instead of
	// acknowledging them in the middleware.
	// Optional. Default: false
	PassDuplicates bool

	// ReuseNotifications recycles each Notification, with all its
	// strings, once the request is answered, so that a notification costs
	// no copy and no allocation. The application must then not keep the notification
	// or any of its strings beyond its handler; Notification.Clone makes a
	// copy that may be kept.
	// Optional. Default: false (every Notification owns its memory)
	ReuseNotifications bool

	// Now defines the clock (receipt DATE, ReceivedAt).
	// Optional. Default: time.Now
	Now func() time.Time

	// Logger receives one record per rejected request; it never logs
	// field values or secrets.
	// Optional. Default: a logger that discards
	Logger *slog.Logger

	// Observer receives the outcome of every POST (see Metrics).
	// Optional. Default: nil
	Observer Observer
}

// ConfigDefault is the default config. It has no secrets: New and
// Middleware panic unless Secrets or Keys is set.
var ConfigDefault = Config{
	SuccessHandler:   func(c *fiber.Ctx) error { return c.Next() },
	ErrorHandler:     DefaultErrorHandler,
	HTTPErrorHandler: DefaultHTTPErrorHandler,
	MaxBodySize:      DefaultMaxBodySize,
	MaxFields:        DefaultMaxFields,
	Now:              time.Now,
}

// configDefault fills in defaults and panics on a missing key source or
// an unknown receipt format, programming errors.
func configDefault(config ...Config) Config {
	cfg := ConfigDefault
	if len(config) > 0 {
		cfg = config[0]
	}
	if cfg.SuccessHandler == nil {
		cfg.SuccessHandler = ConfigDefault.SuccessHandler
	}
	if cfg.ErrorHandler == nil {
		cfg.ErrorHandler = ConfigDefault.ErrorHandler
	}
	if cfg.HTTPErrorHandler == nil {
		cfg.HTTPErrorHandler = ConfigDefault.HTTPErrorHandler
	}
	if cfg.MaxBodySize <= 0 {
		cfg.MaxBodySize = ConfigDefault.MaxBodySize
	}
	if cfg.MaxFields <= 0 {
		cfg.MaxFields = ConfigDefault.MaxFields
	}
	if cfg.Now == nil {
		cfg.Now = ConfigDefault.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ReceiptFormat.String() == "unknown" {
		panic("receiver: unknown ReceiptFormat")
	}
	if cfg.Keys == nil {
		kr := NewKeyring(cfg.Secrets...)
		if kr.Len() == 0 {
			panic("receiver: middleware requires Secrets or Keys")
		}
		cfg.Keys = StaticKeys(kr)
	}
	switch {
	case cfg.DisableDedupe:
		cfg.Store = nil
	case cfg.Store == nil:
		cfg.Store = NewMemoryStore(MemoryStoreConfig{Now: cfg.Now})
	}
	return cfg
}

// DefaultErrorHandler answers with StatusCode(err) and the short
// Reason(err) as text/plain, plus an Allow header for ErrMethod.
func DefaultErrorHandler(c *fiber.Ctx, err error) error {
	if StatusCode(err) == http.StatusMethodNotAllowed {
		c.Set(fiber.HeaderAllow, allowedMethods)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(StatusCode(err)).SendString(Reason(err))
}

// DefaultHTTPErrorHandler is DefaultErrorHandler for net/http.
func DefaultHTTPErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	if StatusCode(err) == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", allowedMethods)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(StatusCode(err))
	_, _ = w.Write([]byte(Reason(err)))
}

const allowedMethods = "GET, HEAD, POST"
