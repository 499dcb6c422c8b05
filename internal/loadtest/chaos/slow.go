package chaos

import (
	"context"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Slow-endpoint scenario: 4 healthy merchants and a fifth whose one
// endpoint answers after SlowLatency and gets one event in slowEvery.
const (
	SlowLatency     = 5 * time.Second
	slowEvery       = 50
	healthyCount    = 4
	slowTimeout     = 10 * time.Second // the slow endpoint's delivery timeout
	goalThroughput  = 0.9              // healthy throughput kept, at least
	goalP99Multiple = 2.0              // healthy p99 grows at most this much
	// slowSettle is the extra wait for the slow endpoint's overflow, which
	// takes the retry path and follows the schedule (every minute after
	// the first).
	slowSettle = 5 * time.Minute
)

// SlowComparison compares the healthy endpoints of a run with a slow
// endpoint against a baseline run without it, at the same rate.
type SlowComparison struct {
	Rate        float64 `json:"rate"`
	SlowLatency string  `json:"slow_latency"`
	SlowShare   float64 `json:"slow_share"`
	Baseline    Healthy `json:"baseline"`
	WithSlow    Healthy `json:"with_slow"`
	// ThroughputRatio is WithSlow over Baseline delivered/s; P99Ratio
	// WithSlow over Baseline p99.
	ThroughputRatio float64 `json:"throughput_ratio"`
	P99Ratio        float64 `json:"p99_ratio"`
	// SlowDelivered counts the slow endpoint's deliveries.
	SlowDelivered int64 `json:"slow_delivered"`
	// ThroughputKept and P99Kept tell whether the goals (≥ 0.9×, ≤ 2×) hold.
	ThroughputKept bool `json:"throughput_kept"`
	P99Kept        bool `json:"p99_kept"`
}

// Healthy is what the healthy endpoints achieved together.
type Healthy struct {
	Delivered int64   `json:"delivered"`
	Seconds   float64 `json:"seconds"`
	PerSec    float64 `json:"per_sec"`
	P50       float64 `json:"p50_ms"`
	P99       float64 `json:"p99_ms"`
}

// runSlowEndpoint runs a baseline and then the same events with the fifth
// merchant's endpoint slow, and compares the healthy endpoints.
func runSlowEndpoint(ctx context.Context, o Options) (*Result, error) {
	rate := rateFor(o, o.Events)
	base, baseRes, _, err := slowPhase(ctx, o, rate, false)
	if err != nil {
		return nil, err
	}
	with, res, slowDelivered, err := slowPhase(ctx, o, rate, true)
	if err != nil {
		return nil, err
	}
	for _, f := range baseRes.Failures {
		res.Failures = append(res.Failures, "baseline: "+f)
	}
	c := &SlowComparison{Rate: rate, SlowLatency: SlowLatency.String(), SlowShare: 1.0 / slowEvery,
		Baseline: base, WithSlow: with, SlowDelivered: slowDelivered}
	if base.PerSec > 0 {
		c.ThroughputRatio = round(with.PerSec / base.PerSec)
	}
	if base.P99 > 0 {
		c.P99Ratio = round(with.P99 / base.P99)
	}
	c.ThroughputKept, c.P99Kept = c.ThroughputRatio >= goalThroughput, c.P99Ratio <= goalP99Multiple
	res.Slow = c
	if !c.ThroughputKept || !c.P99Kept {
		res.Findings = append(res.Findings, "the healthy endpoints did not keep their throughput (≥ 0.9×) and p99 (≤ 2×) beside the slow one")
	}
	return res, nil
}

// slowPhase runs one phase; slow makes the fifth merchant's endpoint slow.
func slowPhase(ctx context.Context, o Options, rate float64, slow bool) (Healthy, *Result, int64, error) {
	topo, err := loadtest.NewTopology(healthyCount, 1)
	if err == nil {
		err = topo.AddMerchant(1)
	}
	if err != nil {
		return Healthy{}, nil, 0, err
	}
	ep := &topo.Merchants[healthyCount].Endpoints[0]
	ep.Timeout = slowTimeout
	if slow {
		ep.Latency = SlowLatency
		o.Timeout += slowSettle
	}
	topo.Pattern = make([]int, slowEvery)
	for i := range topo.Pattern {
		topo.Pattern[i] = i % healthyCount
	}
	topo.Pattern[slowEvery-1] = healthyCount
	r, err := begin(ctx, o, plan{topo: topo, settings: loadtest.DefaultGateway(), mixed: loadtest.Mixed{Good: o.Events}})
	if err != nil {
		return Healthy{}, nil, 0, err
	}
	if err := r.publish(ctx, rate, nil); err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	slowDelivered := r.h.Collector.Endpoint(topo.First(healthyCount)).Delivered
	return healthyStats(r.h, r.start), res, slowDelivered, nil
}

// healthyStats sums the healthy endpoints' tallies.
func healthyStats(h *loadtest.Harness, start time.Time) Healthy {
	var s Healthy
	var lat []int64
	var last int64
	for ep := range healthyCount {
		t := h.Collector.Endpoint(ep)
		s.Delivered += t.Delivered
		lat = append(lat, t.Latencies...)
		last = max(last, t.Last)
	}
	if last > 0 {
		s.Seconds = round(time.Unix(0, last).Sub(start).Seconds())
	}
	if s.Seconds > 0 {
		s.PerSec = round(float64(s.Delivered) / s.Seconds)
	}
	l := loadtest.Summarize(lat)
	s.P50, s.P99 = l.P50, l.P99
	return s
}
