package delivery

import (
	"slices"
	"sync"
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
// timeout, which is always the last bucket: from a loopback answer
// (0.5 ms) to the longest timeout.
var durationBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

// slotWaitBuckets span a momentary wait for an endpoint's concurrency slot
// to a whole attempt timeout.
var slotWaitBuckets = []float64{0.0005, 0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30}

// Outcomes label a request duration: delivered, or failed (whatever the
// reason), so a dead endpoint's timeouts show in the histogram too.
const (
	OutcomeDelivered = "delivered"
	OutcomeFailed    = "failed"
)

// Metrics describe the HTTP requests to every endpoint and the endpoints'
// guards (circuit breaker, concurrency limit), aggregated over endpoints:
// their number does not grow with the merchants. Per-endpoint detail, for
// the endpoints that need it, is package endpointhealth's. Build them with
// NewMetrics and set them as Options.Metrics; a nil *Metrics records
// nothing.
type Metrics struct {
	requests        prometheus.Counter
	requestsFailed  *prometheus.CounterVec   // reason
	duration        *prometheus.HistogramVec // outcome
	quickRetries    prometheus.Counter
	slotWait        prometheus.Histogram
	circuitsOpen    prometheus.Gauge
	circuitOpens    prometheus.Counter
	receiptVariants *prometheus.CounterVec // variant
	inFlight        prometheus.Gauge

	delivered, failed prometheus.Observer
	failedOf          map[Reason]prometheus.Counter

	mu   sync.Mutex
	open map[breakerKey]bool // endpoints whose breaker is not closed
}

// breakerKey names a breaker as the Deliverer keys them.
type breakerKey struct{ merchant, name, url string }

// NewMetrics registers the delivery metrics on reg. The request duration
// buckets reach timeout, the longest attempt timeout.
func NewMetrics(reg prometheus.Registerer, timeout time.Duration) (*Metrics, error) {
	buckets := slices.Clone(durationBuckets)
	if top := timeout.Seconds(); top > buckets[len(buckets)-1] {
		buckets = append(buckets, top)
	}
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	m := &Metrics{
		requests: counter("lcngw_delivery_requests_total",
			"HTTP requests made to endpoints (each quick retry is one)."),
		requestsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lcngw_delivery_requests_failed_total",
			Help: "HTTP requests that did not deliver, by reason."}, []string{"reason"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:                            "lcngw_delivery_request_duration_seconds",
			Help:                            "Duration of one HTTP request, from dialling to the checked read receipt, by outcome (delivered or failed).",
			Buckets:                         buckets,
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  160,
			NativeHistogramMinResetDuration: time.Hour,
		}, []string{"outcome"}),
		quickRetries: counter("lcngw_delivery_quick_retries_total",
			"In-process retries of a scheduled attempt after a transient failure."),
		slotWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "lcngw_delivery_slot_wait_seconds",
			Help:    "Time a request waited for one of its endpoint's concurrency slots (only requests that had to wait).",
			Buckets: slotWaitBuckets,
		}),
		circuitsOpen: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lcngw_delivery_circuits_open",
			Help: "Endpoints whose circuit breaker is open or half-open on this instance."}),
		circuitOpens: counter("lcngw_delivery_circuit_opens_total",
			"Times an endpoint's circuit breaker opened."),
		receiptVariants: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lcngw_delivery_receipt_variants_total",
			Help: "Read receipts that verified only the way an official 2Checkout SDK computes them (character counts, every product), by variant."},
			[]string{"variant"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lcngw_delivery_in_flight",
			Help: "Scheduled attempts in progress, quick retries and their waits included."}),
		open: map[breakerKey]bool{},
	}
	if err := metrics.Register(reg, m.requests, m.requestsFailed, m.duration, m.quickRetries,
		m.slotWait, m.circuitsOpen, m.circuitOpens, m.inFlight, m.receiptVariants); err != nil {
		return nil, err
	}
	m.initialise()
	return m, nil
}

// initialise creates every reason's and variant's series and resolves the
// hot path's children.
func (m *Metrics) initialise() {
	for _, v := range signer.ReceiptVariants()[1:] {
		m.receiptVariants.WithLabelValues(v.String())
	}
	m.failedOf = make(map[Reason]prometheus.Counter, len(failureReasons))
	for _, r := range failureReasons {
		m.failedOf[r] = m.requestsFailed.WithLabelValues(string(r))
	}
	m.delivered = m.duration.WithLabelValues(OutcomeDelivered)
	m.failed = m.duration.WithLabelValues(OutcomeFailed)
}

// Attempted counts a try: an HTTP request (o.Attempts 1) with its
// duration by outcome, failure reason and receipt variant. A try the
// breaker refused or that was cancelled before a request (o.Attempts 0)
// is not a request.
func (m *Metrics) Attempted(_ *Endpoint, o Outcome) {
	if m == nil || o.Attempts == 0 {
		return
	}
	m.requests.Inc()
	if o.Result == Delivered {
		m.delivered.Observe(o.Duration.Seconds())
		if o.Receipt.Variant != signer.ReceiptStandard {
			m.receiptVariants.WithLabelValues(o.Receipt.Variant.String()).Inc()
		}
		return
	}
	m.failed.Observe(o.Duration.Seconds())
	m.failedOf[Reason(FailureLabel(o.Reason))].Inc()
}

// QuickRetry counts an in-process retry about to wait.
func (m *Metrics) QuickRetry(*Endpoint) {
	if m != nil {
		m.quickRetries.Inc()
	}
}

// BreakerChanged records a transition of ep's breaker to state to.
func (m *Metrics) BreakerChanged(ep *Endpoint, to BreakerState) {
	if m == nil {
		return
	}
	if to == BreakerOpen {
		m.circuitOpens.Inc()
	}
	k := breakerKey{ep.Merchant, ep.Name, ep.URL}
	m.mu.Lock()
	defer m.mu.Unlock()
	if to == BreakerClosed {
		delete(m.open, k)
	} else {
		m.open[k] = true
	}
	m.circuitsOpen.Set(float64(len(m.open)))
}

// Waited records a wait of d for one of ep's concurrency slots.
func (m *Metrics) Waited(_ *Endpoint, d time.Duration) {
	if m != nil {
		m.slotWait.Observe(d.Seconds())
	}
}

// Started counts a scheduled attempt in progress; call the function it
// returns when it ends.
func (m *Metrics) Started(*Endpoint) (done func()) {
	if m == nil {
		return func() {}
	}
	m.inFlight.Inc()
	return m.inFlight.Dec
}
