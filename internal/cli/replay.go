package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
)

func init() {
	register("replay", "re-enqueue dead letters (deliveries to the retry path, events to their topic)", runReplay)
	register("check-endpoint", "GET a URL as 2Checkout does when a merchant saves it (must answer 200)", runCheckEndpoint)
}

// timeFlag parses RFC 3339 times or dates (YYYY-MM-DD, midnight UTC).
func timeFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
	}
	return t, nil
}

func runReplay(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("replay", stdio)
	var cf configFlags
	cf.register(fl)
	merchant := fl.String("merchant", "", "only dead letters of this vendor code")
	since := fl.String("since", "", "only dead letters that failed at or after this time (RFC 3339 or YYYY-MM-DD)")
	until := fl.String("until", "", "only dead letters that failed before this time")
	dry := fl.Bool("dry-run", false, "count what would be replayed; write nothing")
	includeReplayed := fl.Bool("include-replayed", false, "also replay dead letters an earlier replay wrote back")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	opts := gateway.ReplayOptions{Merchant: *merchant, DryRun: *dry, Progress: stdio.Err, IncludeReplayed: *includeReplayed}
	var err error
	if opts.Since, err = timeFlag(*since); err != nil {
		return fail(stdio, "replay", exitInvalid, fmt.Errorf("--since: %w", err))
	}
	if opts.Until, err = timeFlag(*until); err != nil {
		return fail(stdio, "replay", exitInvalid, fmt.Errorf("--until: %w", err))
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && !opts.Since.Before(opts.Until) {
		return fail(stdio, "replay", exitInvalid, fmt.Errorf("--since (%s) must be before --until (%s)", *since, *until))
	}
	cfg, err := cf.load()
	if err != nil {
		return fail(stdio, "replay", exitInvalid, err)
	}
	gw, _, err := instrumentedGateway(cfg, prometheus.NewRegistry(), newLogger(cfg, stdio), nil)
	if err != nil {
		return fail(stdio, "replay", exitInvalid, err)
	}
	conn, err := connectKafka(ctx, cfg)
	if err != nil {
		return fail(stdio, "replay", exitFailed, err)
	}
	if err := conn.Authorize(ctx, replayNeeds(cfg, gw)); err != nil {
		return fail(stdio, "replay", exitFailed, err)
	}
	sum, err := gw.Replay(ctx, opts)
	fmt.Fprintln(stdio.Out, sum)
	if err != nil {
		return fail(stdio, "replay", exitFailed, err)
	}
	return exitOK
}

func runCheckEndpoint(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("check-endpoint", stdio)
	loopback := fl.Bool("allow-loopback", false, "allow loopback addresses (local testing); other internal addresses stay refused")
	timeout := fl.Duration("timeout", 10*time.Second, "total timeout")
	url, code, ok := parseWithOneArg(fl, args)
	if !ok {
		if code == exitInvalid {
			fmt.Fprintln(stdio.Err, "usage: lcngw check-endpoint [--allow-loopback] [--timeout D] URL")
		}
		return code
	}
	if *timeout <= 0 {
		return fail(stdio, "check-endpoint", exitInvalid, fmt.Errorf("--timeout must be positive, not %s", *timeout))
	}
	client := delivery.NewClient(delivery.ClientConfig{Timeout: *timeout, Guard: delivery.Guard{AllowLoopback: *loopback}})
	if err := client.Check(ctx, url); err != nil {
		var blocked *delivery.BlockedError
		if errors.As(err, &blocked) && blocked.Addr.IsLoopback() {
			err = fmt.Errorf("%w (to check an endpoint on this machine, add --allow-loopback)", err)
		}
		return fail(stdio, "check-endpoint", exitFailed, err)
	}
	fmt.Fprintln(stdio.Out, "OK: the endpoint answers GET with 200")
	return exitOK
}

// parseWithOneArg parses flags given before or after the one positional
// argument and returns it; the exit code applies when parsing failed.
func parseWithOneArg(fl *flag.FlagSet, args []string) (string, int, bool) {
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitInvalid, false
	}
	if fl.NArg() == 0 {
		return "", exitInvalid, false
	}
	arg := fl.Arg(0)
	if err := fl.Parse(fl.Args()[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitInvalid, false
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(fl.Output(), "%s: unexpected arguments: %s\n", fl.Name(), strings.Join(fl.Args(), " "))
		return "", exitInvalid, false
	}
	return arg, 0, true
}
