package param

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendTimezoneOffset compares the append form with the formula
// TimezoneOffset documents, over zones east and west, with odd minutes and
// seconds, and beyond ±99 hours.
func TestAppendTimezoneOffset(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	offsets := []int{0, 7200, -18000, 5*3600 + 30*60, -(9*3600 + 30*60), 14 * 3600, 45, -59, 100 * 3600, -(123*3600 + 59*60 + 59)}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		offsets = append(offsets, rng.IntN(400*3600)-200*3600)
	}
	at := time.Date(2026, 3, 10, 8, 15, 0, 0, time.UTC)
	var buf [32]byte
	for _, off := range offsets {
		loc := time.FixedZone("", off)
		if got, want := string(AppendTimezoneOffset(buf[:0], at, loc)), sprintOffset(off); got != want {
			t.Fatalf("offset %d: %q, want %q", off, got, want)
		}
		if got := TimezoneOffset(at, loc); got != sprintOffset(off) {
			t.Fatalf("TimezoneOffset for %d: %q", off, got)
		}
	}
	for _, at := range []time.Time{at, at.AddDate(0, 6, 0)} { // standard and daylight time
		_, off := at.In(ny).Zone()
		if got := string(AppendTimezoneOffset(buf[:0], at, ny)); got != sprintOffset(off) {
			t.Errorf("New York at %v: %q", at, got)
		}
	}
}

func sprintOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("GMT%c%02d:%02d", sign, off/3600, off%3600/60)
}
