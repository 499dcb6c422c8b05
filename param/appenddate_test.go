package param

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata"
)

// TestAppendDateMatchesFormat compares the append forms with FormatDate and
// FormatDay over random instants (years 0–9999 and beyond) in several zones.
func TestAppendDateMatchesFormat(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	locs := []*time.Location{time.UTC, DefaultLocation(), ny, time.FixedZone("", -(9*3600 + 30*60))}
	rng := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	instants := []time.Time{{}, time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC), time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC)}
	for range 20000 {
		instants = append(instants, time.Unix(lo+rng.Int64N(hi-lo), rng.Int64N(1e9)))
	}
	var buf [32]byte
	for _, at := range instants {
		for _, loc := range locs {
			if got, want := string(AppendDate(buf[:0], at, loc)), FormatDate(at, loc); got != want {
				t.Fatalf("AppendDate(%v, %v) = %q, FormatDate %q", at, loc, got, want)
			}
			if got, want := string(AppendDay(buf[:0], at, loc)), FormatDay(at, loc); got != want {
				t.Fatalf("AppendDay(%v, %v) = %q, FormatDay %q", at, loc, got, want)
			}
		}
	}
}

func BenchmarkAppendDate(b *testing.B) {
	at := time.Date(2026, 3, 10, 8, 15, 0, 0, time.UTC)
	var buf [32]byte
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			_ = AppendDate(buf[:0], at, DefaultLocation())
		}
	})
	b.Run("format", func(b *testing.B) {
		for b.Loop() {
			_ = FormatDate(at, DefaultLocation())
		}
	})
}
