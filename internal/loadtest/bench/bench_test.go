package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
	"github.com/lcngw/lcngw/internal/loadtest/bench"
	"github.com/lcngw/lcngw/internal/loadtest/selfexec"
)

func TestMain(m *testing.M) { selfexec.Main(m) }

// TestShortRun runs the whole benchmark small, the children being this
// test binary: every notification arrives verified, the offsets are
// committed, and the report carries every figure it promises.
func TestShortRun(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	rep, err := bench.Run(context.Background(), bench.Options{
		Events: 2000, Merchants: 2, Endpoints: 2, Mix: 0.5, HalfRate: true, CeilingDuration: time.Second,
		Launcher: selfexec.Launcher(logs), Dir: dir, Command: "lcngw-bench bench --events 2000",
	})
	if err != nil {
		selfexec.LogTail(t, logs, 20)
		t.Fatalf("Run: %v", err)
	}
	for _, r := range []*bench.Result{&rep.Result, rep.HalfRate} {
		if r == nil {
			t.Fatal("no half-rate run")
		}
		t.Logf("%s: %.0f/s, p50 %.2f ms, p99 %.2f ms, gateway %.1f MB, errors %v", r.Mode, r.DeliveredPerSec, r.P50, r.P99,
			r.MaxRSSMB, r.Errors)
		if r.Expected != 4000 || r.Delivered != 4000 || r.Lost != 0 || !r.Committed || len(r.Errors) > 0 {
			selfexec.LogTail(t, logs, 20)
			t.Fatalf("%s: delivered %d of %d (want 4000: 2000 events × 2 endpoints), lost %d, committed %v, errors %v",
				r.Mode, r.Delivered, r.Expected, r.Lost, r.Committed, r.Errors)
		}
		// How many notifications take the retry path depends on the
		// machine's load (a busy endpoint's slot wait, an attempt timeout),
		// so only its accounting is checked: never negative, and reported.
		if r.RetryRecords < 0 {
			t.Errorf("%s: %d retry records", r.Mode, r.RetryRecords)
		}
		if r.DeliveredPerSec <= 0 || r.P50 <= 0 || r.P99 < r.P50 || r.MaxRSSMB <= 0 || r.CPU[loadtest.CompGateway].CPUSeconds <= 0 {
			t.Errorf("%s: implausible figures %+v", r.Mode, r)
		}
		// Each receipt is timed from its event's send and from the
		// broker's later acknowledgement, so the second is never longer.
		if r.P50FromAck < 0 || r.P50FromAck > r.P50 || r.P99FromAck > r.P99 {
			t.Errorf("%s: from the acknowledgement p50 %.2f / p99 %.2f ms, from the send p50 %.2f / p99 %.2f ms",
				r.Mode, r.P50FromAck, r.P99FromAck, r.P50, r.P99)
		}
	}
	if rep.Ceiling == nil || rep.Ceiling.Requests == 0 || rep.Ceiling.Failures != 0 || rep.Ratio <= 0 {
		t.Errorf("ceiling %+v, ratio %v", rep.Ceiling, rep.Ratio)
	}
	if !strings.HasPrefix(rep.HalfRate.Mode, "paced ") {
		t.Errorf("half-rate run mode %q", rep.HalfRate.Mode)
	}
	checkJSON(t, rep)
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| flat out | 4000 | 4000 | 0 |", "| paced ", "Ceiling (bare signing sender", "| notifications lost | 0 | 0 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
}

// TestServeRun runs the production command as the gateway: it starts
// on the topics the harness created for the tiers it derives from the
// generated configuration, and delivers everything.
func TestServeRun(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	rep, err := bench.Run(context.Background(), bench.Options{
		Events: 500, Merchants: 1, Endpoints: 1, Mix: 1, UseServe: true, CeilingDuration: -time.Second, BrokerProcs: 1,
		Launcher: selfexec.Launcher(logs), Dir: dir, Command: "lcngw-bench bench --serve --events 500",
	})
	if err != nil {
		selfexec.LogTail(t, logs, 20)
		t.Fatalf("Run: %v", err)
	}
	if r := rep.Result; r.Delivered != 500 || r.Lost != 0 || !r.Committed || len(r.Errors) > 0 {
		t.Fatalf("delivered %d of %d, lost %d, committed %v, errors %v", r.Delivered, r.Expected, r.Lost, r.Committed, r.Errors)
	}
	if rep.Settings.BrokerProcs != 1 {
		t.Errorf("settings report broker GOMAXPROCS %d, want 1", rep.Settings.BrokerProcs)
	}
}

// checkJSON checks the keys the report's JSON must carry.
func checkJSON(t *testing.T, rep *bench.Report) {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"events", "delivered", "lost", "duplicates", "retry_records", "delivered_per_sec", "ceiling_per_sec", "ratio",
		"p50_ms", "p95_ms", "p99_ms", "p50_from_ack_ms", "p99_from_ack_ms", "max_rss_mb", "cpu", "machine", "command", "half_rate", "targets"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	cpu, _ := m["cpu"].(map[string]any)
	for _, c := range []string{loadtest.CompGateway, loadtest.CompBroker, loadtest.CompEndpoints, loadtest.CompHarness} {
		if _, ok := cpu[c]; !ok {
			t.Errorf("JSON cpu lacks %q", c)
		}
	}
	machine, _ := m["machine"].(map[string]any)
	for _, k := range []string{"nproc", "cpu_model", "go_version"} {
		if _, ok := machine[k]; !ok {
			t.Errorf("JSON machine lacks %q", k)
		}
	}
}

func TestOptionsRejected(t *testing.T) {
	for _, o := range []bench.Options{{Events: -1}, {Rate: -1}, {Mix: 1.5}, {FailureRate: 1}, {ReceiverLatency: -time.Second}, {BrokerProcs: -1}} {
		if _, err := bench.Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}
