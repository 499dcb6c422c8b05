package delivery

import (
	"testing"
	"time"
)

// twoCheckoutOffsets spells out the platform's failure-recovery process
// (protocol notes §4) independently of the code: the first attempt at
// once; two more within 5 minutes; four 15 minutes apart; then hourly
// until 48 hours after the first.
func twoCheckoutOffsets() []time.Duration {
	offs := []time.Duration{0, time.Minute, 5 * time.Minute}
	for i := 1; i <= 4; i++ {
		offs = append(offs, 5*time.Minute+time.Duration(i)*15*time.Minute)
	}
	for d := 65*time.Minute + time.Hour; d <= 48*time.Hour; d += time.Hour {
		offs = append(offs, d)
	}
	return offs
}

func TestTwoCheckoutSchedule(t *testing.T) {
	s := TwoCheckout()
	want := twoCheckoutOffsets()
	if len(want) != 53 || want[6] != 65*time.Minute || want[7] != 2*time.Hour+5*time.Minute || want[52] != 47*time.Hour+5*time.Minute {
		t.Fatalf("expected offsets miscounted: %d, %v", len(want), want)
	}
	if s.Attempts() != len(want) {
		t.Errorf("Attempts() = %d, want %d", s.Attempts(), len(want))
	}
	for i, w := range want {
		if got, ok := s.Offset(i + 1); !ok || got != w {
			t.Errorf("Offset(%d) = %v, %v; want %v", i+1, got, ok, w)
		}
	}
	for _, n := range []int{0, -1, 54, 1000} {
		if _, ok := s.Offset(n); ok {
			t.Errorf("Offset(%d) exists", n)
		}
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	// Next, followed attempt by attempt on time, walks every offset and
	// then reports exhaustion.
	first := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := 1; i < len(want); i++ {
		due, ok := s.Next(i, first, first.Add(want[i-1]))
		if !ok || due.Sub(first) != want[i] {
			t.Fatalf("Next(%d) = +%v, %v; want +%v", i, due.Sub(first), ok, want[i])
		}
	}
	if due, ok := s.Next(53, first, first.Add(want[52])); ok {
		t.Errorf("Next(53) = +%v, want exhausted", due.Sub(first))
	}
}

func TestScheduleNext(t *testing.T) {
	first := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	m, h := time.Minute, time.Hour
	tests := []struct {
		name       string
		attempt    int
		elapsed    time.Duration
		retryAfter time.Duration
		want       time.Duration // -1: exhausted
	}{
		{"first failed", 1, 0, 0, 1 * m},
		{"attempt 0 is the first", 0, 0, 0, 1 * m},
		{"first failed slowly", 1, 40 * time.Second, 0, 1 * m},
		{"second", 2, 1 * m, 0, 5 * m},
		{"into the 15-minute phase", 3, 5 * m, 0, 20 * m},
		{"into the hourly phase", 7, 65 * m, 0, 2*h + 5*m},
		{"hourly", 20, 14*h + 5*m, 0, 15*h + 5*m},
		{"late in the 5-minute phase", 2, 10 * m, 0, 20 * m},
		{"late by hours", 2, 3 * h, 0, 3*h + 5*m},
		{"late, exactly on a slot", 2, 4*h + 5*m, 0, 5*h + 5*m},
		{"last slot", 52, 46*h + 5*m, 0, 47*h + 5*m},
		{"after the last slot", 53, 47*h + 5*m, 0, -1},
		{"late past 47h05m", 40, 47*h + 6*m, 0, -1},
		{"retry-after beyond next slot", 1, 0, 3 * m, 3 * m},
		{"retry-after shorter than next slot", 1, 0, 30 * time.Second, 1 * m},
		{"retry-after in the hourly phase", 10, 5*h + 5*m, 90 * m, 6*h + 35*m},
		{"retry-after past max age", 52, 46*h + 5*m, 2 * h, -1},
		{"retry-after up to max age", 52, 46*h + 5*m, 115 * m, 48 * h},
	}
	s := TwoCheckout()
	for _, tt := range tests {
		due, ok := s.NextAfter(tt.attempt, first, first.Add(tt.elapsed), tt.retryAfter)
		switch {
		case tt.want < 0 && ok:
			t.Errorf("%s: due +%v, want exhausted", tt.name, due.Sub(first))
		case tt.want >= 0 && (!ok || due.Sub(first) != tt.want):
			t.Errorf("%s: due +%v, %v; want +%v", tt.name, due.Sub(first), ok, tt.want)
		}
	}
}

func TestScheduleCustom(t *testing.T) {
	first := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	listOnly := Schedule{Offsets: []time.Duration{30 * time.Second, 5 * time.Minute}, MaxAge: time.Hour}
	if listOnly.Attempts() != 3 {
		t.Errorf("list only: Attempts() = %d", listOnly.Attempts())
	}
	if due, ok := listOnly.Next(2, first, first.Add(30*time.Second)); !ok || due.Sub(first) != 5*time.Minute {
		t.Errorf("list only: Next(2) = %v, %v", due.Sub(first), ok)
	}
	if _, ok := listOnly.Next(3, first, first.Add(5*time.Minute)); ok {
		t.Error("list only: Next(3) not exhausted")
	}
	periodic := Schedule{Every: 10 * time.Minute, MaxAge: time.Hour}
	if periodic.Attempts() != 7 {
		t.Errorf("periodic: Attempts() = %d", periodic.Attempts())
	}
	for n, want := range map[int]time.Duration{1: 0, 2: 10 * time.Minute, 7: time.Hour} {
		if got, ok := periodic.Offset(n); !ok || got != want {
			t.Errorf("periodic: Offset(%d) = %v, %v", n, got, ok)
		}
	}
	if due, ok := periodic.Next(1, first, first.Add(25*time.Minute)); !ok || due.Sub(first) != 30*time.Minute {
		t.Errorf("periodic: late Next = %v, %v", due.Sub(first), ok)
	}
	if _, ok := periodic.Offset(8); ok {
		t.Error("periodic: Offset(8) exists")
	}
	// An offset beyond MaxAge is never due.
	short := Schedule{Offsets: []time.Duration{time.Minute, 2 * time.Hour}, Every: time.Hour, MaxAge: time.Hour}
	if short.Attempts() != 2 {
		t.Errorf("short: Attempts() = %d", short.Attempts())
	}
	if _, ok := short.Next(2, first, first.Add(time.Minute)); ok {
		t.Error("short: offset beyond max age is due")
	}
	if short.Validate() == nil {
		t.Error("short: Validate() = nil")
	}
}

func TestScheduleValidate(t *testing.T) {
	bad := []Schedule{
		{MaxAge: 0},
		{Every: -time.Minute, MaxAge: time.Hour},
		{Offsets: []time.Duration{0}, MaxAge: time.Hour},
		{Offsets: []time.Duration{5 * time.Minute, 5 * time.Minute}, MaxAge: time.Hour},
		{Offsets: []time.Duration{5 * time.Minute, time.Minute}, MaxAge: time.Hour},
	}
	for i, s := range bad {
		if s.Validate() == nil {
			t.Errorf("schedule %d (%+v) is valid", i, s)
		}
	}
	if err := (Schedule{Offsets: []time.Duration{time.Second}, MaxAge: time.Second}).Validate(); err != nil {
		t.Errorf("offset equal to max age: %v", err)
	}
}
