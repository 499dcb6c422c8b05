package bench

import "fmt"

// Target is one goal of the gateway, checked against a report.
type Target struct {
	// Name says what is measured; Want the goal; Got the measurement.
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	// Ratio is the measurement over the goal (for upper bounds, the goal
	// over the measurement), so ≥ 1 meets it.
	Ratio float64 `json:"ratio"`
	Met   bool    `json:"met"`
}

// Goals of the gateway on the reference machine.
const (
	GoalPerSec       = 15_000 // notifications/s end to end, receipts verified, offsets committed
	GoalCeilingRatio = 0.5    // of the bare signing sender
	GoalP50MS        = 3.0    // at half the maximum rate
	GoalP99MS        = 20.0   // at half the maximum rate
	GoalRSSMB        = 256.0  // gateway peak RSS (stated for a 1M-event backlog)
	// GoalAttemptLogCostPct bounds the throughput the attempt log costs.
	GoalAttemptLogCostPct = 10.0
)

// targets checks the goals the report can speak to.
func targets(r *Report) []Target {
	var out []Target
	flat := r.Result
	if flat.Mode == "flat out" || flat.Mode == "backlog" {
		out = append(out, atLeast(fmt.Sprintf("end-to-end throughput (%s, %d events, mix %.2f LCN)", flat.Mode,
			flat.Events, r.Settings.Mix), "notifications/s", flat.DeliveredPerSec, GoalPerSec))
		if flat.CeilingPerSec > 0 {
			out = append(out, atLeast("throughput / bare signing sender", "×", flat.Ratio, GoalCeilingRatio))
		}
	}
	if h := r.HalfRate; h != nil {
		out = append(out, atMost("p50 latency at half the maximum rate", "ms", h.P50, GoalP50MS))
		out = append(out, atMost("p99 latency at half the maximum rate", "ms", h.P99, GoalP99MS))
	}
	if n := r.NoAttemptLog; n != nil && n.DeliveredPerSec > 0 {
		cost := 100 * (1 - flat.DeliveredPerSec/n.DeliveredPerSec)
		t := atMost("throughput cost of the attempt log (same run)", "%", round3(cost), GoalAttemptLogCostPct)
		if cost <= 0 { // the run with the log was as fast or faster: the box's noise
			t.Ratio = round3(GoalAttemptLogCostPct / 0.1)
		}
		out = append(out, t)
	}
	out = append(out, atMost(fmt.Sprintf("gateway peak RSS (%s, %d events)", flat.Mode, flat.Events), "MB",
		flat.MaxRSSMB, GoalRSSMB))
	lost := flat.Lost
	if r.HalfRate != nil {
		lost += r.HalfRate.Lost
	}
	out = append(out, Target{Name: "notifications lost", Want: "0", Got: fmt.Sprint(lost), Met: lost == 0,
		Ratio: boolRatio(lost == 0)})
	return out
}

func atLeast(name, unit string, got, want float64) Target {
	return Target{Name: name, Want: fmt.Sprintf("≥ %s %s", num(want), unit), Got: num(got) + " " + unit,
		Ratio: round3(got / want), Met: got >= want}
}

func atMost(name, unit string, got, want float64) Target {
	ratio := 0.0
	if got > 0 {
		ratio = round3(want / got)
	}
	return Target{Name: name, Want: fmt.Sprintf("≤ %s %s", num(want), unit), Got: num(got) + " " + unit,
		Ratio: ratio, Met: got <= want}
}

func boolRatio(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// num renders a figure with at most 3 significant decimals.
func num(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.3g", x)
}
