package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
)

// TestDefaultRetryIsTheTwoCheckoutSchedule checks the default against the
// platform's failure-recovery text: one immediate attempt, two more within
// five minutes, four more 15 minutes apart, then hourly until 48 hours after
// the first.
func TestDefaultRetryIsTheTwoCheckoutSchedule(t *testing.T) {
	r := config.DefaultRetry()
	var got []time.Duration
	for n := 1; ; n++ {
		d, ok := r.Offset(n)
		if !ok {
			break
		}
		got = append(got, d)
	}
	want := []time.Duration{0, time.Minute, 5 * time.Minute, 20 * time.Minute, 35 * time.Minute, 50 * time.Minute, 65 * time.Minute}
	for h := 1; h <= 46; h++ {
		want = append(want, 65*time.Minute+time.Duration(h)*time.Hour)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("offsets\n got %v\nwant %v", got, want)
	}
	if r.Attempts() != 53 || len(got) != 53 {
		t.Fatalf("attempts %d", r.Attempts())
	}
	if within5 := got[1:3]; within5[1] > 5*time.Minute {
		t.Errorf("stage 2 ends at %v", within5[1])
	}
	for i := 3; i < 7; i++ {
		if got[i]-got[i-1] != 15*time.Minute {
			t.Errorf("stage 3 gap %d is %v", i, got[i]-got[i-1])
		}
	}
	if last := got[len(got)-1]; last > 48*time.Hour || last+time.Hour <= 48*time.Hour {
		t.Errorf("last attempt at %v", last)
	}
}

func TestRetryOffsets(t *testing.T) {
	tests := []struct {
		name string
		r    config.Retry
		want []time.Duration
	}{
		{"list only", config.Retry{Schedule: config.Schedule{Offsets: []time.Duration{30 * time.Second, 5 * time.Minute}}, MaxAge: time.Hour},
			[]time.Duration{0, 30 * time.Second, 5 * time.Minute}},
		{"periodic only", config.Retry{Every: time.Hour, MaxAge: 3 * time.Hour},
			[]time.Duration{0, time.Hour, 2 * time.Hour, 3 * time.Hour}},
		{"offsets beyond max age", config.Retry{Schedule: config.Schedule{Offsets: []time.Duration{time.Minute, 2 * time.Hour}}, Every: time.Hour, MaxAge: time.Hour},
			[]time.Duration{0, time.Minute}},
		{"max age zero", config.Retry{Every: time.Hour}, []time.Duration{0}},
		{"negative max age", config.Retry{MaxAge: -1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []time.Duration
			for n := 1; n < 100; n++ {
				if d, ok := tt.r.Offset(n); ok {
					got = append(got, d)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("offsets %v, want %v", got, tt.want)
			}
			if tt.r.Attempts() != len(tt.want) {
				t.Errorf("Attempts %d, want %d", tt.r.Attempts(), len(tt.want))
			}
			if _, ok := tt.r.Offset(0); ok {
				t.Error("attempt 0 exists")
			}
		})
	}
}

func TestRetryOverrideApply(t *testing.T) {
	base := config.DefaultRetry()
	var none *config.RetryOverride
	if got := none.Apply(base); got.MaxAge != base.MaxAge || got.Schedule.Name != base.Schedule.Name {
		t.Error("nil override changed the policy")
	}
	age := 24 * time.Hour
	got := (&config.RetryOverride{MaxAge: &age}).Apply(base)
	if got.MaxAge != age || got.Every != time.Hour || got.Schedule.Name != config.ScheduleTwoCheckout {
		t.Errorf("partial override %+v", got)
	}
	every := time.Duration(0)
	sch := config.Schedule{Offsets: []time.Duration{time.Minute}}
	got = (&config.RetryOverride{Every: &every, Schedule: &sch}).Apply(base)
	if got.Attempts() != 2 {
		t.Errorf("explicit zero every: %d attempts", got.Attempts())
	}
}

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2checkout", "2checkout", true},
		{" 2CheckOut ", "2checkout", true},
		{"30s, 5m,,1h", "30s,5m0s,1h0m0s", true},
		{"", "", true},
		{"soon", "", false},
		{"1m,5", "", false},
	}
	for _, tt := range tests {
		s, err := config.ParseSchedule(tt.in)
		if (err == nil) != tt.ok || (tt.ok && s.String() != tt.want) {
			t.Errorf("ParseSchedule(%q) = %v, %v", tt.in, s, err)
		}
	}
}

func TestScheduleYAML(t *testing.T) {
	var v struct {
		R config.Retry `yaml:"r"`
	}
	if err := yaml.Unmarshal([]byte("r: {schedule: [10s, 1m]}"), &v); err != nil || v.R.Schedule.String() != "10s,1m0s" || v.R.Schedule.Name != "" {
		t.Fatalf("list: %+v, %v", v.R.Schedule, err)
	}
	if err := yaml.Unmarshal([]byte("r: {schedule: 2checkout}"), &v); err != nil || v.R.Schedule.Name != "2checkout" || len(v.R.Schedule.Offsets) != 6 {
		t.Fatalf("name: %+v, %v", v.R.Schedule, err)
	}
	for doc, want := range map[string]string{
		"r: {schedule: stripe}":        `line 1: schedule must be "2checkout" or a list of durations`,
		"r: {schedule: {a: 1}}":        `line 1: schedule must be "2checkout"`,
		"r:\n  schedule: [1m, 2, [3]]": "line 2: schedule item must be a duration",
	} {
		if err := yaml.Unmarshal([]byte(doc), &v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", doc, err, want)
		}
	}
	out, err := yaml.Marshal(config.Retry{Schedule: config.Schedule{Offsets: []time.Duration{time.Minute}}})
	if err != nil || !strings.Contains(string(out), "schedule:\n    - 1m0s\n") {
		t.Fatalf("marshal %q, %v", out, err)
	}
}
