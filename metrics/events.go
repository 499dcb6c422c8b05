package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// eventMetrics count what becomes of source events.
type eventMetrics struct {
	consumed *prometheus.CounterVec // topic
	invalid  *prometheus.CounterVec // kind, reason
	built    *prometheus.CounterVec // kind, merchant
	skipped  *prometheus.CounterVec // kind, merchant, reason
	dead     *prometheus.CounterVec // dead_kind, kind, reason
}

func newEventMetrics() *eventMetrics {
	return &eventMetrics{
		consumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_events_consumed_total",
			Help: "Records read from the source topics, by topic.",
		}, []string{"topic"}),
		invalid: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_events_invalid_total",
			Help: "Source events dead-lettered because they cannot become a notification, by kind and reason.",
		}, []string{"kind", "reason"}),
		built: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_notifications_built_total",
			Help: "Events turned into a signed notification, by kind and merchant.",
		}, []string{"kind", "merchant"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_notifications_skipped_total",
			Help: "Valid events that produce no notification (trigger_disabled, no_endpoint), by kind and merchant.",
		}, []string{"kind", "merchant", "reason"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_dead_letters_total",
			Help: "Records written to the dead-letter topic, by dead_kind (input: an event, delivery: a notification), kind and reason.",
		}, []string{"dead_kind", "kind", "reason"}),
	}
}

func (e *eventMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{e.consumed, e.invalid, e.built, e.skipped, e.dead}
}

// initialise creates the series the configuration makes possible.
func (e *eventMetrics) initialise(l *labelSets) {
	for _, t := range l.source {
		e.consumed.WithLabelValues(t)
	}
	for _, k := range kinds {
		for _, r := range invalidReasons {
			e.invalid.WithLabelValues(kind(k), string(r))
			e.dead.WithLabelValues(retryrecord.DeadInput, kind(k), string(r))
		}
		for _, r := range deadDeliveryReasons {
			e.dead.WithLabelValues(retryrecord.DeadDelivery, kind(k), r)
		}
		for _, m := range l.merchants {
			e.built.WithLabelValues(kind(k), m)
			e.skipped.WithLabelValues(kind(k), m, pipeline.SkipNoEndpoint)
			if k == signer.KindLCN {
				e.skipped.WithLabelValues(kind(k), m, pipeline.SkipTrigger)
			}
		}
	}
	// A retry record whose headers cannot be read has no known kind.
	e.dead.WithLabelValues(retryrecord.DeadDelivery, kind(signer.KindUnknown), pipeline.ReasonBadRetryRecord)
}

// Consumed counts a record read from a source topic.
func (o *gatewayObserver) Consumed(topic string) {
	if c, ok := o.m.series.consumed[topic]; ok {
		c.Inc()
		return
	}
	o.m.events.consumed.WithLabelValues(o.m.labels.topic(topic)).Inc()
}

// Invalid counts an event dead-lettered as invalid.
func (o *gatewayObserver) Invalid(k signer.Kind, reason string) {
	o.m.events.invalid.WithLabelValues(kind(k), oneOf(reason, invalidReasons)).Inc()
}

// Skipped counts a valid event that produced no notification.
func (o *gatewayObserver) Skipped(k signer.Kind, merchant, reason string) {
	o.m.events.skipped.WithLabelValues(kind(k), o.m.labels.merchant(merchant), oneOf(reason, skipReasons)).Inc()
}

// Built counts an event turned into a notification (for any number of
// endpoints: each endpoint's copy is counted by its attempts).
func (o *gatewayObserver) Built(k signer.Kind, merchant string, _ int) {
	if c := o.m.series.built(merchant, k); c != nil {
		c.Inc()
		return
	}
	o.m.events.built.WithLabelValues(kind(k), o.m.labels.merchant(merchant)).Inc()
}

// DeadLettered counts a record written to the dead-letter topic.
func (o *gatewayObserver) DeadLettered(dk string, k signer.Kind, reason string) {
	o.m.events.dead.WithLabelValues(deadKind(dk), kind(k), deadReason(dk, reason)).Inc()
}
