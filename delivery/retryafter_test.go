package delivery

import (
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"007", 7 * time.Second, true},
		{"99999999999999999999999", maxRetryAfterSeconds * time.Second, true},
		{"Wed, 06 May 2026 07:09:39 GMT", 90 * time.Second, true},     // IMF-fixdate
		{"Wednesday, 06-May-26 07:18:09 GMT", 10 * time.Minute, true}, // RFC 850
		{"Wed May  6 08:08:09 2026", time.Hour, true},                 // asctime
		{"Wed, 06 May 2026 07:00:00 GMT", 0, true},                    // past
		{"", 0, false},
		{"   ", 0, false},
		{"-5", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"5s", 0, false},
		{"tomorrow", 0, false},
		{"Wed, 06 May 2026 07:09:39", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, s := range []string{"0", "120", "Wed, 06 May 2026 07:09:39 GMT", "Wed May  6 08:08:09 2026", "-1", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseRetryAfter(s, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v", s, d, ok)
		}
		if v := strings.TrimSpace(s); ok && isDigits(v) && len(v) < 10 {
			var n int64
			for _, c := range v {
				n = n*10 + int64(c-'0')
			}
			if d != time.Duration(n)*time.Second {
				t.Fatalf("ParseRetryAfter(%q) = %v, want %ds", s, d, n)
			}
		}
		if capped := retryAfterValue(s, now, time.Hour); capped < 0 || capped > time.Hour {
			t.Fatalf("retryAfterValue(%q) = %v", s, capped)
		}
	})
}
