package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// WriteMarkdown renders the report as a Markdown section that can be
// pasted into BENCHMARKS.md as it is.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	m, s := r.Machine, r.Settings
	fmt.Fprintf(&b, "### `lcngw-bench bench` — %s\n\n", r.Started)
	fmt.Fprintf(&b, "Command: `%s`\n\n", r.Command)
	fmt.Fprintf(&b, "Machine: %d × %s, %d MB, Linux %s, %s %s/%s, GOMAXPROCS %d.\n\n", m.NProc, m.CPUModel,
		m.MemTotalMB, m.Kernel, m.GoVersion, m.OS, m.Arch, m.GOMAXPROCS)
	fmt.Fprintf(&b, "Settings: %d events, %d merchant(s) × %d endpoint(s), %.0f%% LCN, %d partitions, "+
		"concurrency %d, in-flight %d, receiver latency %s, failure rate %.2f; gateway: %s; broker GOMAXPROCS %s.\n\n",
		s.Events, s.Merchants, s.Endpoints, 100*s.Mix, s.Partitions, s.Concurrency, s.InFlight, s.ReceiverLatency,
		s.FailureRate, s.Gateway, procs(s.BrokerProcs))
	b.WriteString("| run | notifications | delivered | lost | duplicates | seconds | delivered/s | ceiling/s | ratio | p50 ms | p95 ms | p99 ms | max ms | p50 / p99 ms from broker ack | gateway max RSS MB | gateway CPU µs/notification | offsets committed |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, res := range r.runs() {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.1f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f / %.2f | %.0f | %.1f | %v |\n",
			res.Mode, res.Expected, res.Delivered, res.Lost, res.Duplicates, res.Seconds, res.DeliveredPerSec,
			res.CeilingPerSec, res.Ratio, res.P50, res.P95, res.P99, res.Max, res.P50FromAck, res.P99FromAck,
			res.MaxRSSMB, res.GatewayCPUPerNotification,
			res.Committed)
	}
	for _, res := range r.runs() {
		fmt.Fprintf(&b, "\n%s: %d records written to the retry tiers.\n", res.Mode, res.RetryRecords)
	}
	b.WriteString("\nCPU over the measured time, in cores (CPU seconds per second; `other` is machine busy time outside these processes, softirq included):\n\n")
	writeCPU(&b, r)
	if c := r.Ceiling; c != nil {
		fmt.Fprintf(&b, "\nCeiling (bare signing sender, net/http keep-alive, %d in flight, %.0f s): **%.0f notifications/s**, "+
			"p50 %.2f ms, p99 %.2f ms, %d failures; endpoints %.2f cores, sender %.2f cores, softirq %.2f, other processes %.2f.\n",
			c.Concurrency, c.Seconds, c.PerSec, c.Latency.P50, c.Latency.P99, c.Failures,
			c.Usage[loadtest.CompEndpoints].Cores, c.Usage[loadtest.CompHarness].Cores, c.Usage[loadtest.CompSoftirq].Cores,
			c.Usage[loadtest.CompOther].Cores)
	}
	b.WriteString("\n| target | goal | measured | ratio | met |\n|---|---|---|---:|---|\n")
	for _, t := range r.Targets {
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f | %s |\n", t.Name, t.Want, t.Got, t.Ratio, yesNo(t.Met))
	}
	if r.Result.Mode == "backlog" {
		b.WriteString("\n> backlog: latencies include the time each event waited in the backlog.\n")
	}
	for _, res := range r.runs() {
		if other := res.CPU[loadtest.CompOther].Cores - res.CPU[loadtest.CompSoftirq].Cores; other > QuietCores {
			fmt.Fprintf(&b, "\n> %s: other processes used about %.2f cores during the run; its figures are pessimistic.\n", res.Mode, other)
		}
		for _, e := range res.Errors {
			fmt.Fprintf(&b, "\n> %s: %s\n", res.Mode, e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCPU(b *strings.Builder, r *Report) {
	comps := []string{loadtest.CompGateway, loadtest.CompBroker, loadtest.CompEndpoints, loadtest.CompHarness,
		loadtest.CompSoftirq, loadtest.CompOther, loadtest.CompMachine}
	b.WriteString("| run | " + strings.Join(comps, " | ") + " |\n|---|" + strings.Repeat("---:|", len(comps)) + "\n")
	for _, res := range r.runs() {
		fmt.Fprintf(b, "| %s |", res.Mode)
		for _, c := range comps {
			fmt.Fprintf(b, " %.2f |", res.CPU[c].Cores)
		}
		b.WriteString("\n")
	}
	procs := comps[:4]
	b.WriteString("\nPeak resident memory (VmHWM), MB:\n\n| run | " + strings.Join(procs, " | ") + " |\n|---|" +
		strings.Repeat("---:|", len(procs)) + "\n")
	for _, res := range r.runs() {
		fmt.Fprintf(b, "| %s |", res.Mode)
		for _, c := range procs {
			fmt.Fprintf(b, " %.0f |", res.CPU[c].MaxRSSMB)
		}
		b.WriteString("\n")
	}
}

// runs returns the report's runs in order.
func (r *Report) runs() []*Result {
	out := []*Result{&r.Result}
	if r.HalfRate != nil {
		out = append(out, r.HalfRate)
	}
	if r.NoAttemptLog != nil {
		out = append(out, r.NoAttemptLog)
	}
	return out
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// WriteFiles writes the JSON and Markdown forms where asked ("" skips).
func (r *Report) WriteFiles(jsonPath, mdPath string) error {
	if jsonPath != "" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		if err := os.WriteFile(jsonPath, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	if mdPath != "" {
		f, err := os.Create(mdPath)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := r.WriteMarkdown(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// procs writes a GOMAXPROCS setting, 0 being Go's default.
func procs(n int) string {
	if n <= 0 {
		return "default"
	}
	return strconv.Itoa(n)
}
