package loadtest

import (
	"math"
	"slices"
	"time"
)

// Latency summarises produce-to-receipt times, in milliseconds.
type Latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// Summarize returns the percentiles of ns (nanoseconds) by the nearest-rank
// method; ns is not modified.
func Summarize(ns []int64) Latency {
	if len(ns) == 0 {
		return Latency{}
	}
	s := slices.Clone(ns)
	slices.Sort(s)
	return Latency{Count: len(s), P50: ms(Percentile(s, 50)), P95: ms(Percentile(s, 95)),
		P99: ms(Percentile(s, 99)), Max: ms(s[len(s)-1])}
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value with at least p% of the values
// at or below it.
func Percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func ms(ns int64) float64 { return round(float64(ns)/float64(time.Millisecond), 3) }
