package metrics_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// loadConfig loads and validates testdata/name.
func loadConfig(t testing.TB, name string) *config.Config {
	t.Helper()
	cfg, err := config.Load("testdata/"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newMetrics registers the metrics of testdata/name on a fresh registry.
func newMetrics(t testing.TB, name string) (*instruments, *prometheus.Registry) {
	t.Helper()
	return newMetricsFrom(t, loadConfig(t, name))
}

// newMetricsFrom registers the metrics of cfg on a fresh registry.
func newMetricsFrom(t testing.TB, cfg *config.Config, delays ...time.Duration) (*instruments, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := newInstruments(reg, cfg, delays...)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

// instruments are every package's metrics, registered on one registry
// as a serving process registers them, driven through one method set (the
// calls the gateway, its pipeline and its deliveries make).
type instruments struct {
	labels *metrics.Labels
	pm     *pipeline.Metrics
	gm     *gateway.Metrics
	dm     *delivery.Metrics
}

// newInstruments registers them for cfg, with the default retry tiers
// unless delays are given.
func newInstruments(reg prometheus.Registerer, cfg *config.Config, delays ...time.Duration) (*instruments, error) {
	if len(delays) == 0 {
		delays = gateway.DefaultTierDelays()
	}
	tiers, err := gateway.NewTiers(cfg.Kafka.Topics.Retry, delays)
	if err != nil {
		return nil, err
	}
	labels, err := metrics.NewLabels(cfg, tiers.Topics())
	if err != nil {
		return nil, err
	}
	if err := metrics.RegisterBuildInfo(reg, "v1.2.3"); err != nil {
		return nil, err
	}
	timeout := cfg.Delivery.Timeout
	for i := range cfg.Merchants {
		for _, e := range cfg.Merchants[i].Endpoints {
			timeout = max(timeout, cfg.Delivery.Effective(e).Timeout)
		}
	}
	m := &instruments{labels: labels}
	if m.dm, err = delivery.NewMetrics(reg, timeout); err != nil {
		return nil, err
	}
	if m.pm, err = pipeline.NewMetrics(reg); err != nil {
		return nil, err
	}
	if m.gm, err = gateway.NewMetrics(reg, labels); err != nil {
		return nil, err
	}
	return m, nil
}

// Gateway returns the instruments as the gateway and its pipeline call
// them.
func (m *instruments) Gateway() *instruments { return m }

// Sender wraps next as a delivery.Deliverer counts the attempts in
// progress.
func (m *instruments) Sender(next delivery.Sender) delivery.Sender {
	return delivery.SenderFunc(func(ctx context.Context, req *delivery.Request) delivery.Outcome {
		defer m.dm.Started(req.Endpoint)()
		return next.Send(ctx, req)
	})
}

// Delivery returns the deliveries' metrics.
func (m *instruments) Delivery() *delivery.Metrics { return m.dm }

func (m *instruments) Consumed(topic string)                { m.gm.Consumed(topic) }
func (m *instruments) Invalid(k signer.Kind, reason string) { m.pm.Invalid(k, reason) }
func (m *instruments) Skipped(k signer.Kind, v, r string)   { m.pm.Skipped(k, v, r) }
func (m *instruments) Built(k signer.Kind, v string, _ int) { m.pm.Built(k, v) }
func (m *instruments) InFlight(lane string, n int)          { m.gm.InFlight(lane, n) }
func (m *instruments) Assigned(lane string, n int)          { m.gm.Assigned(lane, n) }
func (m *instruments) Committed(lane string, err error)     { m.gm.Committed(lane, err) }
func (m *instruments) WriteFailed(purpose string)           { m.gm.WriteFailed(purpose) }
func (m *instruments) Rebalanced(lane string)               { m.gm.Rebalanced(lane) }
func (m *instruments) Replayed(n int)                       { m.gm.Replayed(n) }
func (m *instruments) RetryScheduled(_ gateway.Attempt, tier string, _ time.Time) {
	m.gm.RetryScheduled(tier)
}
func (m *instruments) DeadLettered(deadKind string, k signer.Kind, reason string) {
	m.gm.DeadLettered(deadKind, k, reason)
}

// Attempted reports a scheduled attempt that ended in a.Outcome: a
// permanent failure is dead, a transient one retried.
func (m *instruments) Attempted(a gateway.Attempt) {
	v := pipeline.Retry
	switch a.Outcome.Result {
	case delivery.Delivered:
		v = pipeline.Delivered
	case delivery.Permanent:
		v = pipeline.Dead
	}
	m.pm.Attempted(pipelineAttempt(a, v, string(a.Outcome.Reason)))
}

// Exhausted reports the last scheduled attempt of a notification whose
// schedule has no attempt left.
func (m *instruments) Exhausted(a gateway.Attempt) {
	m.pm.Attempted(pipelineAttempt(a, pipeline.Dead, pipeline.ReasonExhausted))
}

func pipelineAttempt(a gateway.Attempt, v pipeline.Verdict, reason string) pipeline.Attempt {
	return pipeline.Attempt{Merchant: a.Merchant, Endpoint: a.Endpoint, Kind: a.Kind, MessageID: a.MessageID,
		Number: a.Number, Result: v, Reason: reason, LastReason: string(a.Outcome.Reason), Status: a.Outcome.Status,
		Requests: a.Outcome.Attempts, Duration: a.Outcome.Duration, Latency: a.Queued + a.Since}
}

// gather returns the registry's families by name.
func gather(t testing.TB, g prometheus.Gatherer) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*dto.MetricFamily, len(mfs))
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

// labelValues returns every value of every label of every series.
func labelValues(t testing.TB, g prometheus.Gatherer) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, mf := range gather(t, g) {
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if out[lp.GetName()] == nil {
					out[lp.GetName()] = map[string]bool{}
				}
				out[lp.GetName()][lp.GetValue()] = true
			}
		}
	}
	return out
}

// nonZero returns every series of the named families whose value is not
// zero, keyed as name{label="value",...} with labels sorted by name (the
// order Gather returns them in); histograms as name_count and name_sum.
func nonZero(t testing.TB, g prometheus.Gatherer, families ...string) map[string]float64 {
	t.Helper()
	all := gather(t, g)
	out := map[string]float64{}
	for _, name := range families {
		for _, m := range all[name].GetMetric() {
			key := "{"
			for i, lp := range m.GetLabel() {
				if i > 0 {
					key += ","
				}
				key += lp.GetName() + "=" + strconv.Quote(lp.GetValue())
			}
			key += "}"
			vals := map[string]float64{}
			switch {
			case m.Counter != nil:
				vals[name] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				vals[name] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				vals[name+"_count"] = float64(m.GetHistogram().GetSampleCount())
				vals[name+"_sum"] = m.GetHistogram().GetSampleSum()
			}
			for n, v := range vals {
				if v != 0 {
					out[n+key] = v
				}
			}
		}
	}
	return out
}

// diffSeries reports the differences between two nonZero results.
func diffSeries(t testing.TB, got, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %v, want %v", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s = %v", k, g)
		}
	}
}
