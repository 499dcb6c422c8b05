package pipeline

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// invalidReasons are the param.Reason values an invalid event is
// dead-lettered for, in label order.
var invalidReasons = []param.Reason{
	param.ReasonBadJSON, param.ReasonSchemaVersion, param.ReasonMissing,
	param.ReasonTooLong, param.ReasonNotAllowed, param.ReasonMalformed,
	param.ReasonUnknownField, param.ReasonInconsistent, param.ReasonUnknownLayout,
	param.ReasonUnknownVendor,
}

// finalReasons are the reasons a notification fails for good after an
// attempt: the delivery reasons of a permanent outcome, and an exhausted
// schedule.
var finalReasons = []string{
	string(delivery.ReasonGone), string(delivery.ReasonBlocked), string(delivery.ReasonOther), ReasonExhausted,
}

// skipReasons are the reasons a valid event produces no notification.
var skipReasons = []string{SkipTrigger, SkipNoEndpoint}

// InvalidReasons returns the reason labels of an invalid event.
func InvalidReasons() []param.Reason { return slices.Clone(invalidReasons) }

// FinalReasons returns the reason labels of a notification that failed for
// good after an attempt.
func FinalReasons() []string { return slices.Clone(finalReasons) }

// latencyBuckets span a delivery to an endpoint on the same host (0.5 ms)
// to the end of the platform's 48-hour retry schedule.
var latencyBuckets = []float64{
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
	60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172800,
}

// Outcomes label the latency of a notification's end: delivered, or
// failed for good (dead-lettered after an attempt).
const (
	OutcomeDelivered = "delivered"
	OutcomeFailed    = "failed"
)

var (
	kindLabels   = []string{"kind"}
	reasonLabels = []string{"kind", "reason"}
)

// Metrics count what becomes of source events and of every scheduled
// attempt, aggregated over merchants and endpoints: their number does not
// grow with the merchants. Per-endpoint detail, for the endpoints that
// need it, is package endpointhealth's. Build them with NewMetrics and
// set them as Options.Metrics; a nil *Metrics records nothing.
type Metrics struct {
	invalid          *prometheus.CounterVec   // kind, reason
	built            *prometheus.CounterVec   // kind
	skipped          *prometheus.CounterVec   // kind, reason
	attempts         *prometheus.CounterVec   // kind
	attemptsFailed   *prometheus.CounterVec   // kind, reason
	deliveries       *prometheus.CounterVec   // kind
	deliveriesFailed *prometheus.CounterVec   // kind, reason
	latency          *prometheus.HistogramVec // kind, outcome
	series           [signer.KindIPN + 1]*kindSeries
}

// kindSeries are the children every delivered notification of a kind
// moves.
type kindSeries struct {
	built      prometheus.Counter
	attempts   prometheus.Counter
	deliveries prometheus.Counter
	latency    prometheus.Observer
}

// NewMetrics registers the pipeline's metrics on reg and initialises
// every kind's and reason's series.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	counter := func(name, help string, labels []string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	m := &Metrics{
		invalid: counter("lcngw_events_invalid_total",
			"Source events dead-lettered because they cannot become a notification, by kind and reason.", reasonLabels),
		built: counter("lcngw_notifications_built_total",
			"Events turned into a signed notification, by kind.", kindLabels),
		skipped: counter("lcngw_notifications_skipped_total",
			"Valid events that produce no notification (trigger_disabled, no_endpoint), by kind and reason.", reasonLabels),
		attempts: counter("lcngw_delivery_attempts_total",
			"Scheduled delivery attempts of a notification to an endpoint (quick retries included), by kind.", kindLabels),
		attemptsFailed: counter("lcngw_delivery_attempts_failed_total",
			"Scheduled delivery attempts that did not deliver, by kind and the last try's reason.", reasonLabels),
		deliveries: counter("lcngw_deliveries_total",
			"Notifications that reached a final state at an endpoint: delivered, or failed for good.", kindLabels),
		deliveriesFailed: counter("lcngw_deliveries_failed_total",
			"Notifications that failed for good at an endpoint (permanent failure or retries exhausted), by reason.", reasonLabels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:                            "lcngw_delivery_latency_seconds",
			Help:                            "Time from the source event's Kafka timestamp to the notification's end, retries included, by kind and outcome: delivered (verified read receipt) or failed for good.",
			Buckets:                         latencyBuckets,
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  160,
			NativeHistogramMinResetDuration: time.Hour,
		}, []string{"kind", "outcome"}),
	}
	if err := metrics.Register(reg, m.invalid, m.built, m.skipped, m.attempts, m.attemptsFailed,
		m.deliveries, m.deliveriesFailed, m.latency); err != nil {
		return nil, err
	}
	m.initialise()
	return m, nil
}

