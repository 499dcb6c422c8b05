package benchcli

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/cli"
)

// run executes one command line and returns exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, cli.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestProductionBinaryLinksNoHarness: cmd/lcngw depends on neither the
// load and fault-injection harness nor these commands; cmd/lcngw-bench
// does.
func TestProductionBinaryLinksNoHarness(t *testing.T) {
	deps := func(pkg string) string {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return string(out)
	}
	prod := deps("github.com/lcngw/lcngw/cmd/lcngw")
	for _, banned := range []string{"github.com/lcngw/lcngw/internal/loadtest", "github.com/lcngw/lcngw/internal/benchcli"} {
		if strings.Contains(prod, banned) {
			t.Errorf("cmd/lcngw depends on %s", banned)
		}
	}
	if !strings.Contains(deps("github.com/lcngw/lcngw/cmd/lcngw-bench"), "github.com/lcngw/lcngw/internal/loadtest/chaos") {
		t.Error("cmd/lcngw-bench does not link the chaos harness")
	}
}

func TestCommandLine(t *testing.T) {
	got := commandLine("bench", []string{"--events", "100", "--md", "my report.md", "--dir", "it's", ""})
	want := `lcngw-bench bench --events 100 --md 'my report.md' --dir 'it'\''s' ''`
	if got != want {
		t.Fatalf("commandLine = %s, want %s", got, want)
	}
}

func TestParseDelays(t *testing.T) {
	tests := []struct {
		in   string
		want []time.Duration
		ok   bool
	}{
		{"", nil, true},
		{"1s, 3s,10s", []time.Duration{time.Second, 3 * time.Second, 10 * time.Second}, true},
		{"1s,,2s", []time.Duration{time.Second, 2 * time.Second}, true},
		{"1s,x", nil, false},
		{"0s", nil, false},
		{"-1s", nil, false},
	}
	for _, tt := range tests {
		got, err := parseDelays(tt.in)
		if (err == nil) != tt.ok || len(got) != len(tt.want) {
			t.Errorf("parseDelays(%q) = %v, %v", tt.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseDelays(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

// TestLoadtestUsageErrors checks the load-test commands refuse bad
// invocations before starting anything.
func TestLoadtestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"chaos"},
		{"chaos", "--scenario"},
		{"chaos", "--scenario", "kill", "extra"},
		{"chaos", "--scenario", "nope"},
		{"bench", "--events", "x"},
		{"bench", "gateway"}, // no configuration
		{"bench", "gateway", "--config", "/nonexistent.yaml"},
		{"bench", "receivers", "--spec", "/nonexistent.json"},
		{"kafka", "--port", "x"},
	} {
		if code, _, errs := run(t, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, strings.TrimSpace(errs))
		}
	}
	if code, _, errs := run(t, "", "kafka", "--port", "-5"); code != 2 || !strings.Contains(errs, "--port") {
		t.Errorf("negative port: exit %d, want 2 naming --port (%s)", code, errs)
	}
}

// TestBadFlagsNameTheFlag: bench and chaos refuse bad values and output
// files they could not write before anything runs, with exit 2 and the
// flag named.
func TestBadFlagsNameTheFlag(t *testing.T) {
	unwritable := t.TempDir() + "/missing-dir/report.json"
	for _, tt := range []struct {
		args []string
		flag string
	}{
		{[]string{"bench", "--events", "0"}, "--events"},
		{[]string{"bench", "--mix", "1.5"}, "--mix"},
		{[]string{"bench", "--failure-rate", "1"}, "--failure-rate"},
		{[]string{"bench", "--partitions", "0"}, "--partitions"},
		{[]string{"bench", "--json", unwritable}, "--json"},
		{[]string{"bench", "--md", unwritable}, "--md"},
		{[]string{"chaos", "--scenario", "kill", "--events", "-1"}, "--events"},
		{[]string{"chaos", "--scenario", "kill", "--json", unwritable}, "--json"},
	} {
		code, _, errs := run(t, "", tt.args...)
		if code != cli.ExitInvalid || !strings.Contains(errs, tt.flag) {
			t.Errorf("%q: exit %d, stderr %q; want 2 naming %s", tt.args, code, errs, tt.flag)
		}
	}
}
