package benchcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/internal/cli"
	"github.com/lcngw/lcngw/internal/loadtest/bench"
	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
)

func init() {
	cli.Register("bench", "measure the gateway end to end (throughput, latency, CPU, memory) against the machine's ceiling", runBench)
}

// runBench runs the benchmark, or one of the child processes it (and
// chaos) starts: "bench gateway" and "bench receivers".
func runBench(ctx context.Context, args []string, stdio cli.Stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "gateway":
			return cli.Serve("bench gateway", gatewayFlags)(ctx, args[1:], stdio)
		case "receivers":
			return runBenchReceivers(ctx, args[1:], stdio)
		}
	}
	fl := cli.NewFlags("bench", stdio)
	var o bench.Options
	fl.IntVar(&o.Events, "events", 100_000, "events to publish")
	fl.Float64Var(&o.Rate, "rate", 0, "events per second (0: flat out)")
	fl.BoolVar(&o.HalfRate, "half-rate", false, "then measure latency in a second run at half the delivered rate")
	fl.BoolVar(&o.CompareAttemptLog, "attempt-log-compare", false, "then run flat out again without the attempt log, and report its cost")
	fl.BoolVar(&o.Backlog, "backlog", false, "publish every event before starting the gateway (drain a backlog)")
	fl.IntVar(&o.Merchants, "merchants", 4, "merchants")
	fl.IntVar(&o.Endpoints, "endpoints", 1, "endpoints per merchant")
	fl.Float64Var(&o.Mix, "mix", 1, "share of LCN events, 0 to 1 (the rest are IPN)")
	fl.DurationVar(&o.ReceiverLatency, "receiver-latency", 0, "each endpoint's processing time per notification")
	fl.Float64Var(&o.FailureRate, "failure-rate", 0, "share of requests the endpoints answer with 503")
	fl.IntVar(&o.Partitions, "partitions", 8, "partitions of every topic")
	fl.IntVar(&o.Concurrency, "concurrency", 64, "requests in flight on the wire (ceiling sender; gateway: per endpoint × endpoints)")
	fl.IntVar(&o.InFlight, "in-flight", 256, "the gateway's bound on records in process (delivery.max_in_flight)")
	fl.DurationVar(&o.CeilingDuration, "ceiling-duration", 10*time.Second, "how long to measure the bare signing sender (negative: skip)")
	fl.DurationVar(&o.Timeout, "timeout", 0, "how long to wait for every notification (default 60s + 1ms per event)")
	fl.DurationVar(&o.QuietWait, "quiet-wait", 2*time.Minute, "before each measurement, wait up to this long for other processes to use < 0.15 cores (0: don't)")
	fl.Int64Var(&o.RetentionBytes, "retention-bytes", 0, "bound each broker partition (0: unbounded)")
	fl.IntVar(&o.BrokerProcs, "broker-procs", 0, "the broker's GOMAXPROCS: cores its requests and garbage collection may use (0: all)")
	fl.BoolVar(&o.KafkaTLS, "kafka-tls", false, "run the broker TLS only (a throwaway CA) and every Kafka client over TLS, to measure what TLS costs")
	fl.BoolVar(&o.UseServe, "serve", false, "run the gateway as \"lcngw serve\" (production retry tiers) instead of \"lcngw-bench bench gateway\"")
	fl.StringVar(&o.CPUProfile, "cpuprofile", "", "write the gateway's CPU profile of the first run to this file")
	fl.StringVar(&o.Trace, "trace", "", "write the gateway's execution trace of the first run to this file (go tool trace)")
	fl.StringVar(&o.Dir, "dir", "", "keep the run's files (configuration, logs) in this directory")
	jsonPath := fl.String("json", "", "write the report as JSON to this file")
	mdPath := fl.String("md", "", "write the report as Markdown to this file")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "Usage: lcngw-bench bench [flags]\n"+
			"       lcngw-bench bench gateway|receivers [flags]   (the child processes bench and chaos start)\n\nFlags:")
		fl.PrintDefaults()
	}
	if code, ok := cli.Parse(fl, args); !ok {
		return code
	}
	if err := checkBenchFlags(&o, *jsonPath, *mdPath); err != nil {
		return cli.Fail(stdio, "bench", cli.ExitInvalid, err)
	}
	o.Progress, o.Command = stdio.Err, commandLine("bench", args)
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return cli.Fail(stdio, "bench", cli.ExitFailed, err)
	}
	if err := rep.WriteMarkdown(stdio.Out); err != nil {
		return cli.Fail(stdio, "bench", cli.ExitFailed, err)
	}
	if err := rep.WriteFiles(*jsonPath, *mdPath); err != nil {
		return cli.Fail(stdio, "bench", cli.ExitFailed, err)
	}
	if lost := rep.Lost; lost > 0 || (rep.HalfRate != nil && rep.HalfRate.Lost > 0) {
		return cli.Fail(stdio, "bench", cli.ExitFailed, fmt.Errorf("notifications lost"))
	}
	return cli.ExitOK
}

