package gateway

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// deadDeliveryReasons are the reasons a notification is dead-lettered:
// the pipeline's final reasons, and those of a retry record that cannot
// be attempted any more (its merchant or endpoint left the configuration,
// or it cannot be read).
func deadDeliveryReasons() []string {
	return append(pipeline.FinalReasons(),
		string(param.ReasonUnknownVendor), pipeline.ReasonUnknownEndpoint, pipeline.ReasonBadRetryRecord)
}

// DeadDeliveryReasons returns the reason labels of a dead-lettered
// notification.
func DeadDeliveryReasons() []string { return deadDeliveryReasons() }

// Metrics describe the gateway's Kafka side: records consumed, dead
// letters and retries written, and its two consumer lanes, "source" (the
// LCN and IPN topics) and "retry" (the retry tiers). Lag and the retry
// backlog are measured from the broker's offsets by package lag, not from
// a reader, whose figures stop at its read-ahead. Build them with
// NewMetrics and set them as Options.Metrics; a nil *Metrics records
// nothing.
type Metrics struct {
	labels        *metrics.Labels
	deadReasons   []string
	consumed      *prometheus.CounterVec // topic
	dead          *prometheus.CounterVec // dead_kind, kind, reason
	retries       *prometheus.CounterVec // tier
	commits       *prometheus.CounterVec // lane
	commitsFailed *prometheus.CounterVec // lane
	assigned      *prometheus.GaugeVec   // lane
	inFlight      *prometheus.GaugeVec   // lane
	writesFailed  *prometheus.CounterVec // purpose
	rebalances    *prometheus.CounterVec // lane
	replayed      prometheus.Counter

	consumedOf map[string]prometheus.Counter // source topic
	inFlightOf map[string]prometheus.Gauge   // lane
}

// NewMetrics registers the gateway's metrics on reg and initialises the
// series of every topic, tier, lane and reason labels knows.
func NewMetrics(reg prometheus.Registerer, labels *metrics.Labels) (*Metrics, error) {
	lane := []string{"lane"}
	counter := func(name, help string, by []string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, by)
	}
	gauge := func(name, help string, by []string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, by)
	}
	m := &Metrics{
		labels:      labels,
		deadReasons: deadDeliveryReasons(),
		consumed: counter("lcngw_events_consumed_total",
			"Records read from the source topics, by topic.", []string{"topic"}),
		dead: counter("lcngw_dead_letters_total",
			"Records written to the dead-letter topic, by dead_kind (input: an event, delivery: a notification), kind and reason.",
			[]string{"dead_kind", "kind", "reason"}),
		retries: counter("lcngw_retries_scheduled_total",
			"Notifications written to a retry tier, by tier (its delay).", []string{"tier"}),
		commits: counter("lcngw_kafka_commits_total",
			"Offset commits of a consumer lane.", lane),
		commitsFailed: counter("lcngw_kafka_commits_failed_total",
			"Offset commits of a consumer lane that failed (the records are read again after a restart).", lane),
		assigned: gauge("lcngw_kafka_assigned_partitions",
			"Partitions a consumer lane of this instance holds (0 while it rebalances).", lane),
		inFlight: gauge("lcngw_records_in_flight",
			"Records a consumer lane is processing (read, not yet settled).", lane),
		writesFailed: counter("lcngw_kafka_writes_failed_total",
			"Failed writes to Kafka, by purpose (retry: a retry tier, dead_letter: the dead-letter topic, other); each failed try counts, retried or not.",
			[]string{"purpose"}),
		rebalances: counter("lcngw_kafka_rebalances_total",
			"Consumer group generations a lane of this instance joined (each rebalance is one).", lane),
		replayed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lcngw_replayed_total",
			Help: "Dead letters written back for another try by a replay this process ran.",
		}),
	}
	if err := metrics.Register(reg, m.consumed, m.dead, m.retries, m.commits, m.commitsFailed,
		m.assigned, m.inFlight, m.writesFailed, m.rebalances, m.replayed); err != nil {
		return nil, err
	}
	m.initialise()
	return m, nil
}

