package cli

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/endpointhealth"
)

// TestBreakerTransitionsLogged: every transition is a line naming the
// merchant and endpoint, never the URL (it may carry credentials), and
// the endpoint health sees it too.
func TestBreakerTransitionsLogged(t *testing.T) {
	var buf bytes.Buffer
	health, err := endpointhealth.New(endpointhealth.Options{Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	w := breakerLog{health.Watch(), slog.New(slog.NewTextHandler(&buf, nil))}
	ep := &delivery.Endpoint{Merchant: "ACME01", Name: "main", URL: "https://acme.example/hook?token=s3cret"}
	w.BreakerChanged(ep, delivery.BreakerOpen)
	w.BreakerChanged(ep, delivery.BreakerHalfOpen)
	w.BreakerChanged(ep, delivery.BreakerClosed)
	out := buf.String()
	for _, want := range []string{
		`level=WARN msg="circuit breaker open" merchant=ACME01 endpoint=main`,
		`level=INFO msg="circuit breaker half_open" merchant=ACME01 endpoint=main`,
		`level=INFO msg="circuit breaker closed" merchant=ACME01 endpoint=main`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "acme.example") {
		t.Errorf("the URL was logged:\n%s", out)
	}
}
