package receiver_test

import (
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// TestMetrics counts every result through the middleware on a fresh
// registry.
func TestMetrics(t *testing.T) {
	lcn := lcnFields("8")
	ipn := platformFields(t)
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			reg := prometheus.NewPedanticRegistry()
			m, err := receiver.NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}, Observer: m, MaxBodySize: 4096}, ok)
			for _, b := range [][]byte{
				sign(testKey, lcn, signer.AllAlgorithms), sign(testKey, lcn, signer.AllAlgorithms), // valid + duplicate
				sign(testKey, ipn, signer.SetOf(signer.SHA256)),
				sign([]byte("x"), ipn, signer.AllAlgorithms),
				sign(testKey, lcn, signer.SetOf(signer.MD5)),
				signer.AppendForm(nil, lcn),
				[]byte("A=%"),
				make([]byte, 5000),
			} {
				do(post(b))
			}
			do(httptest.NewRequest("GET", "/", nil)) // a URL check is not a verification
			want := map[[3]string]float64{
				{"lcn", "sha3-256", "valid"}:     2,
				{"ipn", "sha256", "valid"}:       1,
				{"ipn", "sha3-256", "invalid"}:   1,
				{"lcn", "md5", "downgraded"}:     1,
				{"lcn", "none", "missing"}:       1,
				{"unknown", "none", "malformed"}: 1,
				{"unknown", "none", "too_large"}: 1,
				{"ipn", "sha256", "invalid"}:     0, // pre-initialised
			}
			vec := "lcngw_receiver_verifications_total"
			for labels, n := range want {
				if got := counterValue(t, reg, vec, labels); got != n {
					t.Errorf("%s%v = %v, want %v", vec, labels, got, n)
				}
			}
			for kind, n := range map[string]float64{"lcn": 1, "ipn": 0} {
				if got := valueOf(t, reg, "lcngw_receiver_duplicates_total", "kind", kind); got != n {
					t.Errorf("duplicates{kind=%q} = %v, want %v", kind, got, n)
				}
			}
			if got := valueOf(t, reg, "lcngw_receiver_request_duration_seconds", "", ""); got != 8 {
				t.Errorf("duration histogram counted %v requests, want 8", got)
			}
		})
	}
}

// valueOf returns a counter's value, or a histogram's sample count, for
// the series of name carrying label=value (any series when label is "").
func valueOf(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := label == ""
			for _, lp := range m.GetLabel() {
				match = match || lp.GetName() == label && lp.GetValue() == value
			}
			switch {
			case !match:
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			default:
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("%s{%s=%q} not exported", name, label, value)
	return 0
}

// counterValue finds a counter by name and kind, algorithm and result in
// reg's output.
func counterValue(t *testing.T, reg *prometheus.Registry, name string, labels [3]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var got [3]string
			for i, lp := range m.GetLabel() {
				got[i] = lp.GetValue()
			}
			// labels are sorted by name: algorithm, kind, result
			if got == [3]string{labels[1], labels[0], labels[2]} {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("%s%v not exported", name, labels)
	return 0
}

// TestMetricsRegisterOnce: a second registration on the same registry fails.
func TestMetricsRegisterOnce(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := receiver.NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := receiver.NewMetrics(reg); err == nil {
		t.Error("second NewMetrics on one registry succeeded")
	}
}
