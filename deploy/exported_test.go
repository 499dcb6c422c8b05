package deploy_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/endpointhealth"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lag"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/receiver"
)

// family is what a query may use of one exported metric family.
type family struct {
	labels map[string]bool            // label names
	values map[string]map[string]bool // label name → values seen
}

// discardWriter takes the attempt log's batches and keeps nothing.
type discardWriter struct{}

func (discardWriter) WriteMessages(context.Context, ...kafka.Message) error { return nil }

// exported registers the gateway's and a receiver's metrics as a process
// would, gives every family a series, and returns the series names a
// query can select (histograms as _bucket, _sum and _count) with the
// labels each carries (le included for _bucket).
func exported(t *testing.T) map[string]family {
	t.Helper()
	cfg, err := config.Load("testdata/config.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	opts := gateway.Options{TierDelays: gateway.DefaultTierDelays()}
	if _, err := gateway.Instrument(&opts, cfg, reg, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := receiver.NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	alog, err := attemptlog.New(attemptlog.Options{Writer: discardWriter{}, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alog.Close(context.Background()) })
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	mfs = append(mfs, brokerAndEndpointFamilies(t, cfg)...)
	out := map[string]family{}
	for _, mf := range mfs {
		f := family{labels: map[string]bool{}, values: map[string]map[string]bool{}}
		for _, s := range mf.GetMetric() {
			for _, lp := range s.GetLabel() {
				f.labels[lp.GetName()] = true
				if f.values[lp.GetName()] == nil {
					f.values[lp.GetName()] = map[string]bool{}
				}
				f.values[lp.GetName()][lp.GetValue()] = true
			}
		}
		name := mf.GetName()
		if mf.GetType() != dto.MetricType_HISTOGRAM {
			out[name] = f
			continue
		}
		// A native histogram is selected by its bare name.
		out[name], out[name+"_sum"], out[name+"_count"] = f, f, f
		bucket := family{labels: maps.Clone(f.labels), values: f.values}
		bucket.labels["le"] = true
		out[name+"_bucket"] = bucket
	}
	if len(out) == 0 {
		t.Fatal("nothing exported")
	}
	return out
}

// brokerAndEndpointFamilies are the families of the lag meter and of the
// endpoint health tracker, registered apart (they replace families of the
// gateway's own registry), with a series for every label value rules may
// name: a measured snapshot, and an endpoint failing for every reason,
// paused and tripped.
func brokerAndEndpointFamilies(t *testing.T, cfg *config.Config) []*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewRegistry()
	lm, err := lag.NewMetrics(reg, lag.MetricsOptions{Tiers: map[string]string{cfg.Kafka.Topics.Retry + ".5m": "5m"},
		DeadLetter: cfg.Kafka.Topics.DeadLetter})
	if err != nil {
		t.Fatal(err)
	}
	lm.Report(&lag.Snapshot{Lags: []lag.PartitionLag{
		{Lane: metrics.LaneSource, Topic: cfg.Kafka.Topics.LCN},
		{Lane: metrics.LaneRetry, Topic: cfg.Kafka.Topics.Retry + ".5m"},
	}}, nil)
	if err := metrics.RegisterReady(reg, func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	tr, err := endpointhealth.New(endpointhealth.Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	m, e := cfg.Merchants[0].VendorCode, cfg.Merchants[0].Endpoints[0].Name
	for _, r := range delivery.FailureReasons() {
		tr.Attempted(endpointhealth.Attempt{Merchant: m, Endpoint: e, ID: string(r), Reason: string(r), First: time.Now(), Due: time.Now()})
		tr.Requested(m, e, false, string(r))
	}
	for _, s := range []string{"open", "half_open", "closed"} {
		tr.Breaker(m, e, s)
		tr.Breaker(m, s, s)
	}
	tr.Paused(m, e, true)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return mfs
}

// TestExportedNames guards the test itself: the families it compares
// against include both processes' metrics.
func TestExportedNames(t *testing.T) {
	names := slices.Sorted(maps.Keys(exported(t)))
	for _, want := range []string{
		"lcngw_delivery_attempts_total", "lcngw_delivery_latency_seconds_bucket",
		"lcngw_kafka_consumer_lag", "lcngw_receiver_verifications_total",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("%s not among %v", want, names)
		}
	}
}

// TestMetricsDocumented: docs/operations.md lists every exported metric.
func TestMetricsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range exported(t) {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !strings.Contains(string(doc), "| `"+base+"` |") {
			t.Errorf("%s is not in the metric tables of docs/operations.md", base)
		}
	}
}
