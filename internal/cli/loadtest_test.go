package cli

import (
	"strings"
	"testing"
	"time"
)

func TestCommandLine(t *testing.T) {
	got := commandLine("bench", []string{"--events", "100", "--md", "my report.md", "--dir", "it's", ""})
	want := `lcngw bench --events 100 --md 'my report.md' --dir 'it'\''s' ''`
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
	if code, _, _ := run(t, "", "kafka", "--port", "-5"); code != 1 {
		t.Errorf("negative port: exit %d, want 1", code)
	}
}
