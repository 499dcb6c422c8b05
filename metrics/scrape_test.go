package metrics_test

import (
	"context"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

var scrapeOut = flag.String("scrape-out", "", "TestScrape writes the exposition of a busy gateway (and a receiver) to this file")

// TestGolden drives one short story through the gateway observer and
// compares the exposition with testdata/story.prom:
//
//	3 LCN records read; one is not JSON, two become notifications;
//	the first is delivered 0.3s after its first attempt;
//	the second fails with a 503 (retry tier 1m), then is delivered 65s
//	after its first attempt.
func TestGolden(t *testing.T) {
	m, reg := newMetrics(t, "small.yaml")
	o := m.Gateway()
	for range 3 {
		o.Consumed(lcnTopic)
	}
	o.Invalid(signer.KindLCN, "bad_json")
	o.DeadLettered(retryrecord.DeadInput, signer.KindLCN, "bad_json")
	o.Built(signer.KindLCN, "ACME01", 1)
	o.Attempted(attempt(signer.KindLCN, delivered, 300*time.Millisecond))
	o.Built(signer.KindLCN, "ACME01", 1)
	o.Attempted(attempt(signer.KindLCN, failed503, 2*time.Second))
	o.RetryScheduled(attempt(signer.KindLCN, failed503, 2*time.Second), "lcngw.retry.1m", time.Now())
	o.Attempted(attempt(signer.KindLCN, delivered, 65*time.Second))

	f, err := os.Open("testdata/story.prom")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := testutil.GatherAndCompare(reg, f,
		"lcngw_events_consumed_total", "lcngw_events_invalid_total", "lcngw_notifications_built_total",
		"lcngw_delivery_attempts_total", "lcngw_delivery_attempts_failed_total",
		"lcngw_deliveries_total", "lcngw_delivery_latency_seconds", "lcngw_retries_scheduled_total",
	); err != nil {
		t.Error(err)
	}
}

// TestScrape fills every metric of a gateway and of a receiver, checks
// the exposition with the linter promtool uses, and writes it to
// -scrape-out for `promtool check metrics` in CI.
func TestScrape(t *testing.T) {
	reg := busyRegistry(t)
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	checkLabels(t, reg)
	if *scrapeOut != "" {
		if err := prometheus.WriteToTextfile(*scrapeOut, reg); err != nil {
			t.Fatal(err)
		}
	}
}

// busyRegistry returns a registry holding the gateway's metrics after
// some of everything, and a receiver's.
func busyRegistry(t testing.TB) *prometheus.Registry {
	t.Helper()
	m, reg := newMetrics(t, "config.yaml")
	send := m.Sender(delivery.SenderFunc(func(context.Context, *delivery.Request) delivery.Outcome {
		return delivery.Outcome{Result: delivery.Delivered}
	}))
	driveAll(m.Gateway(), m.Delivery(), send, "ACME01", "main", "lcngw.retry.5m", "timeout", 1)
	driveAll(m.Gateway(), m.Delivery(), send, "BETA02", "hooks", lcnTopic, "status_429", 0)
	o := m.Gateway()
	o.Attempted(attempt(signer.KindIPN, delivered, 90*time.Second))
	o.Assigned("source", 2)
	rm, err := receiver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	rm.Observe(receiver.Outcome{Kind: signer.KindLCN, Algorithm: signer.SHA256, Result: receiver.ResultValid, Duration: time.Millisecond})
	rm.Observe(receiver.Outcome{Kind: signer.KindIPN, Algorithm: signer.MD5, Result: receiver.ResultDowngraded, Duration: time.Millisecond})
	return reg
}
