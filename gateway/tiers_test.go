package gateway

import (
	"testing"
	"time"
)

func mustTiers(t *testing.T, delays ...time.Duration) Tiers {
	t.Helper()
	ts, err := NewTiers("lcngw.retry", delays)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestTierNames(t *testing.T) {
	ts := mustTiers(t, time.Hour, time.Minute, 15*time.Minute, 5*time.Minute, 30*time.Second, 250*time.Millisecond, 90*time.Second)
	want := []string{"lcngw.retry.250ms", "lcngw.retry.30s", "lcngw.retry.1m", "lcngw.retry.90s",
		"lcngw.retry.5m", "lcngw.retry.15m", "lcngw.retry.1h"}
	got := ts.Topics()
	if len(got) != len(want) {
		t.Fatalf("topics %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("topic %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestNewTiersRejects(t *testing.T) {
	for _, delays := range [][]time.Duration{nil, {0}, {-time.Second}, {time.Minute, time.Minute}} {
		if _, err := NewTiers("r", delays); err == nil {
			t.Errorf("NewTiers(%v) accepted", delays)
		}
	}
}

func TestTierFor(t *testing.T) {
	ts := mustTiers(t, DefaultTierDelays()...)
	tests := []struct {
		remaining time.Duration
		want      time.Duration
	}{
		{-time.Minute, time.Minute}, // overdue: the shortest tier
		{0, time.Minute},
		{30 * time.Second, time.Minute}, // shorter than every tier: at most 30s late
		{time.Minute, time.Minute},
		{4*time.Minute + 59*time.Second, time.Minute},
		{5 * time.Minute, 5 * time.Minute},
		{14 * time.Minute, 5 * time.Minute},
		{15 * time.Minute, 15 * time.Minute},
		{59 * time.Minute, 15 * time.Minute},
		{time.Hour, time.Hour},
		{47 * time.Hour, time.Hour},
	}
	for _, tt := range tests {
		if got := ts.For(tt.remaining).Delay; got != tt.want {
			t.Errorf("For(%v) = %v, want %v", tt.remaining, got, tt.want)
		}
	}
}

func TestTierDecide(t *testing.T) {
	ts := mustTiers(t, DefaultTierDelays()...)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m5, h1 := ts[1], ts[3]
	tests := []struct {
		name     string
		tier     Tier
		enqueued time.Time
		due      time.Time
		now      time.Time
		step     step
		wait     time.Duration
		to       time.Duration
	}{
		{"not ready yet", m5, t0, t0.Add(5 * time.Minute), t0.Add(time.Minute), stepWait, 4 * time.Minute, 5 * time.Minute},
		{"ready and due", m5, t0, t0.Add(5 * time.Minute), t0.Add(5 * time.Minute), stepAttempt, 0, 5 * time.Minute},
		{"ready, overdue", m5, t0, t0.Add(5 * time.Minute), t0.Add(9 * time.Minute), stepAttempt, 0, 5 * time.Minute},
		{"ready, due within the shortest tier", m5, t0, t0.Add(5*time.Minute + 40*time.Second), t0.Add(5 * time.Minute),
			stepWait, 40 * time.Second, 5 * time.Minute},
		{"ready, due much later", m5, t0, t0.Add(25 * time.Minute), t0.Add(5 * time.Minute), stepReroute, 0, 15 * time.Minute},
		{"hourly tier, due 2h later", h1, t0, t0.Add(3 * time.Hour), t0.Add(time.Hour), stepReroute, 0, time.Hour},
		{"replayed, due at once", ts[0], t0, t0, t0.Add(time.Minute), stepAttempt, 0, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, wait, to := ts.decide(tt.tier, tt.enqueued, tt.due, tt.now)
			if st != tt.step || wait != tt.wait || to.Delay != tt.to {
				t.Errorf("decide = (%d, %v, %v), want (%d, %v, %v)", st, wait, to.Delay, tt.step, tt.wait, tt.to)
			}
		})
	}
}

// TestTierNeverEarly walks a record through the tiers with a simulated
// clock: it is never attempted before it is due, and never later than the
// shortest delay after it.
func TestTierNeverEarly(t *testing.T) {
	ts := mustTiers(t, DefaultTierDelays()...)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range []time.Duration{time.Second, 59 * time.Second, 4 * time.Minute, 20 * time.Minute, 65 * time.Minute, 47 * time.Hour} {
		now, due := t0, t0.Add(d)
		tier, enqueued := ts.For(due.Sub(now)), now
		for hops := 0; ; hops++ {
			if hops > 100 {
				t.Fatalf("due in %v: no attempt after 100 steps", d)
			}
			st, wait, to := ts.decide(tier, enqueued, due, now)
			if st == stepWait {
				now = now.Add(wait)
				continue
			}
			if st == stepReroute {
				tier, enqueued = to, now
				continue
			}
			if now.Before(due) || now.Sub(due) > ts[0].Delay {
				t.Errorf("due in %v: attempted %v after due", d, now.Sub(due))
			}
			break
		}
	}
}
