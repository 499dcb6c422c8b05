package metrics_test

import (
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/metrics"
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
func newMetrics(t testing.TB, name string) (*metrics.Metrics, *prometheus.Registry) {
	t.Helper()
	return newMetricsFrom(t, loadConfig(t, name))
}

// newMetricsFrom registers the metrics of cfg on a fresh registry.
func newMetricsFrom(t testing.TB, cfg *config.Config) (*metrics.Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, cfg, metrics.WithVersion("v1.2.3"))
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
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
