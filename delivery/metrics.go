package delivery

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/signer"
)

// failureReasons are the Reason values of a failed try, in label order.
var failureReasons = []Reason{
	ReasonTimeout, ReasonConnect,
	ReasonStatus3xx, ReasonStatus4xx, ReasonStatus429,
	ReasonStatus5xx, ReasonGone,
	ReasonNoReceipt, ReasonBadReceipt,
	ReasonBlocked, ReasonCircuitOpen, ReasonBusy, ReasonCanceled,
	ReasonOther,
}

// FailureReasons returns the reason labels of a failed attempt or request.
func FailureReasons() []Reason { return slices.Clone(failureReasons) }

// FailureLabel returns the label of a failed outcome's reason: one of
// FailureReasons, else "other".
func FailureLabel(r Reason) string {
	if slices.Contains(failureReasons, r) {
		return string(r)
	}
	return string(ReasonOther)
}

// durationBuckets are the request-duration buckets below the attempt
// timeout, which is always the last bucket.
var durationBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

// slotWaitBuckets span a momentary wait for an endpoint's concurrency slot
// to a whole attempt timeout.
var slotWaitBuckets = []float64{0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30}

// breakerStates are the circuit breaker's states, in label order.
var breakerStates = []BreakerState{BreakerClosed, BreakerOpen, BreakerHalfOpen}

// Metrics describe the HTTP requests to each endpoint and the endpoint's
// guards (circuit breaker, concurrency limit). Build them with NewMetrics
// and set them as Options.Metrics; a nil *Metrics records nothing.
type Metrics struct {
	labels          *metrics.Labels
	requests        *prometheus.CounterVec   // merchant, endpoint
	requestsFailed  *prometheus.CounterVec   // merchant, endpoint, reason
	duration        *prometheus.HistogramVec // merchant, endpoint
	quickRetries    *prometheus.CounterVec   // merchant, endpoint
	slotWait        *prometheus.HistogramVec // merchant, endpoint
	circuit         *prometheus.GaugeVec     // merchant, endpoint, state
	circuitOpens    *prometheus.CounterVec   // merchant, endpoint
	receiptVariants *prometheus.CounterVec   // merchant, endpoint, variant
	inFlight        *prometheus.GaugeVec     // merchant, endpoint
	series          map[metrics.Endpoint]*endpointSeries
}

// endpointSeries are the children every delivered request moves, resolved
// once per configured endpoint so the hot path neither hashes nor checks
// label values.
type endpointSeries struct {
	requests prometheus.Counter
	duration prometheus.Observer
	inFlight prometheus.Gauge
}

var pairLabels = []string{"merchant", "endpoint"}

// NewMetrics registers the delivery metrics on reg and initialises the
// series of every endpoint labels knows, its circuit closed. The request
// duration buckets reach timeout, the longest attempt timeout.
func NewMetrics(reg prometheus.Registerer, labels *metrics.Labels, timeout time.Duration) (*Metrics, error) {
	buckets := slices.Clone(durationBuckets)
	if top := timeout.Seconds(); top > buckets[len(buckets)-1] {
		buckets = append(buckets, top)
	}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, append(pairLabels, labels...))
	}
	m := &Metrics{
		labels: labels,
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
	if err := metrics.Register(reg, m.requests, m.requestsFailed, m.duration, m.quickRetries,
		m.slotWait, m.circuit, m.circuitOpens, m.inFlight, m.receiptVariants); err != nil {
		return nil, err
	}
	m.initialise()
	return m, nil
}

