package metrics_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// allowed lists every value each label may take with testdata/config.yaml.
func allowed() map[string]map[string]bool {
	set := func(vs ...string) map[string]bool {
		m := map[string]bool{}
		for _, v := range vs {
			m[v] = true
		}
		return m
	}
	reasons := set("other", pipeline.SkipTrigger, pipeline.SkipNoEndpoint)
	for _, r := range delivery.FailureReasons() {
		reasons[string(r)] = true
	}
	for _, r := range pipeline.InvalidReasons() {
		reasons[string(r)] = true
	}
	for _, r := range gateway.DeadDeliveryReasons() {
		reasons[r] = true
	}
	partitions := set()
	for p := range 10000 {
		partitions[strconv.Itoa(p)] = true
	}
	return map[string]map[string]bool{
		"merchant":  set("ACME01", "BETA02", metrics.Other),
		"endpoint":  set("main", "orders", "hooks", metrics.Other),
		"kind":      set("lcn", "ipn", "unknown"),
		"reason":    reasons,
		"topic":     set(lcnTopic, ipnTopic, "lcngw.retry.1m", "lcngw.retry.5m", "lcngw.retry.15m", "lcngw.retry.1h", metrics.Other),
		"tier":      set("1m", "5m", "15m", "1h", metrics.Other),
		"lane":      set("source", "retry", metrics.Other),
		"dead_kind": set("input", "delivery", metrics.Other),
		"state":     set("closed", "open", "half_open"),
		"partition": partitions,
		"version":   set("v1.2.3"),
		"algorithm": set("none", "md5", "sha256", "sha3-256"),
		"result":    set("valid", "invalid", "missing", "downgraded", "malformed", "too_large"),
		"goversion": set(runtime.Version()),
		"variant":   set("code_points", "utf16_units", "left_trimmed", "trimmed", "all_products"),
		"outcome":   set("delivered", "failed"),
		"purpose":   set("retry", "dead_letter", "other"),
	}
}

// checkLabels fails on any label value outside allowed(); the revision is
// the build's own.
func checkLabels(t testing.TB, reg prometheus.Gatherer) {
	t.Helper()
	ok := allowed()
	for name, values := range labelValues(t, reg) {
		for v := range values {
			if name == "revision" {
				continue
			}
			if !ok[name][v] {
				t.Errorf("label %s=%q is not a bounded value", name, v)
			}
		}
	}
}

// hostile are strings that must never become label values.
var hostile = []string{
	"https://acme.example/webhooks/2co?token=s3cret",
	"http://user:password@10.0.0.1/hook",
	"jane.doe@example.com",
	"3C343D0FAF",       // a license code
	"lcngw-ACME01-e-1", // a message id
	"acme01",           // a configured vendor code in the wrong case
	"ACME01 ",
	"main\n",
	"",
	"\xff\xfe",
	strings.Repeat("A", 10000),
}

// TestHostileLabels feeds hostile strings to every string parameter of
// every observer call: each is reported under a bounded value.
func TestHostileLabels(t *testing.T) {
	m, reg := newMetrics(t, "config.yaml")
	o, d := m.Gateway(), m.Delivery()
	send := m.Sender(delivery.SenderFunc(func(_ context.Context, _ *delivery.Request) delivery.Outcome {
		return delivery.Outcome{Result: delivery.Delivered}
	}))
	for _, s := range hostile {
		driveAll(o, d, send, s, s, s, s, 1)
		driveAll(o, d, send, "ACME01", s, s, s, 1) // a real merchant with a hostile endpoint
	}
	checkLabels(t, reg)
	got := nonZero(t, reg, "lcngw_delivery_attempts_total")
	want := float64(2 * 2 * len(hostile)) // two drives of two attempts each
	if v := got[`lcngw_delivery_attempts_total{kind="lcn"}`]; v != want || len(got) != 1 {
		t.Errorf("attempts = %v, want %v in one series (%v)", v, want, got)
	}
}

// driveAll makes every observer call once with the given strings.
func driveAll(o *instruments, d *delivery.Metrics, send delivery.Sender, merchant, endpoint, topic, reason string, partition int) {
	k := signer.KindLCN
	out := delivery.Outcome{Result: delivery.Retry, Reason: delivery.Reason(reason), Attempts: 1, Duration: time.Millisecond}
	at := gateway.Attempt{Kind: k, Merchant: merchant, Endpoint: endpoint, MessageID: reason, Number: 2, Outcome: out, Since: time.Second}
	o.Consumed(topic)
	o.Invalid(k, reason)
	o.Skipped(k, merchant, reason)
	o.Built(k, merchant, 1)
	o.Attempted(at)
	at.Outcome.Result = delivery.Permanent
	o.Exhausted(at)
	o.RetryScheduled(at, topic, time.Now())
	o.DeadLettered(reason, k, reason)
	o.DeadLettered(retryrecord.DeadInput, k, reason)
	o.DeadLettered(retryrecord.DeadDelivery, k, reason)
	o.InFlight(reason, 1)
	o.Assigned(reason, 1)
	o.Committed(reason, errors.New(reason))
	ep := &delivery.Endpoint{Merchant: merchant, Name: endpoint, URL: topic}
	d.Attempted(ep, out)
	d.QuickRetry(ep)
	d.BreakerChanged(ep, delivery.BreakerOpen)
	d.Waited(ep, time.Millisecond)
	d.Started(ep)()
	send.Send(context.Background(), &delivery.Request{Endpoint: ep, Kind: k})
}

// FuzzLabels: whatever the gateway passes, every label value stays in its
// bounded set.
func FuzzLabels(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s, s, s, 0)
	}
	f.Add("ACME01", "main", lcnTopic, "timeout", 3)
	f.Add("BETA02", "hooks", "lcngw.retry.1h", "retries_exhausted", -1)
	cfg := loadConfig(f, "config.yaml")
	f.Fuzz(func(t *testing.T, merchant, endpoint, topic, reason string, partition int) {
		reg := prometheus.NewRegistry()
		m, err := newInstruments(reg, cfg)
		if err != nil {
			t.Fatal(err)
		}
		send := m.Sender(delivery.SenderFunc(func(context.Context, *delivery.Request) delivery.Outcome {
			return delivery.Outcome{}
		}))
		driveAll(m.Gateway(), m.Delivery(), send, merchant, endpoint, topic, reason, partition)
		checkLabels(t, reg)
	})
}
