package bench

import (
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Result is one measured run of the gateway. Notifications are counted
// per endpoint: an event for a merchant with two endpoints makes two.
type Result struct {
	// Mode is "flat out", "paced N events/s" or "backlog".
	Mode       string  `json:"mode"`
	TargetRate float64 `json:"target_rate"`
	// Events, Expected, Delivered, Lost and Duplicates: see
	// loadtest.Accounting.
	Events       int   `json:"events"`
	Expected     int64 `json:"expected"`
	Delivered    int64 `json:"delivered"`
	Lost         int64 `json:"lost"`
	Duplicates   int64 `json:"duplicates"`
	DeadLettered int64 `json:"dead_lettered"`
	// RetryRecords counts the records the gateway wrote to its retry
	// tiers: none while every endpoint keeps up.
	RetryRecords int64 `json:"retry_records"`
	// Rejected counts requests the endpoints refused (bad signatures).
	Rejected map[string]int64 `json:"rejected_by_status"`
	// Seconds runs from the start of publication (or, for a backlog, of
	// the gateway) to the last first delivery.
	Seconds         float64 `json:"seconds"`
	DeliveredPerSec float64 `json:"delivered_per_sec"`
	CeilingPerSec   float64 `json:"ceiling_per_sec"`
	Ratio           float64 `json:"ratio"`
	// P50, P95, P99 and Max are produce-to-verified-receipt times.
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_latency_ms"`
	// P50FromAck and P99FromAck time the same receipts from the broker's
	// acknowledgement of the produce request instead: what remains once
	// the producer and the broker have stored the event.
	P50FromAck float64 `json:"p50_from_ack_ms"`
	P99FromAck float64 `json:"p99_from_ack_ms"`
	// MaxRSSMB is the gateway's peak resident set.
	MaxRSSMB float64 `json:"max_rss_mb"`
	// CPU is each component's use over the measured time.
	CPU map[string]loadtest.Usage `json:"cpu"`
	// GatewayCPUPerNotification is gateway CPU µs per delivered notification.
	GatewayCPUPerNotification float64 `json:"gateway_cpu_us_per_notification"`
	// Committed tells whether the gateway committed every source offset,
	// CommitMS how long after the last delivery that was confirmed.
	Committed bool    `json:"offsets_committed"`
	CommitMS  float64 `json:"commit_confirmed_after_ms"`
	// OtherLoad is the load of other processes on the machine just before
	// the run (cores; 0 when not measured).
	OtherLoad float64 `json:"other_load_before_cores"`
	// Errors lists what went wrong (timeouts, a failed shutdown).
	Errors []string `json:"errors,omitempty"`
}

// fill computes the run's figures from the accounting and the snapshots
// taken at the start and the end of the measured time.
func (r *Result) fill(h *loadtest.Harness, acc loadtest.Accounting, before, after loadtest.Snapshot) {
	r.Events, r.Expected, r.Delivered, r.Lost = acc.Events, acc.Expected, acc.Delivered, acc.Lost
	r.Duplicates, r.DeadLettered, r.Rejected = acc.Duplicates, acc.DeadLettered, acc.Rejected
	var lat, fromAck []int64
	start, last := before.At, int64(0)
	for ep := range h.Topo.Flat() {
		t := h.Collector.Endpoint(ep)
		lat = append(lat, t.Latencies...)
		fromAck = append(fromAck, t.FromAck...)
		if t.First > 0 && time.Unix(0, t.First).Before(start) { // a backlog drains from the gateway's join
			start = time.Unix(0, t.First)
		}
		last = max(last, t.Last)
	}
	s := loadtest.Summarize(lat)
	r.P50, r.P95, r.P99, r.Max = s.P50, s.P95, s.P99, s.Max
	a := loadtest.Summarize(fromAck)
	r.P50FromAck, r.P99FromAck = a.P50, a.P99
	if last > 0 {
		r.Seconds = round3(time.Unix(0, last).Sub(start).Seconds())
	}
	if r.Seconds > 0 {
		r.DeliveredPerSec = round1(float64(r.Delivered) / r.Seconds)
	}
	r.CPU = loadtest.UsageBetween(before, after)
	gw := r.CPU[loadtest.CompGateway]
	r.MaxRSSMB = gw.MaxRSSMB
	if r.Delivered > 0 {
		r.GatewayCPUPerNotification = round1(gw.CPUSeconds * 1e6 / float64(r.Delivered))
	}
}

// finish relates the run to the ceiling.
func (r *Result) finish(c *loadtest.CeilingResult) {
	if c == nil || c.PerSec == 0 {
		return
	}
	r.CeilingPerSec = c.PerSec
	r.Ratio = round3(r.DeliveredPerSec / c.PerSec)
}

// Report is the outcome of Run: the first run's figures at the top level,
// the half-rate run, the ceiling, the machine, the settings and the
// targets.
type Report struct {
	Result
	HalfRate *Result `json:"half_rate,omitempty"`
	// NoAttemptLog is the same flat-out run without the attempt log.
	NoAttemptLog *Result                 `json:"no_attempt_log,omitempty"`
	Ceiling      *loadtest.CeilingResult `json:"ceiling,omitempty"`
	Machine      loadtest.Machine        `json:"machine"`
	Settings     Settings                `json:"settings"`
	Targets      []Target                `json:"targets"`
	Command      string                  `json:"command"`
	Started      string                  `json:"started"`
}

// Settings are the knobs of a run.
type Settings struct {
	Events          int     `json:"events"`
	Rate            float64 `json:"rate"`
	Backlog         bool    `json:"backlog"`
	Merchants       int     `json:"merchants"`
	Endpoints       int     `json:"endpoints_per_merchant"`
	Mix             float64 `json:"mix_lcn"`
	ReceiverLatency string  `json:"receiver_latency"`
	FailureRate     float64 `json:"failure_rate"`
	Partitions      int     `json:"partitions"`
	BrokerProcs     int     `json:"broker_procs"`
	KafkaTLS        bool    `json:"kafka_tls"`
	Concurrency     int     `json:"concurrency"`
	InFlight        int     `json:"in_flight"`
	CeilingDuration string  `json:"ceiling_duration"`
	Gateway         string  `json:"gateway"`
}

func settingsOf(o Options) Settings {
	gw := "lcngw-bench bench gateway (lcngw serve's wiring, retry tiers " + loadtest.DefaultGateway().TierFlag() + ")"
	if o.UseServe {
		gw = "lcngw serve"
	}
	return Settings{Events: o.Events, Rate: o.Rate, Backlog: o.Backlog, Merchants: o.Merchants, Endpoints: o.Endpoints,
		Mix: o.Mix, ReceiverLatency: o.ReceiverLatency.String(), FailureRate: o.FailureRate, Partitions: o.Partitions, BrokerProcs: o.BrokerProcs, KafkaTLS: o.KafkaTLS,
		Concurrency: o.Concurrency, InFlight: o.InFlight, CeilingDuration: o.CeilingDuration.String(), Gateway: gw}
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
