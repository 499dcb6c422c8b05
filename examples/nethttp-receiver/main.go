// Command nethttp-receiver is the net/http twin of fiber-receiver: a
// minimal 2Checkout (Verifone) IPN and LCN endpoint on the standard
// library, ready to copy.
//
//	TCO_SECRET_KEY='…' ADDR=:8080 go run ./examples/nethttp-receiver
//
// Enter http(s)://your-host/2checkout as the IPN and LCN URL.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

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

	srv := &http.Server{Addr: addr, Handler: newHandler([]byte(secret), logger),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	logger.Info("listening", "addr", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler serves notifications on /2checkout.
func newHandler(secret []byte, logger *slog.Logger) http.Handler {
	verify := receiver.Middleware(receiver.Config{
		Secrets: [][]byte{secret}, // new key first, old key after, while rotating
		Logger:  logger,
	})
	mux := http.NewServeMux()
	mux.Handle("/2checkout", verify(handle(logger)))
	return mux
}

// handle is the application: it runs once per notification. Answering a
// non-2xx status sends no receipt, so the platform retries later; writing
// nothing (or a 200 body) lets the middleware add the receipt.
func handle(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := receiver.FromContext(r.Context()) // verified; owns its memory
		switch n.Kind {
		case signer.KindIPN:
			status, _ := n.Get("ORDERSTATUS")
			// Update the order (REFNO) here.
			logger.Info("order notification", "message_id", n.MessageID, "status", status)
		case signer.KindLCN:
			reason, _ := n.Get("DISPATCH_REASON")
			// Update the subscription here; never log personal data.
			logger.Info("subscription notification", "message_id", n.MessageID, "reason", reason)
		}
	})
}