// initialise creates every kind's and reason's series and resolves the
// hot path's children.
func (m *Metrics) initialise() {
	for _, k := range metrics.Kinds() {
		kind := metrics.Kind(k)
		for _, r := range invalidReasons {
			m.invalid.WithLabelValues(kind, string(r))
		}
		m.skipped.WithLabelValues(kind, SkipNoEndpoint)
		if k == signer.KindLCN {
			m.skipped.WithLabelValues(kind, SkipTrigger)
		}
		for _, r := range delivery.FailureReasons() {
			m.attemptsFailed.WithLabelValues(kind, string(r))
		}
		for _, r := range finalReasons {
			m.deliveriesFailed.WithLabelValues(kind, r)
		}
		m.latency.WithLabelValues(kind, OutcomeFailed)
		m.series[k] = &kindSeries{
			built:      m.built.WithLabelValues(kind),
			attempts:   m.attempts.WithLabelValues(kind),
			deliveries: m.deliveries.WithLabelValues(kind),
			latency:    m.latency.WithLabelValues(kind, OutcomeDelivered),
		}
	}
}

// kind returns the children of k, nil for an unknown kind.
func (m *Metrics) kind(k signer.Kind) *kindSeries {
	if k > signer.KindIPN {
		return nil
	}
	return m.series[k]
}

// event counts what became of a source event.
func (m *Metrics) event(d *Disposition) {
	if m == nil {
		return
	}
	switch {
	case d.Verdict == Skipped:
		m.Skipped(d.Kind, d.Merchant, d.Reason)
	case len(d.Notices) == 0:
		m.Invalid(d.Kind, d.Reason)
	default:
		m.Built(d.Kind, d.Merchant)
	}
}

// Invalid counts an event that cannot become a notification.
func (m *Metrics) Invalid(k signer.Kind, reason string) {
	if m != nil {
		m.invalid.WithLabelValues(metrics.Kind(k), metrics.OneOf(reason, invalidReasons)).Inc()
	}
}

// Skipped counts a valid event that produces no notification.
func (m *Metrics) Skipped(k signer.Kind, _, reason string) {
	if m != nil {
		m.skipped.WithLabelValues(metrics.Kind(k), metrics.OneOf(reason, skipReasons)).Inc()
	}
}

// Built counts an event turned into a notification (for any number of
// endpoints: each endpoint's copy is counted by its attempts).
func (m *Metrics) Built(k signer.Kind, _ string) {
	if m == nil {
		return
	}
	if s := m.kind(k); s != nil {
		s.built.Inc()
		return
	}
	m.built.WithLabelValues(metrics.Kind(k)).Inc()
}

// Attempted counts a scheduled attempt. A delivered one also ends its
// notification and records its latency; so does a dead one (a permanent
// failure, or no attempt left), with the outcome failed.
func (m *Metrics) Attempted(a Attempt) {
	if m == nil {
		return
	}
	if s := m.kind(a.Kind); s != nil && a.Result == Delivered {
		s.attempts.Inc()
		s.deliveries.Inc()
		s.latency.Observe(a.Latency.Seconds())
		return
	}
	k := metrics.Kind(a.Kind)
	m.attempts.WithLabelValues(k).Inc()
	switch a.Result {
	case Delivered:
		m.deliveries.WithLabelValues(k).Inc()
		m.latency.WithLabelValues(k, OutcomeDelivered).Observe(a.Latency.Seconds())
		return
	case Dead:
		m.deliveries.WithLabelValues(k).Inc()
		m.deliveriesFailed.WithLabelValues(k, metrics.OneOf(a.Reason, finalReasons)).Inc()
		m.latency.WithLabelValues(k, OutcomeFailed).Observe(a.Latency.Seconds())
	}
	m.attemptsFailed.WithLabelValues(k, delivery.FailureLabel(delivery.Reason(a.LastReason))).Inc()
}
