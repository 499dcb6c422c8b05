package receiver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/lcngw/lcngw/internal/formdecode"
	"github.com/lcngw/lcngw/signer"
)

// engine is the framework-neutral core shared by the Fiber and net/http
// adapters: method and encoding checks, decoding, verification, receipt,
// duplicate detection, observation and logging.
type engine struct {
	cfg           Config
	scratch       sync.Pool // of *scratch
	notifications sync.Pool // of *Notification, with Config.ReuseNotifications
	dates         dateCache
}

// scratch is the per-request working memory, pooled.
type scratch struct {
	dec     formdecode.Decoder[signer.Field]
	receipt []byte
}

// exchange is what an adapter provides for one request.
type exchange interface {
	// handle runs the application with n and reports whether it succeeded
	// (no error and a 2xx status) and the error to pass up, if any.
	handle(cfg *Config, n *Notification) (ok bool, err error)
	// receipt writes n's read receipt with status 200.
	receipt(n *Notification)
	// reject answers a rejected request through the error handler.
	reject(cfg *Config, err error) error
}

func newEngine(cfg Config) *engine {
	e := &engine{cfg: cfg}
	e.scratch.New = func() any { return &scratch{dec: formdecode.Decoder[signer.Field]{MaxFields: cfg.MaxFields}} }
	e.notifications.New = func() any { return new(Notification) }
	return e
}

// precheck classifies a request before its body is read: it reports
// whether it is a URL check (GET or HEAD, answered 200) and rejects other
// methods and encoded bodies.
func (e *engine) precheck(method, contentEncoding string) (probe bool, err error) {
	switch method {
	case "POST":
	case "GET", "HEAD":
		return true, nil
	default:
		return false, ErrMethod
	}
	if contentEncoding != "" && !strings.EqualFold(strings.TrimSpace(contentEncoding), "identity") {
		return false, ErrContentEncoding
	}
	return false, nil
}

// serve runs one POST whose body (or body read error) is given.
func (e *engine) serve(ctx context.Context, body []byte, bodyErr error, x exchange) error {
	start := time.Now()
	var (
		n   *Notification
		o   Outcome
		st  Status
		err = bodyErr
	)
	if err == nil {
		n, o, err = e.verify(body)
	}
	defer func() { e.release(n) }()
	verified := err == nil // o.Result stays ResultValid
	if verified {
		st, err = e.claim(ctx, n)
	}
	if err != nil {
		if !verified {
			o.Result = resultOf(err)
		}
		e.observe(&o, start)
		e.logReject(ctx, o, err)
		return x.reject(&e.cfg, err)
	}
	if st == StatusDone {
		o.Duplicate, n.Duplicate = true, true
		e.logDuplicate(ctx, n)
		if !e.cfg.PassDuplicates {
			x.receipt(n)
			e.observe(&o, start)
			return nil
		}
	}
	err = e.run(ctx, n, st == StatusNew, x)
	e.observe(&o, start)
	return err
}

// run hands n to the application and, on success, answers the receipt.
// A claimed key is committed on success and released on failure or panic.
func (e *engine) run(ctx context.Context, n *Notification, claimed bool, x exchange) error {
	finished := false
	defer func() {
		if claimed && !finished {
			e.finish(ctx, n, false)
		}
	}()
	ok, err := x.handle(&e.cfg, n)
	finished = true
	if claimed {
		e.finish(ctx, n, ok)
	}
	if ok {
		x.receipt(n)
	}
	return err
}

// claim consults the duplicate store.
func (e *engine) claim(ctx context.Context, n *Notification) (Status, error) {
	if n.key == "" {
		return StatusNew, nil
	}
	st, err := e.cfg.Store.Claim(ctx, n.key)
	switch {
	case err != nil:
		return st, fmt.Errorf("%w: %w", ErrStore, err)
	case st == StatusPending:
		return st, ErrInProgress
	}
	return st, nil
}

// finish commits or releases n's claim, detached from the request's
// cancellation. Failures are logged: the response is already decided.
func (e *engine) finish(ctx context.Context, n *Notification, ok bool) {
	if n.key == "" {
		return
	}
	ctx = context.WithoutCancel(ctx)
	op, err := "commit", error(nil)
	if ok {
		err = e.cfg.Store.Commit(ctx, n.key)
	} else {
		op, err = "release", e.cfg.Store.Release(ctx, n.key)
	}
	if err != nil {
		e.cfg.Logger.LogAttrs(ctx, slog.LevelError, "duplicate store failed",
			slog.String("op", op), slog.String("kind", n.Kind.String()),
			slog.String("message_id", n.MessageID), slog.String("err", err.Error()))
	}
}

func (e *engine) observe(o *Outcome, start time.Time) {
	if e.cfg.Observer == nil {
		return
	}
	o.Duration = time.Since(start)
	e.cfg.Observer.Observe(*o)
}

// logReject logs a rejection: result, kind, status and the error, whose
// text names fields and rules but never carries values.
func (e *engine) logReject(ctx context.Context, o Outcome, err error) {
	level := slog.LevelWarn
	switch {
	case errors.Is(err, ErrInProgress):
		level = slog.LevelInfo
	case errors.Is(err, ErrStore):
		level = slog.LevelError
	}
	if !e.cfg.Logger.Enabled(ctx, level) {
		return
	}
	e.cfg.Logger.LogAttrs(ctx, level, "notification rejected",
		slog.String("result", o.Result.String()), slog.String("kind", o.Kind.String()),
		slog.Int("status", StatusCode(err)), slog.String("err", err.Error()))
}

func (e *engine) logDuplicate(ctx context.Context, n *Notification) {
	if !e.cfg.Logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	e.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "duplicate notification acknowledged",
		slog.String("kind", n.Kind.String()), slog.String("message_id", n.MessageID),
		slog.String("vendor_code", n.VendorCode))
}
