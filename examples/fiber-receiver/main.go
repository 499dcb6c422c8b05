// Command fiber-receiver is a minimal 2Checkout (Verifone) IPN and LCN
// endpoint on Fiber v2, ready to copy into a merchant's application.
//
// Run it with the secret key from Control Panel → Integrations → Webhooks &
// API, then enter http(s)://your-host/2checkout as the IPN and LCN URL:
//
//	TCO_SECRET_KEY='…' ADDR=:8080 go run ./examples/fiber-receiver
//
// The receiver middleware answers the platform's GET URL check, verifies
// every POST (strongest signature present; MD5-only refused), hands each
// notification to the handler below once, and answers the read receipt
// when the handler returns nil. Retries of handled notifications are
// acknowledged without calling the handler again.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		logger.Error("receiver stopped", "err", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger) error {
	secret := os.Getenv("TCO_SECRET_KEY")
	if secret == "" {
		return errors.New("set TCO_SECRET_KEY to the merchant secret key")
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}

	app := newApp([]byte(secret), logger)

	// Stop gracefully on Ctrl-C or SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = app.ShutdownWithTimeout(10 * time.Second)
	}()
	logger.Info("listening", "addr", addr)
	return app.Listen(addr)
}

// newApp returns the Fiber app serving notifications on /2checkout.
func newApp(secret []byte, logger *slog.Logger) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		BodyLimit:             receiver.DefaultMaxBodySize, // notifications are a few KB
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
	})
	app.All("/2checkout", receiver.New(receiver.Config{
		// While rotating keys, list the new key first and the old one after.
		Secrets: [][]byte{secret},
		Logger:  logger,
	}), handle(logger))
	return app
}

// handle is the application: it runs once per notification. Returning an
// error (or a non-2xx status) sends no receipt, so the platform retries
// later and the retry is handled again.
func handle(logger *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		n := receiver.FromFiber(c) // verified; owns its memory, safe to keep
		switch n.Kind {
		case signer.KindIPN:
			status, _ := n.Get("ORDERSTATUS")
			refno, _ := n.Get("REFNO")
			// Update the order identified by refno here.
			logger.Info("order notification", "message_id", n.MessageID, "refno", refno, "status", status)
		case signer.KindLCN:
			reason, _ := n.Get("DISPATCH_REASON")
			// Update the subscription (LICENSE_CODE) here. Never log the
			// customer's personal data or license codes.
			logger.Info("subscription notification", "message_id", n.MessageID, "reason", reason)
		}
		return nil // the middleware answers the read receipt
	}
}
