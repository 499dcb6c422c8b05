package endpointhealth_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/lcngw/lcngw/endpointhealth"
)

// BenchmarkScrape100kEndpoints scrapes a tracker that has seen 100,000
// endpoints deliver, 1% of them failing with a notification waiting and
// two failure reasons each, and one opt-in merchant: the series exported
// and the time of one scrape (gather and text encoding).
func BenchmarkScrape100kEndpoints(b *testing.B) {
	const endpoints, failing = 100_000, 1_000
	reg := prometheus.NewRegistry()
	tr, err := endpointhealth.New(endpointhealth.Options{Registerer: reg, Merchants: []string{"M0"}})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for i := range endpoints {
		m, e := fmt.Sprintf("M%d", i/2), fmt.Sprintf("e%d", i%2)
		tr.Attempted(endpointhealth.Attempt{Merchant: m, Endpoint: e, ID: "a", First: now, Delivered: true})
		tr.Requested(m, e, true, "")
		if i%(endpoints/failing) == 0 {
			for j, reason := range []string{"timeout", "status_5xx"} {
				tr.Attempted(endpointhealth.Attempt{Merchant: m, Endpoint: e, ID: fmt.Sprint("n", j),
					First: now, Reason: reason, Due: now.Add(time.Minute)})
				tr.Requested(m, e, false, reason)
			}
			tr.Breaker(m, e, "open")
		}
	}
	var buf bytes.Buffer
	series := 0
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		mfs, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		series = 0
		enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
		for _, mf := range mfs {
			series += len(mf.GetMetric())
			if err := enc.Encode(mf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(series), "series")
	b.ReportMetric(float64(buf.Len()), "bytes")
}
