package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// statuses answers the i-th request with codes[i] (the last code from then
// on).
func statuses(codes ...int) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		i := min(int(n.Add(1))-1, len(codes)-1)
		w.WriteHeader(codes[i])
	}
}

// deliverer is a real Deliverer over a real Client allowed to reach
// loopback, observed by m.
func deliverer(m *instruments, opts delivery.Options) delivery.Sender {
	opts.Metrics = m.Delivery()
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{AllowLoopback: true}})
	return delivery.NewDeliverer(client, opts)
}

// request is an LCN for ACME01/main at url; receipts are optional so that
// any 2xx delivers.
func request(url string, maxConcurrency int) *delivery.Request {
	var fs signer.Fields
	fs.Add("LICENSE_CODE", "3C343D0FAF")
	ep := &delivery.Endpoint{Merchant: "ACME01", Name: "main", URL: url, Key: []byte("acme-test-key"),
		ReceiptOptional: true, Timeout: 5 * time.Second, MaxConcurrency: maxConcurrency}
	return &delivery.Request{Endpoint: ep, Kind: signer.KindLCN, Fields: fs, Body: signer.AppendForm(nil, fs), Attempt: 1}
}

var quick = delivery.QuickRetry{Attempts: 3, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}

// TestDeliveryObserver runs delivery rounds against a loopback server and
// checks the request metrics they leave.
func TestDeliveryObserver(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opts    delivery.Options
		result  delivery.Reason
		want    map[string]float64
	}{
		{"two 503s then delivered", statuses(503, 503, 200), delivery.Options{Quick: quick}, delivery.ReasonOK,
			map[string]float64{
				"lcngw_delivery_requests_total{}":                                    3,
				`lcngw_delivery_requests_failed_total{reason="status_5xx"}`:          2,
				`lcngw_delivery_request_duration_seconds_count{outcome="failed"}`:    2,
				`lcngw_delivery_request_duration_seconds_count{outcome="delivered"}`: 1,
				"lcngw_delivery_quick_retries_total{}":                               2,
			}},
		{"breaker opens after one failure", statuses(500),
			delivery.Options{Quick: quick, Breaker: delivery.BreakerConfig{Failures: 1, OpenDuration: time.Hour}},
			delivery.ReasonCircuitOpen,
			map[string]float64{
				"lcngw_delivery_requests_total{}":                                 1,
				`lcngw_delivery_requests_failed_total{reason="status_5xx"}`:       1,
				`lcngw_delivery_request_duration_seconds_count{outcome="failed"}`: 1,
				"lcngw_delivery_quick_retries_total{}":                            1,
				"lcngw_delivery_circuits_open{}":                                  1,
				"lcngw_delivery_circuit_opens_total{}":                            1,
			}},
	}
	families := []string{"lcngw_delivery_requests_total", "lcngw_delivery_requests_failed_total",
		"lcngw_delivery_request_duration_seconds", "lcngw_delivery_quick_retries_total",
		"lcngw_delivery_slot_wait_seconds", "lcngw_delivery_circuit_opens_total", "lcngw_delivery_in_flight"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			m, reg := newMetrics(t, "config.yaml")
			out := deliverer(m, tt.opts).Send(t.Context(), request(srv.URL, 0))
			if out.Reason != tt.result {
				t.Fatalf("outcome %s (%v), want %s", out.Reason, out.Err, tt.result)
			}
			got := nonZero(t, reg, append(families, "lcngw_delivery_circuits_open")...)
			// Durations are real time: only their presence is checked.
			for _, outcome := range []string{"failed", "delivered"} {
				sum := `lcngw_delivery_request_duration_seconds_sum{outcome="` + outcome + `"}`
				if _, counted := tt.want[`lcngw_delivery_request_duration_seconds_count{outcome="`+outcome+`"}`]; counted && got[sum] <= 0 {
					t.Errorf("%s = %v, want > 0", sum, got[sum])
				}
				delete(got, sum)
			}
			diffSeries(t, got, tt.want)
		})
	}
}

// TestSlotWaitAndInFlight: with one slot per endpoint, a second delivery
// waits for the first; while both run, two attempts are in flight.
func TestSlotWaitAndInFlight(t *testing.T) {
	arrived, release := make(chan struct{}, 2), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		<-release
	}))
	defer srv.Close()
	m, reg := newMetrics(t, "config.yaml")
	send := deliverer(m, delivery.Options{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if out := send.Send(context.Background(), request(srv.URL, 1)); out.Result != delivery.Delivered {
				t.Errorf("outcome %s: %v", out.Reason, out.Err)
			}
		})
	}
	<-arrived
	inFlight := func() float64 { return nonZero(t, reg, "lcngw_delivery_in_flight")["lcngw_delivery_in_flight{}"] }
	for deadline := time.Now().Add(5 * time.Second); inFlight() != 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("in flight = %v, want 2", inFlight())
		}
	}
	const held = 20 * time.Millisecond
	time.Sleep(held)
	close(release)
	wg.Wait()
	got := nonZero(t, reg, "lcngw_delivery_slot_wait_seconds", "lcngw_delivery_in_flight", "lcngw_delivery_requests_total")
	if got["lcngw_delivery_slot_wait_seconds_count{}"] != 1 || got["lcngw_delivery_slot_wait_seconds_sum{}"] < held.Seconds() {
		t.Errorf("slot wait: %v", got)
	}
	if got["lcngw_delivery_requests_total{}"] != 2 || got["lcngw_delivery_in_flight{}"] != 0 {
		t.Errorf("requests and in flight: %v", got)
	}
}
