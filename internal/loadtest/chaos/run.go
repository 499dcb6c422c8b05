package chaos

import (
	"context"
	"fmt"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Result is the outcome of a scenario.
type Result struct {
	Scenario string `json:"scenario"`
	// Passed is true when no notification was lost and the scenario's own
	// checks held (Failures says which did not).
	Passed bool `json:"passed"`
	// Accounting counts events sent, notifications delivered, duplicated,
	// dead-lettered and lost.
	loadtest.Accounting
	// RetryRecords counts the records written to the retry tiers:
	// scheduled retries, hand-offs of a saturated endpoint and moves
	// between tiers.
	RetryRecords int64 `json:"retry_records"`
	// Disruptions are the faults injected into the processes, in order.
	Disruptions []Disruption `json:"disruptions,omitempty"`
	// Slow compares the healthy endpoints with and without a slow one.
	Slow *SlowComparison `json:"slow_endpoint,omitempty"`
	// CPU is each component's use over the whole run.
	CPU map[string]loadtest.Usage `json:"cpu"`
	// Findings are worth knowing but do not fail the scenario; Failures do.
	Findings []string         `json:"findings,omitempty"`
	Failures []string         `json:"failures,omitempty"`
	Seconds  float64          `json:"seconds"`
	Machine  loadtest.Machine `json:"machine"`
	Command  string           `json:"command"`
}

// Disruption is one fault injected into a process.
type Disruption struct {
	// At is when it happened, in seconds since publication started.
	At float64 `json:"at_s"`
	// What happened; Recovery is how long until the process was back
	// (seconds; for the gateway: ready, its consumer groups joined), and
	// Resumed how long until the next notification was delivered after
	// that (-1: none was, as everything had been delivered).
	What     string  `json:"what"`
	Recovery float64 `json:"recovery_s"`
	Resumed  float64 `json:"deliveries_resumed_s"`
	Err      string  `json:"error,omitempty"`
}

// plan is what a scenario runs.
type plan struct {
	topo     *loadtest.Topology
	settings loadtest.GatewaySettings
	mixed    loadtest.Mixed
	persist  bool
	// sourceMaxBytes raises the source topics' record limit (0: default).
	sourceMaxBytes int
}

// runState is a scenario's harness with its bookkeeping.
type runState struct {
	h      *loadtest.Harness
	o      Options
	start  time.Time
	before loadtest.Snapshot
	res    *Result
}

// begin starts the harness and the gateway.
func begin(ctx context.Context, o Options, p plan) (*runState, error) {
	h, err := loadtest.Start(ctx, loadtest.Options{Launcher: o.Launcher, Dir: o.Dir, Topology: p.topo,
		Mixed: p.mixed, Mix: 0.5, Partitions: 4, Settings: p.settings, Persist: p.persist, Seed: o.Seed,
		SourceMaxBytes: p.sourceMaxBytes, Progress: o.Progress})
	if err != nil {
		return nil, err
	}
	if err := h.StartGateway(ctx); err != nil {
		h.Close()
		return nil, err
	}
	return &runState{h: h, o: o, start: time.Now(), before: h.Snapshot(), res: &Result{}}, nil
}

// publish produces every event at rate while disrupt runs, and waits for
// both.
func (r *runState) publish(ctx context.Context, rate float64, disrupt func(context.Context)) error {
	r.start = time.Now()
	produced := r.h.Produce(ctx, loadtest.ProduceOptions{Rate: rate})
	if disrupt != nil {
		disrupt(ctx)
	}
	return <-produced
}

// at waits until d after publication started; false if ctx ended.
func (r *runState) at(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Until(r.start.Add(d))):
		return true
	}
}

// disrupt records a disruption: what did it, and recover brings the
// process back.
func (r *runState) disrupt(what string, do func(), recover func() error) {
	began := time.Now()
	at := began.Sub(r.start).Seconds()
	do()
	t := time.Now()
	d := Disruption{At: round(at), What: what}
	if err := recover(); err != nil {
		d.Err = err.Error()
		r.fail("%s: %v", what, err)
	}
	d.Recovery = round(time.Since(t).Seconds())
	d.Resumed = r.resumed(time.Now(), began)
	r.res.Disruptions = append(r.res.Disruptions, d)
}

// resumed waits (up to a minute) for a delivery after back and returns
// its time since the disruption, or -1 when none came because everything
// was delivered.
func (r *runState) resumed(back, disrupted time.Time) float64 {
	deadline := back.Add(time.Minute)
	for time.Now().Before(deadline) {
		if last := r.h.Collector.Counts().Last; last > back.UnixNano() {
			return round(time.Unix(0, last).Sub(disrupted).Seconds())
		}
		if r.h.Settled() {
			return -1
		}
		time.Sleep(10 * time.Millisecond)
	}
	return -1
}

// finish waits for every notification, stops the gateway, accounts and
// closes the harness.
func (r *runState) finish(ctx context.Context) *Result {
	defer r.h.Close()
	if err := r.ensureGateway(ctx); err != nil {
		r.fail("gateway: %v", err)
	}
	if err := r.h.WaitSettled(ctx, r.o.Timeout); err != nil {
		r.fail("%v", err)
	}
	after := r.h.Snapshot()
	if _, err := r.h.GatewayProc.Current().Stop(30 * time.Second); err != nil {
		r.fail("final shutdown: %v", err)
	}
	acc, err := r.h.Account(ctx, 20*time.Second)
	if err != nil {
		r.fail("%v", err)
	}
	r.res.Accounting = acc
	r.res.CPU = loadtest.UsageBetween(r.before, after)
	if r.res.RetryRecords, err = r.h.RetryRecords(ctx); err != nil {
		r.fail("retry tiers: %v", err)
	}
	if acc.Lost > 0 {
		r.fail("%d notification(s) lost", acc.Lost)
	}
	if acc.PoisonMissing > 0 {
		r.fail("%d poison event(s) not dead-lettered", acc.PoisonMissing)
	}
	if acc.Rejected["403"] > 0 {
		r.fail("%d notification(s) failed signature verification", acc.Rejected["403"])
	}
	return r.res
}

// ensureGateway starts the gateway again if it exited on its own, which
// is itself a failure.
func (r *runState) ensureGateway(ctx context.Context) error {
	ch := r.h.GatewayProc.Current()
	select {
	case <-ch.Done():
		r.fail("the gateway exited on its own: %v", ch.Err())
		return r.h.StartGateway(ctx)
	default:
		return nil
	}
}

func (r *runState) fail(format string, args ...any) {
	r.res.Failures = append(r.res.Failures, fmt.Sprintf(format, args...))
}

func (r *runState) note(format string, args ...any) {
	r.res.Findings = append(r.res.Findings, fmt.Sprintf(format, args...))
}

func round(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
