package metrics_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/pipeline"
)

// TestNewInitialisesLabelSets: every series the configuration makes
// possible exists before anything happened, and none is per merchant or
// endpoint: the series count does not grow with the merchants.
func TestNewInitialisesLabelSets(t *testing.T) {
	_, reg := newMetrics(t, "config.yaml")
	const (
		kinds     = 2  // lcn, ipn
		tiers     = 4  // gateway.DefaultTierDelays()
		failures  = 14 // delivery.FailureReasons()
		invalid   = 10 // pipeline.InvalidReasons()
		final     = 4  // pipeline.FinalReasons()
		deadDeliv = 7  // gateway.DeadDeliveryReasons()
	)
	want := map[string]int{
		"lcngw_build_info":                        1,
		"lcngw_events_consumed_total":             2, // the lcn and ipn topics
		"lcngw_events_invalid_total":              kinds * invalid,
		"lcngw_notifications_built_total":         kinds,
		"lcngw_notifications_skipped_total":       3, // lcn: both reasons, ipn: no_endpoint
		"lcngw_dead_letters_total":                2*invalid + 2*deadDeliv + 1,
		"lcngw_delivery_attempts_total":           kinds,
		"lcngw_delivery_attempts_failed_total":    kinds * failures,
		"lcngw_deliveries_total":                  kinds,
		"lcngw_deliveries_failed_total":           kinds * final,
		"lcngw_delivery_latency_seconds":          kinds * 2, // delivered, failed
		"lcngw_retries_scheduled_total":           tiers,
		"lcngw_delivery_requests_total":           1,
		"lcngw_delivery_requests_failed_total":    failures,
		"lcngw_delivery_request_duration_seconds": 2, // delivered, failed
		"lcngw_delivery_quick_retries_total":      1,
		"lcngw_delivery_slot_wait_seconds":        1,
		"lcngw_delivery_circuits_open":            1,
		"lcngw_delivery_circuit_opens_total":      1,
		"lcngw_delivery_in_flight":                1,
		"lcngw_delivery_receipt_variants_total":   5, // signer.ReceiptVariants() but standard
		"lcngw_kafka_commits_total":               2,
		"lcngw_kafka_commits_failed_total":        2,
		"lcngw_kafka_assigned_partitions":         2,
		"lcngw_records_in_flight":                 2,
		"lcngw_kafka_writes_failed_total":         3, // retry, dead_letter, other
		"lcngw_kafka_rebalances_total":            2,
		"lcngw_replayed_total":                    1,
	}
	for name, n := range want {
		if got, err := testutil.GatherAndCount(reg, name); err != nil || got != n {
			t.Errorf("%s: %d series (%v), want %d", name, got, err, n)
		}
	}
	if got, want := len(delivery.FailureReasons())+len(pipeline.InvalidReasons())+len(pipeline.FinalReasons())+len(gateway.DeadDeliveryReasons()),
		failures+invalid+final+deadDeliv; got != want {
		t.Errorf("reason sets have %d values, the counts above assume %d", got, want)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range gather(t, reg) {
			if !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is exported but not checked here", name)
		}
	}
}

// TestInitialValues: no circuit is open, everything is at zero.
func TestInitialValues(t *testing.T) {
	_, reg := newMetrics(t, "small.yaml")
	const golden = `
# HELP lcngw_delivery_circuits_open Endpoints whose circuit breaker is open or half-open on this instance.
# TYPE lcngw_delivery_circuits_open gauge
lcngw_delivery_circuits_open 0
# HELP lcngw_retries_scheduled_total Notifications written to a retry tier, by tier (its delay).
# TYPE lcngw_retries_scheduled_total counter
lcngw_retries_scheduled_total{tier="15m"} 0
lcngw_retries_scheduled_total{tier="1h"} 0
lcngw_retries_scheduled_total{tier="1m"} 0
lcngw_retries_scheduled_total{tier="5m"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(golden),
		"lcngw_delivery_circuits_open", "lcngw_retries_scheduled_total"); err != nil {
		t.Error(err)
	}
}

// TestRequestBucketsReachTimeout: the request-duration buckets end at the
// longest endpoint timeout (45s in config.yaml, the 30s default in
// small.yaml).
func TestRequestBucketsReachTimeout(t *testing.T) {
	for file, top := range map[string]float64{"config.yaml": 45, "small.yaml": 30} {
		_, reg := newMetrics(t, file)
		h := gather(t, reg)["lcngw_delivery_request_duration_seconds"].GetMetric()[0].GetHistogram()
		var bounds []float64
		for _, b := range h.GetBucket() {
			bounds = append(bounds, b.GetUpperBound())
		}
		want := []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, top}
		if !slices.Equal(bounds, want) {
			t.Errorf("%s: buckets %v, want %v", file, bounds, want)
		}
	}
}

func TestBuildInfo(t *testing.T) {
	_, reg := newMetrics(t, "small.yaml")
	mf := gather(t, reg)["lcngw_build_info"]
	got := map[string]string{}
	for _, lp := range mf.GetMetric()[0].GetLabel() {
		got[lp.GetName()] = lp.GetValue()
	}
	if got["version"] != "v1.2.3" || got["goversion"] != runtime.Version() || got["revision"] == "" {
		t.Errorf("build info labels %v", got)
	}
	if v := mf.GetMetric()[0].GetGauge().GetValue(); v != 1 {
		t.Errorf("build info = %v", v)
	}
}

func TestNewErrors(t *testing.T) {
	cfg := loadConfig(t, "small.yaml")
	dup := loadConfig(t, "small.yaml")
	dup.Merchants = append(dup.Merchants, dup.Merchants[0])
	taken := prometheus.NewRegistry()
	if _, err := newInstruments(taken, cfg); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		reg  prometheus.Registerer
		cfg  *config.Config
		want string
	}{
		{"registered twice", taken, cfg, "duplicate metrics collector registration"},
		{"merchant twice", prometheus.NewRegistry(), dup, "merchant ACME01 configured twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newInstruments(tt.reg, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestTierDelays: other tiers are other tier labels.
func TestTierDelays(t *testing.T) {
	reg := prometheus.NewRegistry()
	_, err := newInstruments(reg, loadConfig(t, "small.yaml"), 30*time.Second, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := labelValues(t, reg)["tier"]
	if len(got) != 2 || !got["30s"] || !got["10m"] {
		t.Errorf("tiers %v", got)
	}
}

// TestLint: the exposition passes the linter promtool check metrics runs.
func TestLint(t *testing.T) {
	_, reg := newMetrics(t, "config.yaml")
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}
