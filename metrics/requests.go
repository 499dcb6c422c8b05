package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// durationBuckets are the request-duration buckets below the attempt
// timeout, which is always the last bucket.
var durationBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

// slotWaitBuckets span a momentary wait for an endpoint's concurrency slot
// to a whole attempt timeout.
var slotWaitBuckets = []float64{0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30}

// breakerStates are the circuit breaker's states, in label order.
var breakerStates = []delivery.BreakerState{delivery.BreakerClosed, delivery.BreakerOpen, delivery.BreakerHalfOpen}

// requestMetrics describe the HTTP requests to each endpoint and the
// endpoint's guards (circuit breaker, concurrency limit).
type requestMetrics struct {
	requests       *prometheus.CounterVec   // merchant, endpoint
	requestsFailed *prometheus.CounterVec   // merchant, endpoint, reason
	duration       *prometheus.HistogramVec // merchant, endpoint
	quickRetries   *prometheus.CounterVec   // merchant, endpoint
	slotWait       *prometheus.HistogramVec // merchant, endpoint
	circuit        *prometheus.GaugeVec     // merchant, endpoint, state
	circuitOpens   *prometheus.CounterVec   // merchant, endpoint
	inFlight       *prometheus.GaugeVec     // merchant, endpoint
	// receiptVariants counts receipts that verified only as an official
	// SDK computes them, by signer.ReceiptVariant.
	receiptVariants *prometheus.CounterVec // merchant, endpoint, variant
}

var pairLabels = []string{"merchant", "endpoint"}

// newRequestMetrics sizes the duration buckets up to timeout, the longest
// attempt timeout.
func newRequestMetrics(timeout time.Duration) *requestMetrics {
	buckets := append([]float64(nil), durationBuckets...)
	if top := timeout.Seconds(); top > buckets[len(buckets)-1] {
		buckets = append(buckets, top)
	}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, append(pairLabels, labels...))
	}
	return &requestMetrics{
		requests: counter("lcngw_delivery_requests_total",
			"HTTP requests made to an endpoint (each quick retry is one)."),
		requestsFailed: counter("lcngw_delivery_requests_failed_total",
			"HTTP requests that did not deliver, by reason.", "reason"),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:                            "lcngw_delivery_request_duration_seconds",
			Help:                            "Duration of one HTTP request to an endpoint, from dialling to the checked read receipt.",
			Buckets:                         buckets,
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  100,
			NativeHistogramMinResetDuration: time.Hour,
		}, pairLabels),
		quickRetries: counter("lcngw_delivery_quick_retries_total",
			"In-process retries of a scheduled attempt after a transient failure."),
		slotWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lcngw_delivery_slot_wait_seconds",
			Help:    "Time a request waited for one of its endpoint's concurrency slots (only requests that had to wait).",
			Buckets: slotWaitBuckets,
		}, pairLabels),
		circuit: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_delivery_circuit_state",
			Help: "1 for the current state of the endpoint's circuit breaker (closed, open, half_open), 0 for the others.",
		}, append(pairLabels, "state")),
		circuitOpens: counter("lcngw_delivery_circuit_opens_total",
			"Times the endpoint's circuit breaker opened."),
		receiptVariants: counter("lcngw_delivery_receipt_variants_total",
			"Read receipts that verified only the way an official 2Checkout SDK computes them (character counts, every product), by variant.", "variant"),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_delivery_in_flight",
			Help: "Scheduled attempts in progress per endpoint, quick retries and their waits included.",
		}, pairLabels),
	}
}

func (r *requestMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{r.requests, r.requestsFailed, r.duration, r.quickRetries,
		r.slotWait, r.circuit, r.circuitOpens, r.inFlight, r.receiptVariants}
}