// initialise creates the series the configuration makes possible and
// resolves the hot path's children.
func (m *Metrics) initialise() {
	m.consumedOf = map[string]prometheus.Counter{}
	for _, t := range m.labels.SourceTopics() {
		m.consumedOf[t] = m.consumed.WithLabelValues(t)
	}
	for _, k := range metrics.Kinds() {
		for _, r := range pipeline.InvalidReasons() {
			m.dead.WithLabelValues(retryrecord.DeadInput, metrics.Kind(k), string(r))
		}
		for _, r := range m.deadReasons {
			m.dead.WithLabelValues(retryrecord.DeadDelivery, metrics.Kind(k), r)
		}
	}
	// A retry record whose headers cannot be read has no known kind.
	m.dead.WithLabelValues(retryrecord.DeadDelivery, metrics.Kind(signer.KindUnknown), pipeline.ReasonBadRetryRecord)
	m.inFlightOf = map[string]prometheus.Gauge{}
	for _, p := range []string{PurposeRetry, PurposeDeadLetter, PurposeOther} {
		m.writesFailed.WithLabelValues(p)
	}
	for _, name := range []string{LaneSource, LaneRetry} {
		m.rebalances.WithLabelValues(name)
		m.commits.WithLabelValues(name)
		m.commitsFailed.WithLabelValues(name)
		m.assigned.WithLabelValues(name)
		m.inFlightOf[name] = m.inFlight.WithLabelValues(name)
	}
	for _, t := range m.labels.Tiers() {
		m.retries.WithLabelValues(t)
	}
}

// Consumed counts a record read from a source topic.
func (m *Metrics) Consumed(topic string) {
	if m == nil {
		return
	}
	if c, ok := m.consumedOf[topic]; ok {
		c.Inc()
		return
	}
	m.consumed.WithLabelValues(m.labels.Topic(topic)).Inc()
}

// DeadLettered counts a record written to the dead-letter topic: an event
// (retryrecord.DeadInput) or a notification (DeadDelivery).
func (m *Metrics) DeadLettered(deadKind string, k signer.Kind, reason string) {
	if m == nil {
		return
	}
	switch deadKind {
	case retryrecord.DeadInput:
		reason = metrics.OneOf(reason, pipeline.InvalidReasons())
	case retryrecord.DeadDelivery:
		reason = metrics.OneOf(reason, m.deadReasons)
	default:
		deadKind, reason = metrics.Other, "other"
	}
	m.dead.WithLabelValues(deadKind, metrics.Kind(k), reason).Inc()
}

// RetryScheduled counts a notification written to a retry tier's topic.
func (m *Metrics) RetryScheduled(tierTopic string) {
	if m != nil {
		m.retries.WithLabelValues(m.labels.Tier(tierTopic)).Inc()
	}
}

// InFlight sets the records a lane is processing.
func (m *Metrics) InFlight(lane string, n int) {
	if m == nil {
		return
	}
	if g, ok := m.inFlightOf[lane]; ok {
		g.Set(float64(n))
		return
	}
	m.inFlight.WithLabelValues(metrics.Lane(lane)).Set(float64(n))
}

// Assigned sets the partitions a lane holds.
func (m *Metrics) Assigned(lane string, n int) {
	if m != nil {
		m.assigned.WithLabelValues(metrics.Lane(lane)).Set(float64(n))
	}
}

// Committed counts an offset commit of a lane.
func (m *Metrics) Committed(lane string, err error) {
	if m == nil {
		return
	}
	lane = metrics.Lane(lane)
	m.commits.WithLabelValues(lane).Inc()
	if err != nil {
		m.commitsFailed.WithLabelValues(lane).Inc()
	}
}

// Purposes of a Kafka write (the purpose label of
// lcngw_kafka_writes_failed_total).
const (
	PurposeRetry      = "retry"
	PurposeDeadLetter = "dead_letter"
	PurposeOther      = "other"
)

// WriteFailed counts a failed try to write records for purpose.
func (m *Metrics) WriteFailed(purpose string) {
	if m == nil {
		return
	}
	if purpose != PurposeRetry && purpose != PurposeDeadLetter {
		purpose = PurposeOther
	}
	m.writesFailed.WithLabelValues(purpose).Inc()
}

// Rebalanced counts a consumer group generation a lane joined.
func (m *Metrics) Rebalanced(lane string) {
	if m != nil {
		m.rebalances.WithLabelValues(metrics.Lane(lane)).Inc()
	}
}

// Replayed counts n dead letters written back by a replay.
func (m *Metrics) Replayed(n int) {
	if m != nil {
		m.replayed.Add(float64(n))
	}
}
