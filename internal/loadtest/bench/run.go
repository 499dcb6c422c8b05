package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Run measures the gateway: the ceiling, then a run at Rate (flat out by
// default), then, with HalfRate, a run at half the first run's delivered
// rate. Each run uses fresh processes.
func Run(ctx context.Context, opts Options) (*Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	rep := &Report{Machine: loadtest.ThisMachine(), Command: o.Command, Settings: settingsOf(o),
		Started: time.Now().UTC().Format(time.RFC3339)}
	first, ceiling, err := runOnce(ctx, o, o.Rate, true)
	if err != nil {
		return nil, err
	}
	rep.Result, rep.Ceiling = first, ceiling
	rep.Result.finish(ceiling)
	if o.HalfRate && first.DeliveredPerSec > 0 {
		o.CPUProfile, o.Trace, o.Backlog = "", "", false
		half, _, err := runOnce(ctx, o, first.DeliveredPerSec/2/float64(o.Endpoints), false)
		if err != nil {
			return rep, fmt.Errorf("bench: half-rate run: %w", err)
		}
		half.finish(ceiling)
		rep.HalfRate = &half
	}
	if o.CompareAttemptLog {
		bare := o
		bare.CPUProfile, bare.Trace, bare.noAttemptLog = "", "", true
		r, _, err := runOnce(ctx, bare, o.Rate, false)
		if err != nil {
			return rep, fmt.Errorf("bench: run without the attempt log: %w", err)
		}
		r.Mode += ", no attempt log"
		r.finish(ceiling)
		rep.NoAttemptLog = &r
	}
	rep.Targets = targets(rep)
	return rep, nil
}

// runOnce starts a stack, measures the ceiling if asked, and runs the
// gateway over every event at rate (0: flat out).
func runOnce(ctx context.Context, o Options, rate float64, ceiling bool) (Result, *loadtest.CeilingResult, error) {
	topo, err := o.topology()
	if err != nil {
		return Result{}, nil, err
	}
	say(o.Progress, "starting the broker and %d endpoint(s)", o.Merchants*o.Endpoints)
	h, err := loadtest.Start(ctx, loadtest.Options{Launcher: o.Launcher, Dir: o.Dir, Topology: topo,
		Mixed: loadtest.Mixed{Good: o.Events}, Mix: o.Mix, Partitions: o.Partitions, Settings: o.settings(),
		RetentionBytes: o.RetentionBytes, BrokerProcs: o.BrokerProcs, KafkaTLS: o.KafkaTLS, UseServe: o.UseServe, CPUProfile: o.CPUProfile, Trace: o.Trace, Progress: o.Progress})
	if err != nil {
		return Result{}, nil, err
	}
	defer h.Close()
	var c *loadtest.CeilingResult
	if ceiling && o.CeilingDuration > 0 {
		if c, err = measureCeiling(ctx, h, o); err != nil {
			return Result{}, nil, err
		}
	}
	r, err := measure(ctx, h, o, rate)
	return r, c, err
}

// ceilingAttempts bounds how often the ceiling is measured again when
// other processes took CPU during the measurement.
const ceilingAttempts = 3

// measureCeiling measures the bare signing sender, again when other
// processes disturbed it, and keeps the least disturbed measurement.
func measureCeiling(ctx context.Context, h *loadtest.Harness, o Options) (*loadtest.CeilingResult, error) {
	var best *loadtest.CeilingResult
	for attempt := 1; attempt <= ceilingAttempts; attempt++ {
		quiet(ctx, h, o)
		say(o.Progress, "measuring the ceiling: a bare signing sender for %v", o.CeilingDuration)
		res, err := h.Ceiling(ctx, loadtest.CeilingOptions{Duration: o.CeilingDuration, Warmup: time.Second,
			Concurrency: o.Concurrency})
		if err != nil {
			return nil, err
		}
		other := res.Usage[loadtest.CompOther].Cores
		say(o.Progress, "ceiling: %.0f notifications/s (%d failures; other processes %.2f cores)", res.PerSec, res.Failures, other)
		if best == nil || other < best.Usage[loadtest.CompOther].Cores {
			best = &res
		}
		if other <= QuietCores || o.QuietWait <= 0 {
			break
		}
	}
	return best, nil
}

// measure runs the gateway over the events and accounts for every
// notification.
func measure(ctx context.Context, h *loadtest.Harness, o Options, rate float64) (Result, error) {
	r := Result{Mode: mode(o, rate), TargetRate: rate}
	if o.Backlog {
		say(o.Progress, "publishing the backlog of %d events", o.Events)
		if err := <-h.Produce(ctx, loadtest.ProduceOptions{}); err != nil {
			return r, err
		}
	}
	r.OtherLoad = quiet(ctx, h, o)
	say(o.Progress, "starting the gateway")
	if err := h.StartGateway(ctx); err != nil {
		return r, err
	}
	before := h.Snapshot()
	var produced <-chan error
	if o.Backlog {
		done := make(chan error, 1)
		done <- nil
		produced = done
	} else {
		say(o.Progress, "publishing %d events (%s)", o.Events, r.Mode)
		produced = h.Produce(ctx, loadtest.ProduceOptions{Rate: rate})
	}
	settleErr := h.WaitSettled(ctx, o.Timeout)
	after := h.Snapshot()
	commit, commitErr := h.WaitCommitted(ctx, 15*time.Second)
	say(o.Progress, "stopping the gateway")
	_, stopErr := h.GatewayProc.Current().Stop(30 * time.Second)
	if err := <-produced; err != nil && settleErr == nil {
		settleErr = err
	}
	acc, accErr := h.Account(ctx, 15*time.Second)
	r.fill(h, acc, before, after)
	var retryErr error
	r.RetryRecords, retryErr = h.RetryRecords(ctx)
	r.Committed, r.CommitMS = commitErr == nil, float64(commit.Milliseconds())
	r.Errors = errorTexts(settleErr, commitErr, stopErr, accErr, retryErr)
	return r, nil
}

// QuietCores is the load of other processes below which the machine counts
// as quiet.
const QuietCores = 0.15

// quiet waits for a quiet machine when asked and returns the other
// processes' load (cores) it measured last.
func quiet(ctx context.Context, h *loadtest.Harness, o Options) float64 {
	if o.QuietWait <= 0 {
		return 0
	}
	load, ok := h.WaitQuiet(ctx, o.QuietWait, QuietCores)
	if !ok {
		say(o.Progress, "the machine is busy: other processes use %.2f cores; measuring anyway", load)
	}
	return round3(load)
}

func mode(o Options, rate float64) string {
	switch {
	case o.Backlog:
		return "backlog"
	case rate > 0:
		return fmt.Sprintf("paced %.0f events/s", rate)
	}
	return "flat out"
}

func errorTexts(errs ...error) []string {
	var out []string
	for _, err := range errs {
		if err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

// say prints a progress line.
func say(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "bench: "+format+"\n", args...)
	}
}
