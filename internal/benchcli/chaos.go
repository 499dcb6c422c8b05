package benchcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/lcngw/lcngw/internal/cli"
	"github.com/lcngw/lcngw/internal/loadtest/chaos"
)

func init() {
	cli.Register("chaos", "run a fault-injection scenario against the gateway and check no notification is lost", runChaos)
}

func runChaos(ctx context.Context, args []string, stdio cli.Stdio) int {
	fl := cli.NewFlags("chaos", stdio)
	var o chaos.Options
	fl.StringVar(&o.Scenario, "scenario", "", "scenario: "+strings.Join(chaos.Names(), ", "))
	fl.IntVar(&o.Events, "events", 0, "good events (default: the scenario's, sized for a quick check)")
	fl.IntVar(&o.Poison, "poison", 0, "poison events, for the poison scenario (default: half of the default events)")
	fl.Float64Var(&o.Rate, "rate", 0, "events per second (default: about ten seconds of events)")
	fl.DurationVar(&o.Timeout, "timeout", 0, "how long to wait for every notification after publication (default 2m + 1ms per event)")
	fl.Uint64Var(&o.Seed, "seed", 1, "seed of the injected faults")
	fl.StringVar(&o.Dir, "dir", "", "keep the run's files (configuration, logs, broker data) in this directory")
	jsonPath := fl.String("json", "", "write the result as JSON to this file")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "Usage: lcngw-bench chaos --scenario NAME [flags]\n\nScenarios:")
		for _, s := range chaos.Scenarios() {
			fmt.Fprintf(fl.Output(), "  %-16s %s\n", s.Name, s.Summary)
		}
		fmt.Fprintln(fl.Output(), "\nFlags:")
		fl.PrintDefaults()
	}
	if code, ok := cli.Parse(fl, args); !ok {
		return code
	}
	if err := errors.Join(cli.CheckFlags(
		cli.FlagRule{Flag: "events", Value: o.Events, Bad: o.Events < 0, Want: "0 (the scenario's) or positive"},
		cli.FlagRule{Flag: "poison", Value: o.Poison, Bad: o.Poison < 0, Want: "0 (the default) or positive"},
		cli.FlagRule{Flag: "rate", Value: o.Rate, Bad: o.Rate < 0, Want: "0 (the default) or positive"},
		cli.FlagRule{Flag: "timeout", Value: o.Timeout, Bad: o.Timeout < 0, Want: "0 (the default) or positive"},
	), cli.CheckWritable("json", *jsonPath)); err != nil {
		return cli.Fail(stdio, "chaos", cli.ExitInvalid, err)
	}
	if !slices.Contains(chaos.Names(), o.Scenario) {
		if o.Scenario != "" {
			fmt.Fprintf(stdio.Err, "lcngw-bench chaos: unknown scenario %q\n", o.Scenario)
		}
		fl.Usage()
		return cli.ExitInvalid
	}
	o.Progress, o.Command = stdio.Err, commandLine("chaos", args)
	res, err := chaos.Run(ctx, o)
	if err != nil {
		return cli.Fail(stdio, "chaos", cli.ExitFailed, err)
	}
	printChaos(stdio.Out, res)
	if *jsonPath != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonPath, append(b, '\n'), 0o644)
		}
		if err != nil {
			return cli.Fail(stdio, "chaos", cli.ExitFailed, fmt.Errorf("--json: %w", err))
		}
	}
	if !res.Passed {
		return cli.Fail(stdio, "chaos", cli.ExitFailed, errors.New(strings.Join(res.Failures, "; ")))
	}
	return cli.ExitOK
}

// printChaos writes the result for people.
func printChaos(w io.Writer, r *chaos.Result) {
	verdict := "PASSED"
	if !r.Passed {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "chaos %s: %s in %.1fs\n", r.Scenario, verdict, r.Seconds)
	fmt.Fprintf(w, "  sent %d events (%d poison), expected %d notifications\n", r.Sent, r.Poison, r.Expected)
	fmt.Fprintf(w, "  delivered %d, duplicates %d, dead-lettered %d, lost %d\n", r.Delivered, r.Duplicates, r.DeadLettered, r.Lost)
	fmt.Fprintf(w, "  records written to the retry tiers: %d\n", r.RetryRecords)
	printCounts(w, "dead letters by reason", r.DeadLetteredBy)
	printCounts(w, "faults injected", r.Faults)
	for _, d := range r.Disruptions {
		fmt.Fprintf(w, "  at %.1fs: %s; back after %.2fs, deliveries resumed after %.2fs%s\n", d.At, d.What, d.Recovery,
			d.Resumed, errSuffix(d.Err))
	}
	if s := r.Slow; s != nil {
		fmt.Fprintf(w, "  healthy endpoints at %.0f events/s: baseline %.0f/s p99 %.1f ms; beside a %s endpoint %.0f/s p99 %.1f ms "+
			"(throughput ×%.2f, p99 ×%.2f); slow endpoint delivered %d\n", s.Rate, s.Baseline.PerSec, s.Baseline.P99,
			s.SlowLatency, s.WithSlow.PerSec, s.WithSlow.P99, s.ThroughputRatio, s.P99Ratio, s.SlowDelivered)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  note: %s\n", f)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "  FAILURE: %s\n", f)
	}
}

func printCounts(w io.Writer, title string, m map[string]int64) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	fmt.Fprintf(w, "  %s: %s\n", title, strings.Join(parts, " "))
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return " (" + e + ")"
}
