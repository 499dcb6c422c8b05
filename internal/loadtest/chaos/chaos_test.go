package chaos_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest/chaos"
	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
	"github.com/lcngw/lcngw/internal/loadtest/selfexec"
)

func TestMain(m *testing.M) { selfexec.Main(m) }

// TestScenarios runs every scenario at a reduced size, the children being
// this test binary: no notification may be lost, and each scenario must
// have done what it claims (the disruptions happened, the faults were
// injected, the poison was dead-lettered).
func TestScenarios(t *testing.T) {
	tests := []struct {
		name   string
		opts   chaos.Options
		checks func(t *testing.T, r *chaos.Result)
	}{
		{"kill", chaos.Options{Events: 500, Rate: 100}, disruptions(3)},
		{"broker-restart", chaos.Options{Events: 500, Rate: 100}, disruptions(2)},
		{"sigterm", chaos.Options{Events: 500, Rate: 100}, disruptions(2)},
		{"sigterm-rebalance", chaos.Options{Events: 500, Rate: 100}, disruptions(2)},
		{"endpoint-faults", chaos.Options{Events: 300, Rate: 100}, func(t *testing.T, r *chaos.Result) {
			for _, f := range []string{endpoints.Fault5xx, endpoints.FaultHang, endpoints.FaultReset, endpoints.FaultWrongReceipt} {
				if r.Faults[f] == 0 {
					t.Errorf("no %s fault injected", f)
				}
			}
			if r.RetryRecords == 0 {
				t.Error("no retry record written while 35% of requests failed")
			}
		}},
		{"poison", chaos.Options{Events: 400, Poison: 200, Rate: 150}, func(t *testing.T, r *chaos.Result) {
			if r.DeadInput != 200 || len(r.DeadLetteredBy) != 5 {
				t.Errorf("%d poison events dead-lettered, by %v; want 200 across 5 reasons", r.DeadInput, r.DeadLetteredBy)
			}
			// Healthy endpoints may still hand a notification to the retry
			// path when the machine is loaded (a busy endpoint, a timeout):
			// how many is not the scenario's claim, and is not checked.
		}},
		{"oversized", chaos.Options{Events: 200, Poison: 4, Rate: 100}, func(t *testing.T, r *chaos.Result) {
			if r.DeadInput != 4 || r.DeadLetteredBy["input/too_large"] != 4 {
				t.Errorf("%d oversized events dead-lettered, by %v; want 4 as input/too_large", r.DeadInput, r.DeadLetteredBy)
			}
		}},
		{"slow-endpoint", chaos.Options{Events: 500, Rate: 100}, func(t *testing.T, r *chaos.Result) {
			s := r.Slow
			if s == nil || s.SlowDelivered != 10 || s.Baseline.Delivered != 490 || s.WithSlow.Delivered != 490 {
				t.Errorf("slow comparison %+v; want 10 slow and 490 healthy deliveries in each phase", s)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			o := tt.opts
			o.Scenario, o.Dir, o.Launcher = tt.name, dir, selfexec.Launcher(filepath.Join(dir, "logs"))
			o.Timeout = 2 * time.Minute
			r, err := chaos.Run(context.Background(), o)
			if err != nil {
				selfexec.LogTail(t, filepath.Join(dir, "logs"), 20)
				t.Fatalf("Run: %v", err)
			}
			t.Logf("%s: %.1fs, sent %d, delivered %d, duplicates %d, dead-lettered %d, lost %d, disruptions %+v, findings %v",
				tt.name, r.Seconds, r.Sent, r.Delivered, r.Duplicates, r.DeadLettered, r.Lost, r.Disruptions, r.Findings)
			if r.Lost != 0 || !r.Passed || r.Delivered != r.Expected {
				selfexec.LogTail(t, filepath.Join(dir, "logs"), 20)
				t.Fatalf("lost %d, delivered %d of %d, failures %v", r.Lost, r.Delivered, r.Expected, r.Failures)
			}
			tt.checks(t, r)
			checkJSON(t, r)
		})
	}
}

// disruptions checks that n disruptions happened and each recovered.
func disruptions(n int) func(*testing.T, *chaos.Result) {
	return func(t *testing.T, r *chaos.Result) {
		t.Helper()
		if len(r.Disruptions) != n {
			t.Fatalf("%d disruptions, want %d", len(r.Disruptions), n)
		}
		for _, d := range r.Disruptions {
			if d.Err != "" {
				t.Errorf("%s: %s", d.What, d.Err)
			}
		}
	}
}

// checkJSON checks the keys every scenario's JSON carries.
func checkJSON(t *testing.T, r *chaos.Result) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "passed", "sent", "delivered", "duplicates", "dead_lettered",
		"dead_lettered_by_reason", "lost", "cpu", "machine", "command"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
}

func TestRunRejects(t *testing.T) {
	for _, o := range []chaos.Options{{Scenario: "nope"}, {Scenario: "kill", Events: -1}, {Scenario: "poison", Poison: -5}} {
		if _, err := chaos.Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
	if len(chaos.Names()) != 8 {
		t.Errorf("scenarios %v, want the eight of the suite", chaos.Names())
	}
}
