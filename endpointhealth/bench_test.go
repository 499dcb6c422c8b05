package endpointhealth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/endpointhealth"
	"github.com/lcngw/lcngw/internal/scrapebench"
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
	scrapebench.Run(b, reg)
}