// initialise creates every endpoint's series, its circuit closed.
func (r *requestMetrics) initialise(l *labelSets) {
	for _, ep := range l.endpoints {
		lv := []string{ep.merchant, ep.name}
		r.requests.WithLabelValues(lv...)
		r.duration.WithLabelValues(lv...)
		r.quickRetries.WithLabelValues(lv...)
		r.slotWait.WithLabelValues(lv...)
		r.circuitOpens.WithLabelValues(lv...)
		r.inFlight.WithLabelValues(lv...)
		for _, v := range signer.ReceiptVariants()[1:] {
			r.receiptVariants.WithLabelValues(ep.merchant, ep.name, v.String())
		}
		for _, reason := range failureReasons {
			r.requestsFailed.WithLabelValues(ep.merchant, ep.name, string(reason))
		}
		r.setCircuit(ep.merchant, ep.name, delivery.BreakerClosed)
	}
}

// setCircuit marks state as the endpoint's current one.
func (r *requestMetrics) setCircuit(merchant, endpoint string, state delivery.BreakerState) {
	for _, s := range breakerStates {
		v := 0.0
		if s == state {
			v = 1
		}
		r.circuit.WithLabelValues(merchant, endpoint, s.String()).Set(v)
	}
}

// Delivery returns the observer to set as delivery.Options.Observer.
func (m *Metrics) Delivery() *delivery.Observer {
	r := m.requests
	pair := func(ep *delivery.Endpoint) (string, string) { return m.labels.endpoint(ep.Merchant, ep.Name) }
	return &delivery.Observer{
		Attempt: func(ep *delivery.Endpoint, o delivery.Outcome) {
			if o.Attempts == 0 {
				return // refused by the breaker, or canceled before a request
			}
			if o.Result == delivery.Delivered && o.Receipt.Variant != signer.ReceiptStandard {
				merchant, endpoint := pair(ep)
				r.receiptVariants.WithLabelValues(merchant, endpoint, o.Receipt.Variant.String()).Inc()
			}
			if s := m.series.endpoint(ep.Merchant, ep.Name); s != nil && o.Result == delivery.Delivered {
				s.requests.Inc()
				s.duration.Observe(o.Duration.Seconds())
				return
			}
			merchant, endpoint := pair(ep)
			r.requests.WithLabelValues(merchant, endpoint).Inc()
			r.duration.WithLabelValues(merchant, endpoint).Observe(o.Duration.Seconds())
			if o.Result != delivery.Delivered {
				r.requestsFailed.WithLabelValues(merchant, endpoint, failureReason(o.Reason)).Inc()
			}
		},
		Backoff: func(ep *delivery.Endpoint, _ delivery.Outcome, _ time.Duration) {
			r.quickRetries.WithLabelValues(pair(ep)).Inc()
		},
		Breaker: func(ep *delivery.Endpoint, _, to delivery.BreakerState) {
			merchant, endpoint := pair(ep)
			r.setCircuit(merchant, endpoint, to)
			if to == delivery.BreakerOpen {
				r.circuitOpens.WithLabelValues(merchant, endpoint).Inc()
			}
		},
		Wait: func(ep *delivery.Endpoint, d time.Duration) {
			r.slotWait.WithLabelValues(pair(ep)).Observe(d.Seconds())
		},
	}
}

// Sender wraps the gateway's sender (gateway.Options.Sender) so that the
// scheduled attempts in progress are counted per endpoint
// (lcngw_delivery_in_flight).
func (m *Metrics) Sender(next delivery.Sender) delivery.Sender {
	return delivery.SenderFunc(func(ctx context.Context, req *delivery.Request) delivery.Outcome {
		if req.Endpoint == nil {
			return next.Send(ctx, req)
		}
		var g prometheus.Gauge
		if s := m.series.endpoint(req.Endpoint.Merchant, req.Endpoint.Name); s != nil {
			g = s.inFlight
		} else {
			g = m.requests.inFlight.WithLabelValues(m.labels.endpoint(req.Endpoint.Merchant, req.Endpoint.Name))
		}
		g.Inc()
		defer g.Dec()
		return next.Send(ctx, req)
	})
}
