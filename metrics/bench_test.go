package metrics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/endpointhealth"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/internal/scrapebench"
	"github.com/lcngw/lcngw/signer"
)

// BenchmarkNotification makes the observer calls of one delivered LCN
// notification, as the gateway, the Deliverer and the in-flight Sender
// make them: consumed, in flight, built, the request, the attempt; from
// several goroutines at once, as the gateway's lanes make them.
func BenchmarkNotification(b *testing.B) {
	m, _ := newMetrics(b, "config.yaml")
	o, d := m.Gateway(), m.Delivery()
	send := m.Sender(delivery.SenderFunc(func(_ context.Context, req *delivery.Request) delivery.Outcome {
		d.Attempted(req.Endpoint, delivered)
		return delivered
	}))
	ep := &delivery.Endpoint{Merchant: "ACME01", Name: "main", URL: "https://acme.example/webhooks/2co"}
	req := &delivery.Request{Endpoint: ep, Kind: signer.KindLCN}
	at := gateway.Attempt{Kind: signer.KindLCN, Merchant: "ACME01", Endpoint: "main", MessageID: "m-1",
		Number: 1, Outcome: delivered, Since: 3 * time.Millisecond}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			o.InFlight(gateway.LaneSource, 1)
			o.Consumed(lcnTopic)
			o.Built(signer.KindLCN, "ACME01", 1)
			send.Send(ctx, req)
			o.Attempted(at)
			o.InFlight(gateway.LaneSource, 0)
		}
	})
}

// BenchmarkScrape100kEndpoints scrapes everything a gateway with 50,000
// merchants × 2 endpoints exports: the aggregate series of every package,
// the Go and process collectors, and the per-endpoint detail of the 1%
// of endpoints that fail (two reasons each, breaker open), plus one
// opt-in merchant. It reports the series of one scrape and its size; the
// time per operation is one gather and text encoding, what a scrape
// costs the gateway.
func BenchmarkScrape100kEndpoints(b *testing.B) {
	const merchants, failing = 50_000, 1_000
	cfg := loadConfig(b, "small.yaml")
	proto := cfg.Merchants[0]
	cfg.Merchants = make([]config.Merchant, merchants)
	for i := range cfg.Merchants {
		m := proto
		m.VendorCode = fmt.Sprintf("M%06d", i)
		m.Endpoints = []config.Endpoint{proto.Endpoints[0], proto.Endpoints[0]}
		m.Endpoints[0].Name, m.Endpoints[1].Name = "main", "backup"
		cfg.Merchants[i] = m
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := newInstruments(reg, cfg)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := endpointhealth.New(endpointhealth.Options{Registerer: reg, Merchants: []string{"M000000"}})
	if err != nil {
		b.Fatal(err)
	}
	o, now := m.Gateway(), time.Now()
	for i := range 2 * merchants {
		merchant, ep := cfg.Merchants[i/2].VendorCode, cfg.Merchants[i/2].Endpoints[i%2].Name
		at := gateway.Attempt{Kind: signer.KindLCN, Merchant: merchant, Endpoint: ep, MessageID: "a", Number: 1, Outcome: delivered}
		o.Attempted(at)
		tr.Attempted(endpointhealth.Attempt{Merchant: merchant, Endpoint: ep, ID: "a", First: now, Delivered: true})
		tr.Requested(merchant, ep, true, "")
		if i%(2*merchants/failing) != 0 {
			continue
		}
		for j, reason := range []string{"timeout", "status_5xx"} {
			at.Outcome = failed503
			o.Attempted(at)
			tr.Attempted(endpointhealth.Attempt{Merchant: merchant, Endpoint: ep, ID: fmt.Sprint("n", j),
				First: now, Reason: reason, Due: now.Add(time.Minute)})
			tr.Requested(merchant, ep, false, reason)
		}
		tr.Breaker(merchant, ep, "open")
	}
	scrapebench.Run(b, reg)
}
