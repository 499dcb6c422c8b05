package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
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
