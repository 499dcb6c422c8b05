package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/pipeline"
)

// latencyBuckets span a first-attempt delivery (well under a second) to
// the end of the platform's 48-hour retry schedule.
var latencyBuckets = []float64{
	0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800,
	3600, 7200, 21600, 43200, 86400, 172800,
}

// attemptMetrics count scheduled attempts and what becomes of each
// notification.
type attemptMetrics struct {
	attempts         *prometheus.CounterVec   // merchant, endpoint, kind
	attemptsFailed   *prometheus.CounterVec   // merchant, endpoint, kind, reason
	deliveries       *prometheus.CounterVec   // merchant, endpoint, kind
	deliveriesFailed *prometheus.CounterVec   // merchant, endpoint, kind, reason
	latency          *prometheus.HistogramVec // merchant, endpoint, kind
	retries          *prometheus.CounterVec   // tier
}

var (
	endpointLabels = []string{"merchant", "endpoint", "kind"}
	reasonLabels   = []string{"merchant", "endpoint", "kind", "reason"}
)

func newAttemptMetrics() *attemptMetrics {
	return &attemptMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_delivery_attempts_total",
			Help: "Scheduled delivery attempts of a notification to an endpoint (quick retries included), by merchant, endpoint and kind.",
		}, endpointLabels),
		attemptsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_delivery_attempts_failed_total",
			Help: "Scheduled delivery attempts that did not deliver, by merchant, endpoint, kind and the last try's reason.",
		}, reasonLabels),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_deliveries_total",
			Help: "Notifications that reached a final state at an endpoint: delivered, or failed for good.",
		}, endpointLabels),
		deliveriesFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_deliveries_failed_total",
			Help: "Notifications that failed for good at an endpoint (permanent failure or retries exhausted), by reason.",
		}, reasonLabels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:                            "lcngw_delivery_latency_seconds",
			Help:                            "Time from the source event's Kafka timestamp to the notification's verified read receipt, retries included.",
			Buckets:                         latencyBuckets,
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  100,
			NativeHistogramMinResetDuration: time.Hour,
		}, endpointLabels),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_retries_scheduled_total",
			Help: "Notifications written to a retry tier, by tier (its delay).",
		}, []string{"tier"}),
	}
}

func (a *attemptMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{a.attempts, a.attemptsFailed, a.deliveries, a.deliveriesFailed, a.latency, a.retries}
}

// initialise creates the series of every configured endpoint, for the
// kinds it receives, and of every tier.
func (a *attemptMetrics) initialise(l *labelSets) {
	for _, ep := range l.endpoints {
		for _, k := range kinds {
			if !l.kindsOf[ep].Has(k) {
				continue
			}
			lv := []string{ep.merchant, ep.name, kind(k)}
			a.attempts.WithLabelValues(lv...)
			a.deliveries.WithLabelValues(lv...)
			a.latency.WithLabelValues(lv...)
			for _, r := range failureReasons {
				a.attemptsFailed.WithLabelValues(append(lv, string(r))...)
			}
			for _, r := range finalReasons {
				a.deliveriesFailed.WithLabelValues(append(lv, r)...)
			}
		}
	}
	for _, t := range l.tiers {
		a.retries.WithLabelValues(t)
	}
}

// Attempted counts a scheduled attempt. A delivered one also ends its
// notification (and records its latency); so does a permanent failure,
// which the gateway dead-letters. A notification whose schedule runs out
// ends in Exhausted.
func (o *gatewayObserver) Attempted(at gateway.Attempt) {
	out := at.Outcome
	if s := o.m.series.kind(at.Merchant, at.Endpoint, at.Kind); s != nil && out.Result == delivery.Delivered {
		s.attempts.Inc()
		s.deliveries.Inc()
		s.latency.Observe((at.Queued + at.Since).Seconds())
		return
	}
	a := o.m.attempts
	merchant, endpoint := o.m.labels.endpoint(at.Merchant, at.Endpoint)
	k := kind(at.Kind)
	a.attempts.WithLabelValues(merchant, endpoint, k).Inc()
	switch out.Result {
	case delivery.Delivered:
		a.deliveries.WithLabelValues(merchant, endpoint, k).Inc()
		a.latency.WithLabelValues(merchant, endpoint, k).Observe((at.Queued + at.Since).Seconds())
		return
	case delivery.Permanent:
		a.deliveries.WithLabelValues(merchant, endpoint, k).Inc()
		a.deliveriesFailed.WithLabelValues(merchant, endpoint, k, oneOf(string(out.Reason), finalReasons)).Inc()
	}
	a.attemptsFailed.WithLabelValues(merchant, endpoint, k, failureReason(out.Reason)).Inc()
}

// Exhausted counts a notification dead-lettered because its schedule has
// no attempt left after at (pipeline.ReasonExhausted).
func (o *gatewayObserver) Exhausted(at gateway.Attempt) {
	a := o.m.attempts
	merchant, endpoint := o.m.labels.endpoint(at.Merchant, at.Endpoint)
	k := kind(at.Kind)
	a.deliveries.WithLabelValues(merchant, endpoint, k).Inc()
	a.deliveriesFailed.WithLabelValues(merchant, endpoint, k, pipeline.ReasonExhausted).Inc()
}

// RetryScheduled counts a notification written to a retry tier.
func (o *gatewayObserver) RetryScheduled(_ gateway.Attempt, tier string, _ time.Time) {
	o.m.attempts.retries.WithLabelValues(o.m.labels.tier(tier)).Inc()
}
