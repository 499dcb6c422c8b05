// Package chaos runs the gateway through faults and checks that no
// notification is lost: the gateway killed and restarted, the broker
// restarted, endpoints that fail in every way, one endpoint slow beside
// healthy ones, poison events among good ones, and graceful shutdowns
// under load. Each scenario runs the broker, the gateway and the
// endpoints as separate processes (see loadtest), counts every
// notification acknowledged with a valid receipt and every dead letter,
// and fails when a notification is lost.
package chaos

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Options configures Run. Zero values take each scenario's defaults,
// sized for a quick check (a CI run).
type Options struct {
	// Scenario is one of Names().
	Scenario string
	// Events is the number of good events.
	Events int
	// Poison is the number of poison events (scenario poison).
	Poison int
	// Rate is events per second while faults are injected (0: the
	// scenario's choice, about ten seconds of events).
	Rate float64
	// Timeout bounds waiting for every notification after publication.
	Timeout time.Duration
	// Launcher starts the children; the zero value runs this executable.
	Launcher loadtest.Launcher
	// Dir keeps the run's files there; default a temporary directory.
	Dir string
	// Progress receives progress lines (nil: none).
	Progress io.Writer
	// Seed makes injected faults reproducible.
	Seed uint64
	// Command is the command line, recorded in the result.
	Command string
}

// Scenario is one fault-injection run.
type Scenario struct {
	// Name selects it; Summary says what it does.
	Name, Summary string
	// Events and Poison are the default sizes.
	Events, Poison int
	run            func(ctx context.Context, o Options) (*Result, error)
}

// Scenarios returns every scenario.
func Scenarios() []Scenario {
	return slices.Clone(scenarios[:])
}

// scenarios lists every scenario.
var scenarios = [...]Scenario{
	{Name: "kill", Summary: "kill -9 the gateway three times under load, restarting it each time", Events: 3000, run: runKill},
	{Name: "broker-restart", Summary: "stop the broker (SIGTERM, then SIGKILL) mid-run and start it again on its data", Events: 3000, run: runBrokerRestart},
	{Name: "endpoint-faults", Summary: "endpoints answer 5xx, hang past the timeout, reset connections and answer wrong receipts", Events: 2000, run: runEndpointFaults},
	{Name: "slow-endpoint", Summary: "one endpoint answers after 5s beside healthy ones; compare the healthy ones with a baseline run", Events: 3000, run: runSlowEndpoint},
	{Name: "poison", Summary: "poison events (not JSON, unknown members, unknown merchants, too long, wrong schema) among good ones", Events: 2000, Poison: 1000, run: runPoison},
	{Name: "oversized", Summary: "events of 1.5 MiB (source topics accept 4 MiB, the others 1 MiB) among good ones: each is dead-lettered as too_large, no partition stops", Events: 2000, Poison: 20, run: runOversized},
	{Name: "sigterm-rebalance", Summary: "kill -9 the gateway, start it again and SIGTERM it half a second later, while its group waits for the dead member: it exits 0 within its shutdown timeout; twice", Events: 3000, run: runSigtermRebalance},
	{Name: "sigterm", Summary: "SIGTERM the gateway twice under load: it drains, commits and exits 0; then it starts again", Events: 3000, run: runSigterm},
}

// Names returns the scenario names.
func Names() []string {
	out := make([]string, len(scenarios))
	for i, s := range scenarios {
		out[i] = s.Name
	}
	return out
}

// Run runs the scenario o.Scenario.
func Run(ctx context.Context, o Options) (*Result, error) {
	i := slices.IndexFunc(scenarios[:], func(s Scenario) bool { return s.Name == o.Scenario })
	if i < 0 {
		return nil, fmt.Errorf("chaos: unknown scenario %q (one of %v)", o.Scenario, Names())
	}
	sc := scenarios[i]
	if o.Events == 0 {
		o.Events = sc.Events
	}
	if o.Poison == 0 {
		o.Poison = sc.Poison
	}
	if o.Events < 1 || o.Poison < 0 || o.Rate < 0 {
		return nil, fmt.Errorf("chaos: events must be positive, poison and rate not negative")
	}
	if o.Timeout == 0 {
		o.Timeout = 2*time.Minute + time.Duration(o.Events+o.Poison)*time.Millisecond
	}
	start := time.Now()
	r, err := sc.run(ctx, o)
	if r != nil {
		r.Scenario, r.Command, r.Machine = sc.Name, o.Command, loadtest.ThisMachine()
		r.Seconds = time.Since(start).Round(time.Millisecond).Seconds()
		r.Passed = len(r.Failures) == 0
	}
	return r, err
}

// rateFor returns o.Rate, or the rate that spreads the events over about
// ten seconds.
func rateFor(o Options, events int) float64 {
	if o.Rate > 0 {
		return o.Rate
	}
	return max(float64(events)/10, 50)
}