// initialise creates every endpoint's series, its circuit closed, and
// resolves the hot path's children.
func (m *Metrics) initialise() {
	m.series = make(map[metrics.Endpoint]*endpointSeries, len(m.labels.Endpoints()))
	for _, ep := range m.labels.Endpoints() {
		lv := []string{ep.Merchant, ep.Name}
		m.quickRetries.WithLabelValues(lv...)
		m.slotWait.WithLabelValues(lv...)
		m.circuitOpens.WithLabelValues(lv...)
		for _, v := range signer.ReceiptVariants()[1:] {
			m.receiptVariants.WithLabelValues(ep.Merchant, ep.Name, v.String())
		}
		for _, reason := range failureReasons {
			m.requestsFailed.WithLabelValues(ep.Merchant, ep.Name, string(reason))
		}
		m.setCircuit(ep.Merchant, ep.Name, BreakerClosed)
		m.series[metrics.Endpoint{Merchant: ep.Merchant, Name: ep.Name}] = &endpointSeries{
			requests: m.requests.WithLabelValues(lv...),
			duration: m.duration.WithLabelValues(lv...),
			inFlight: m.inFlight.WithLabelValues(lv...),
		}
	}
}

// pair returns ep's bounded labels.
func (m *Metrics) pair(ep *Endpoint) (string, string) { return m.labels.Endpoint(ep.Merchant, ep.Name) }

// setCircuit marks state as the endpoint's current one.
func (m *Metrics) setCircuit(merchant, endpoint string, state BreakerState) {
	for _, s := range breakerStates {
		v := 0.0
		if s == state {
			v = 1
		}
		m.circuit.WithLabelValues(merchant, endpoint, s.String()).Set(v)
	}
}

// Attempted counts a try: an HTTP request (o.Attempts 1) with its
// duration, failure reason and receipt variant. A try the breaker refused
// or that was cancelled before a request (o.Attempts 0) is not a request.
func (m *Metrics) Attempted(ep *Endpoint, o Outcome) {
	if m == nil || o.Attempts == 0 {
		return
	}
	if o.Result == Delivered && o.Receipt.Variant != signer.ReceiptStandard {
		merchant, endpoint := m.pair(ep)
		m.receiptVariants.WithLabelValues(merchant, endpoint, o.Receipt.Variant.String()).Inc()
	}
	if s := m.series[metrics.Endpoint{Merchant: ep.Merchant, Name: ep.Name}]; s != nil && o.Result == Delivered {
		s.requests.Inc()
		s.duration.Observe(o.Duration.Seconds())
		return
	}
	merchant, endpoint := m.pair(ep)
	m.requests.WithLabelValues(merchant, endpoint).Inc()
	m.duration.WithLabelValues(merchant, endpoint).Observe(o.Duration.Seconds())
	if o.Result != Delivered {
		m.requestsFailed.WithLabelValues(merchant, endpoint, FailureLabel(o.Reason)).Inc()
	}
}

// QuickRetry counts an in-process retry about to wait.
func (m *Metrics) QuickRetry(ep *Endpoint) {
	if m != nil {
		m.quickRetries.WithLabelValues(m.pair(ep)).Inc()
	}
}

// BreakerChanged records a transition of ep's breaker to state to.
func (m *Metrics) BreakerChanged(ep *Endpoint, to BreakerState) {
	if m == nil {
		return
	}
	merchant, endpoint := m.pair(ep)
	m.setCircuit(merchant, endpoint, to)
	if to == BreakerOpen {
		m.circuitOpens.WithLabelValues(merchant, endpoint).Inc()
	}
}

// Waited records a wait of d for one of ep's concurrency slots.
func (m *Metrics) Waited(ep *Endpoint, d time.Duration) {
	if m != nil {
		m.slotWait.WithLabelValues(m.pair(ep)).Observe(d.Seconds())
	}
}

// Started counts a scheduled attempt to ep in progress; call the function
// it returns when it ends.
func (m *Metrics) Started(ep *Endpoint) (done func()) {
	if m == nil || ep == nil {
		return func() {}
	}
	var g prometheus.Gauge
	if s := m.series[metrics.Endpoint{Merchant: ep.Merchant, Name: ep.Name}]; s != nil {
		g = s.inFlight
	} else {
		g = m.inFlight.WithLabelValues(m.pair(ep))
	}
	g.Inc()
	return g.Dec
}
