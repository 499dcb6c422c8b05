package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/lcngw/lcngw/receiver/endpoint"
	"github.com/lcngw/lcngw/templates"
)

func init() {
	register("receive", "run a reference merchant endpoint: verify, answer receipts, write JSON lines", runReceive)
}

func runReceive(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("receive", stdio)
	var sec secretFlags
	sec.register(fl, true)
	var o endpoint.Options
	fl.StringVar(&o.Listen, "listen", endpoint.DefaultListen, "listen address for notifications (every path)")
	out := fl.String("out", "-", "append accepted notifications as JSON lines to this file (-: stdout)")
	fl.StringVar(&o.ForwardURL, "forward", "", "also POST each accepted notification as JSON to this URL")
	fl.StringVar(&o.AdminListen, "admin", "", "admin listen address for /metrics, /livez, /readyz (empty: none)")
	var pf policyFlags
	pf.register(fl)
	receipt := fl.String("receipt", "auto", "receipt form: auto (strongest verified), epayment, sha256, sha3-256")
	fl.IntVar(&o.MaxBodySize, "max-body", 0, "largest accepted body in bytes (default 1 MiB)")
	fl.BoolVar(&o.RecordDuplicates, "record-duplicates", false, "also write retried notifications (marked duplicate)")
	logFormat := fl.String("log-format", "text", "log format on stderr: text or json")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	var err error
	if o.Secrets, err = sec.keys(); err != nil {
		return fail(stdio, "receive", exitInvalid, err)
	}
	if o.Policy, err = pf.policy(); err != nil {
		return fail(stdio, "receive", exitInvalid, err)
	}
	if o.ReceiptFormat, err = templates.ParseReceiptFormat(*receipt); err != nil {
		return fail(stdio, "receive", exitInvalid, fmt.Errorf("--receipt: %w", err))
	}
	if o.MaxBodySize < 0 {
		return fail(stdio, "receive", exitInvalid, fmt.Errorf("--max-body must be a positive number of bytes (0: the default, 1 MiB), not %d", o.MaxBodySize))
	}
	if *logFormat != "text" && *logFormat != "json" {
		return fail(stdio, "receive", exitInvalid, fmt.Errorf("--log-format must be text or json, not %q", *logFormat))
	}
	w, closeOut, err := openOut(*out, stdio.Out)
	if err != nil {
		return fail(stdio, "receive", exitInvalid, err)
	}
	defer closeOut()
	o.Out = w
	o.Registry = newRegistry() // with the Go and process collectors, as serve's
	o.Logger = slog.New(slog.NewTextHandler(stdio.Err, nil))
	if *logFormat == "json" {
		o.Logger = slog.New(slog.NewJSONHandler(stdio.Err, nil))
	}
	o.Logger.Info("receiving notifications", "listen", o.Listen, "admin", o.AdminListen, "keys", len(o.Secrets))
	if err := endpoint.Run(ctx, o); err != nil {
		return fail(stdio, "receive", exitFailed, err)
	}
	return exitOK
}

// openOut opens the JSON-lines output: "-" is stdout, anything else a file
// opened for appending.
func openOut(path string, stdout io.Writer) (io.Writer, func(), error) {
	if path == "-" || path == "" {
		return stdout, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--out: %w", err)
	}
	return f, func() { f.Close() }, nil
}
