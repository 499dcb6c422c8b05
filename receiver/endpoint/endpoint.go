// Package endpoint is the reference merchant endpoint: a Fiber server that
// verifies IPN and LCN notifications with the receiver middleware, answers
// read receipts, appends every accepted notification as one JSON line to a
// writer, optionally forwards it as JSON to another URL, and exposes
// /metrics, /livez and /readyz on an admin address.
package endpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/admin"
	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Defaults of Options.
const (
	DefaultListen          = ":8080"
	DefaultForwardTimeout  = 10 * time.Second
	DefaultShutdownTimeout = 10 * time.Second
)

// Options configures Run. Secrets or Keys is required.
type Options struct {
	// Listen is the notification listen address. Default: DefaultListen.
	Listen string
	// Listener, when set, is used instead of Listen (Run closes it).
	Listener net.Listener
	// Secrets are the secret keys, tried in order (key rotation).
	Secrets [][]byte
	// Keys maps VENDOR_CODE → secrets, for endpoints serving several
	// merchants; vendor codes not in it use Secrets.
	Keys map[string][][]byte
	// Policy decides which signatures are required (zero: strongest
	// present, MD5-only rejected).
	Policy signer.Policy
	// ReceiptFormat is the read-receipt form (zero: strongest verified).
	ReceiptFormat templates.ReceiptFormat
	// MaxBodySize bounds request bodies. Default: receiver.DefaultMaxBodySize.
	MaxBodySize int
	// Out receives one JSON line per accepted notification (see Record);
	// nil writes nothing.
	Out io.Writer
	// RecordDuplicates also writes retries of handled notifications to Out,
	// with "duplicate":true (they are never forwarded).
	RecordDuplicates bool
	// ForwardURL, when set, receives every accepted notification as a JSON
	// POST (one Record); a failed forward (transport error or non-2xx)
	// fails the request, so no receipt is sent and the platform retries.
	ForwardURL string
	// ForwardTimeout bounds one forward. Default: DefaultForwardTimeout.
	ForwardTimeout time.Duration
	// Client forwards; it must not follow redirects blindly. Default: a
	// client with ForwardTimeout that does not follow redirects.
	Client *http.Client
	// Store is the duplicate store. Default: an in-memory store.
	Store receiver.Store
	// AdminListen, when set, serves /metrics, /livez and /readyz there.
	AdminListen string
	// AdminListener, when set, is used instead of AdminListen.
	AdminListener net.Listener
	// Logger receives operational logs (identifiers and outcomes, never
	// field values or secrets). Default: a logger that discards.
	Logger *slog.Logger
	// Registry receives the receiver metrics and is served on /metrics.
	// Default: a new registry.
	Registry *prometheus.Registry
	// ShutdownTimeout bounds the graceful shutdown of each listener.
	// Default: DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
}

// Run serves notifications until ctx is cancelled, then shuts down
// gracefully within ShutdownTimeout. It returns nil after a clean
// shutdown.
func Run(ctx context.Context, opts Options) error {
	opts, err := withDefaults(opts)
	if err != nil {
		return err
	}
	metrics, err := receiver.NewMetrics(opts.Registry)
	if err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	app := newApp(opts, newRecorder(opts), metrics)
	ln := opts.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", opts.Listen); err != nil {
			return fmt.Errorf("endpoint: listen: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(ctx) // also stops the admin listener if serving fails
	defer cancel()
	var serving atomic.Bool
	adminDone, err := startAdmin(ctx, opts, &serving)
	if err != nil {
		ln.Close()
		return err
	}
	opts.Logger.Info("receiver listening", slog.String("addr", ln.Addr().String()))
	served := make(chan error, 1)
	serving.Store(true)
	go func() { served <- app.Listener(ln) }()
	var serveErr error
	select {
	case serveErr = <-served:
		serveErr = fmt.Errorf("endpoint: serve: %w", serveErr)
	case <-ctx.Done():
	}
	serving.Store(false)
	cancel()
	return errors.Join(serveErr, shutdown(app, opts.ShutdownTimeout), <-adminDone)
}

func withDefaults(opts Options) (Options, error) {
	if len(opts.Secrets) == 0 && len(opts.Keys) == 0 {
		return opts, errors.New("endpoint: no secret key configured")
	}
	if opts.ForwardURL != "" {
		u, err := url.Parse(opts.ForwardURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return opts, errors.New("endpoint: forward URL must be an absolute http(s) URL")
		}
	}
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.MaxBodySize <= 0 {
		opts.MaxBodySize = receiver.DefaultMaxBodySize
	}
	if opts.ForwardTimeout <= 0 {
		opts.ForwardTimeout = DefaultForwardTimeout
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = DefaultShutdownTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	return opts, nil
}

// newApp builds the Fiber app: the receiver middleware on every path, with
// the recorder as the application.
func newApp(opts Options, rec *recorder, metrics *receiver.Metrics) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		BodyLimit:             opts.MaxBodySize,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		ErrorHandler:          errorHandler(metrics),
	})
	fallback := receiver.NewKeyring(opts.Secrets...)
	app.Use(receiver.New(receiver.Config{
		SuccessHandler: rec.handle,
		Keys:           receiver.KeyMap(opts.Keys, fallback),
		Policy:         opts.Policy,
		ReceiptFormat:  opts.ReceiptFormat,
		MaxBodySize:    opts.MaxBodySize,
		Store:          opts.Store,
		PassDuplicates: opts.RecordDuplicates,
		// The recorder is done with a notification when it returns.
		ReuseNotifications: true,
		Logger:             opts.Logger,
		Observer:           metrics,
	}))
	return app
}

// errorHandler answers errors the middleware did not (the server's own
// 413 for bodies over BodyLimit, application failures) in text/plain,
// counting the 413 as a too_large verification.
func errorHandler(metrics *receiver.Metrics) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		code, msg := fiber.StatusInternalServerError, "internal error"
		var fe *fiber.Error
		if errors.As(err, &fe) {
			code, msg = fe.Code, fe.Message
		}
		if code == fiber.StatusRequestEntityTooLarge {
			metrics.Observe(receiver.Outcome{Result: receiver.ResultTooLarge})
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(code).SendString(msg)
	}
}

// startAdmin serves the admin listener when configured; the returned
// channel yields its result after ctx is cancelled.
func startAdmin(ctx context.Context, opts Options, serving *atomic.Bool) (<-chan error, error) {
	done := make(chan error, 1)
	ln := opts.AdminListener
	if ln == nil && opts.AdminListen == "" {
		done <- nil
		return done, nil
	}
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", opts.AdminListen); err != nil {
			return nil, fmt.Errorf("endpoint: admin listen: %w", err)
		}
	}
	srv := admin.New(admin.Config{Gatherer: opts.Registry, Logger: opts.Logger, ShutdownTimeout: opts.ShutdownTimeout})
	srv.AddCheck("receiver", func(context.Context) error {
		if !serving.Load() {
			return errors.New("not serving")
		}
		return nil
	})
	opts.Logger.Info("admin listening", slog.String("addr", ln.Addr().String()))
	go func() { done <- srv.Serve(ctx, ln) }()
	return done, nil
}

func shutdown(app *fiber.App, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := app.ShutdownWithContext(ctx); err != nil {
		return fmt.Errorf("endpoint: shutdown after %s: %w", timeout, err)
	}
	return nil
}
