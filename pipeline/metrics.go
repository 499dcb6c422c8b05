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

// SkipReasons returns the reason labels of a skipped event.
func SkipReasons() []string { return slices.Clone(skipReasons) }

// latencyBuckets span a first-attempt delivery (well under a second) to
// the end of the platform's 48-hour retry schedule.
var latencyBuckets = []float64{
	0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800,
	3600, 7200, 21600, 43200, 86400, 172800,
}

var (
	endpointLabels = []string{"merchant", "endpoint", "kind"}
	reasonLabels   = []string{"merchant", "endpoint", "kind", "reason"}
)

// Metrics count what becomes of source events and of every scheduled
// attempt. Build them with NewMetrics and set them as Options.Metrics; a
// nil *Metrics records nothing.
type Metrics struct {
	labels           *metrics.Labels
	invalid          *prometheus.CounterVec   // kind, reason
	built            *prometheus.CounterVec   // kind, merchant
	skipped          *prometheus.CounterVec   // kind, merchant, reason
	attempts         *prometheus.CounterVec   // merchant, endpoint, kind
	attemptsFailed   *prometheus.CounterVec   // merchant, endpoint, kind, reason
	deliveries       *prometheus.CounterVec   // merchant, endpoint, kind
	deliveriesFailed *prometheus.CounterVec   // merchant, endpoint, kind, reason
	latency          *prometheus.HistogramVec // merchant, endpoint, kind
	series           map[seriesKey]*kindSeries
	builtOf          map[seriesKey]prometheus.Counter // merchant and kind (no endpoint)
}

// seriesKey names the children resolved for the hot path.
type seriesKey struct {
	merchant, endpoint string
	kind               signer.Kind
}

// kindSeries are the children every delivered notification moves.
type kindSeries struct {
	attempts   prometheus.Counter
	deliveries prometheus.Counter
	latency    prometheus.Observer
}

// NewMetrics registers the pipeline's metrics on reg and initialises the
// series of every merchant, endpoint and kind labels knows.
func NewMetrics(reg prometheus.Registerer, labels *metrics.Labels) (*Metrics, error) {
	counter := func(name, help string, labels []string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	m := &Metrics{
		labels: labels,
		invalid: counter("lcngw_events_invalid_total",
			"Source events dead-lettered because they cannot become a notification, by kind and reason.", []string{"kind", "reason"}),
		built: counter("lcngw_notifications_built_total",
			"Events turned into a signed notification, by kind and merchant.", []string{"kind", "merchant"}),
		skipped: counter("lcngw_notifications_skipped_total",
			"Valid events that produce no notification (trigger_disabled, no_endpoint), by kind and merchant.", []string{"kind", "merchant", "reason"}),
		attempts: counter("lcngw_delivery_attempts_total",
			"Scheduled delivery attempts of a notification to an endpoint (quick retries included), by merchant, endpoint and kind.", endpointLabels),
		attemptsFailed: counter("lcngw_delivery_attempts_failed_total",
			"Scheduled delivery attempts that did not deliver, by merchant, endpoint, kind and the last try's reason.", reasonLabels),
		deliveries: counter("lcngw_deliveries_total",
			"Notifications that reached a final state at an endpoint: delivered, or failed for good.", endpointLabels),
		deliveriesFailed: counter("lcngw_deliveries_failed_total",
			"Notifications that failed for good at an endpoint (permanent failure or retries exhausted), by reason.", reasonLabels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:                            "lcngw_delivery_latency_seconds",
			Help:                            "Time from the source event's Kafka timestamp to the notification's verified read receipt, retries included.",
			Buckets:                         latencyBuckets,
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  100,
			NativeHistogramMinResetDuration: time.Hour,
		}, endpointLabels),
	}
	if err := metrics.Register(reg, m.invalid, m.built, m.skipped, m.attempts, m.attemptsFailed,
		m.deliveries, m.deliveriesFailed, m.latency); err != nil {
		return nil, err
	}
	m.initialise()
	return m, nil
}

// initialise creates the series the configuration makes possible and
// resolves the hot path's children.
func (m *Metrics) initialise() {
	m.series = map[seriesKey]*kindSeries{}
	m.builtOf = map[seriesKey]prometheus.Counter{}
	for _, k := range metrics.Kinds() {
		for _, r := range invalidReasons {
			m.invalid.WithLabelValues(metrics.Kind(k), string(r))
		}
		for _, v := range m.labels.Merchants() {
			m.builtOf[seriesKey{merchant: v, kind: k}] = m.built.WithLabelValues(metrics.Kind(k), v)
			m.skipped.WithLabelValues(metrics.Kind(k), v, SkipNoEndpoint)
			if k == signer.KindLCN {
				m.skipped.WithLabelValues(metrics.Kind(k), v, SkipTrigger)
			}
		}
	}
	for _, ep := range m.labels.Endpoints() {
		for _, k := range metrics.Kinds() {
			if !ep.Kinds.Has(k) {
				continue
			}
			lv := []string{ep.Merchant, ep.Name, metrics.Kind(k)}
			for _, r := range delivery.FailureReasons() {
				m.attemptsFailed.WithLabelValues(append(lv, string(r))...)
			}
			for _, r := range finalReasons {
				m.deliveriesFailed.WithLabelValues(append(lv, r)...)
			}
			m.series[seriesKey{ep.Merchant, ep.Name, k}] = &kindSeries{
				attempts:   m.attempts.WithLabelValues(lv...),
				deliveries: m.deliveries.WithLabelValues(lv...),
				latency:    m.latency.WithLabelValues(lv...),
			}
		}
	}
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
func (m *Metrics) Skipped(k signer.Kind, merchant, reason string) {
	if m != nil {
		m.skipped.WithLabelValues(metrics.Kind(k), m.labels.Merchant(merchant), metrics.OneOf(reason, skipReasons)).Inc()
	}
}

// Built counts an event turned into a notification (for any number of
// endpoints: each endpoint's copy is counted by its attempts).
func (m *Metrics) Built(k signer.Kind, merchant string) {
	if m == nil {
		return
	}
	if c := m.builtOf[seriesKey{merchant: merchant, kind: k}]; c != nil {
		c.Inc()
		return
	}
	m.built.WithLabelValues(metrics.Kind(k), m.labels.Merchant(merchant)).Inc()
}

// Attempted counts a scheduled attempt. A delivered one also ends its
// notification and records its latency; so does a dead one (a permanent
// failure, or no attempt left).
func (m *Metrics) Attempted(a Attempt) {
	if m == nil {
		return
	}
	if s := m.series[seriesKey{a.Merchant, a.Endpoint, a.Kind}]; s != nil && a.Result == Delivered {
		s.attempts.Inc()
		s.deliveries.Inc()
		s.latency.Observe(a.Latency.Seconds())
		return
	}
	merchant, endpoint := m.labels.Endpoint(a.Merchant, a.Endpoint)
	k := metrics.Kind(a.Kind)
	m.attempts.WithLabelValues(merchant, endpoint, k).Inc()
	switch a.Result {
	case Delivered:
		m.deliveries.WithLabelValues(merchant, endpoint, k).Inc()
		m.latency.WithLabelValues(merchant, endpoint, k).Observe(a.Latency.Seconds())
		return
	case Dead:
		m.deliveries.WithLabelValues(merchant, endpoint, k).Inc()
		m.deliveriesFailed.WithLabelValues(merchant, endpoint, k, metrics.OneOf(a.Reason, finalReasons)).Inc()
	}
	m.attemptsFailed.WithLabelValues(merchant, endpoint, k, delivery.FailureLabel(delivery.Reason(a.LastReason))).Inc()
}