// commandLine renders a command line, quoting arguments that need it.
func commandLine(name string, args []string) string {
	parts := []string{"lcngw-bench", name}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$`\\*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// gatewayFlags are the flags the gateway role of bench and chaos runs
// adds to "lcngw serve"'s: the retry tiers.
func gatewayFlags(fl *flag.FlagSet) func() (func(*gateway.Options), error) {
	tiers := fl.String("tier-delays", "", "retry tier delays, comma-separated (default 1m,5m,15m,1h)")
	return func() (func(*gateway.Options), error) {
		delays, err := parseDelays(*tiers)
		if err != nil {
			return nil, err
		}
		return func(o *gateway.Options) {
			if len(delays) > 0 {
				o.TierDelays = delays
			}
		}, nil
	}
}

// parseDelays parses a comma-separated list of durations ("" is none).
func parseDelays(s string) ([]time.Duration, error) {
	var out []time.Duration
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("--tier-delays: %q is not a positive duration", part)
		}
		out = append(out, d)
	}
	return out, nil
}

// runBenchReceivers serves the verifying, fault-injecting endpoints of a
// spec file, reporting every outcome on standard output.
func runBenchReceivers(ctx context.Context, args []string, stdio cli.Stdio) int {
	fl := cli.NewFlags("bench receivers", stdio)
	path := fl.String("spec", "", "endpoint specification (JSON); secrets come from the environment variables it names")
	if code, ok := cli.Parse(fl, args); !ok {
		return code
	}
	spec, err := endpoints.ReadSpec(*path)
	if err != nil {
		return cli.Fail(stdio, "bench receivers", cli.ExitInvalid, err)
	}
	if err := endpoints.Run(ctx, endpoints.Options{Spec: spec, Out: stdio.Out, Lookup: os.LookupEnv}); err != nil {
		return cli.Fail(stdio, "bench receivers", cli.ExitFailed, err)
	}
	return cli.ExitOK
}

// checkBenchFlags refuses, before anything starts, values the benchmark
// would otherwise replace by defaults or fail on late, naming each flag,
// and output files that cannot be written.
func checkBenchFlags(o *bench.Options, jsonPath, mdPath string) error {
	err := cli.CheckFlags(
		cli.FlagRule{Flag: "events", Value: o.Events, Bad: o.Events < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "rate", Value: o.Rate, Bad: o.Rate < 0, Want: "0 (flat out) or a positive rate"},
		cli.FlagRule{Flag: "merchants", Value: o.Merchants, Bad: o.Merchants < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "endpoints", Value: o.Endpoints, Bad: o.Endpoints < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "mix", Value: o.Mix, Bad: o.Mix < 0 || o.Mix > 1, Want: "from 0 to 1"},
		cli.FlagRule{Flag: "receiver-latency", Value: o.ReceiverLatency, Bad: o.ReceiverLatency < 0, Want: "0 or positive"},
		cli.FlagRule{Flag: "failure-rate", Value: o.FailureRate, Bad: o.FailureRate < 0 || o.FailureRate >= 1, Want: "from 0 to below 1"},
		cli.FlagRule{Flag: "partitions", Value: o.Partitions, Bad: o.Partitions < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "concurrency", Value: o.Concurrency, Bad: o.Concurrency < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "in-flight", Value: o.InFlight, Bad: o.InFlight < 1, Want: "at least 1"},
		cli.FlagRule{Flag: "timeout", Value: o.Timeout, Bad: o.Timeout < 0, Want: "0 (the default) or positive"},
		cli.FlagRule{Flag: "quiet-wait", Value: o.QuietWait, Bad: o.QuietWait < 0, Want: "0 (don't wait) or positive"},
		cli.FlagRule{Flag: "retention-bytes", Value: o.RetentionBytes, Bad: o.RetentionBytes < 0, Want: "0 (unbounded) or positive"},
		cli.FlagRule{Flag: "broker-procs", Value: o.BrokerProcs, Bad: o.BrokerProcs < 0, Want: "0 (all cores) or positive"},
	)
	return errors.Join(err, cli.CheckWritable("json", jsonPath), cli.CheckWritable("md", mdPath),
		cli.CheckWritable("cpuprofile", o.CPUProfile), cli.CheckWritable("trace", o.Trace))
}
