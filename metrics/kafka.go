package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// kafkaMetrics describe the gateway's two consumer lanes: "source" (the
// LCN and IPN topics) and "retry" (the retry tiers). Lag and the retry
// backlog are measured from the broker's offsets by package lag, not from
// a reader, whose figures stop at its read-ahead.
type kafkaMetrics struct {
	commits       *prometheus.CounterVec // lane
	commitsFailed *prometheus.CounterVec // lane
	assigned      *prometheus.GaugeVec   // lane
	inFlight      *prometheus.GaugeVec   // lane
}

func newKafkaMetrics() *kafkaMetrics {
	lane := []string{"lane"}
	return &kafkaMetrics{
		commits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_kafka_commits_total",
			Help: "Offset commits of a consumer lane.",
		}, lane),
		commitsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_kafka_commits_failed_total",
			Help: "Offset commits of a consumer lane that failed (the records are read again after a restart).",
		}, lane),
		assigned: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_kafka_assigned_partitions",
			Help: "Partitions a consumer lane of this instance holds (0 while it rebalances).",
		}, lane),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_records_in_flight",
			Help: "Records a consumer lane is processing (read, not yet settled).",
		}, lane),
	}
}

func (k *kafkaMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{k.commits, k.commitsFailed, k.assigned, k.inFlight}
}

// initialise creates the series of both lanes.
func (k *kafkaMetrics) initialise(*labelSets) {
	for _, name := range []string{LaneSource, LaneRetry} {
		k.commits.WithLabelValues(name)
		k.commitsFailed.WithLabelValues(name)
		k.assigned.WithLabelValues(name)
		k.inFlight.WithLabelValues(name)
	}
}

// InFlight sets the records a lane is processing.
func (o *gatewayObserver) InFlight(name string, n int) {
	if g, ok := o.m.series.inFlight[name]; ok {
		g.Set(float64(n))
		return
	}
	o.m.kafka.inFlight.WithLabelValues(lane(name)).Set(float64(n))
}

// Assigned sets the partitions a lane holds.
func (o *gatewayObserver) Assigned(name string, n int) {
	o.m.kafka.assigned.WithLabelValues(lane(name)).Set(float64(n))
}

// Committed counts an offset commit of a lane.
func (o *gatewayObserver) Committed(name string, err error) {
	name = lane(name)
	o.m.kafka.commits.WithLabelValues(name).Inc()
	if err != nil {
		o.m.kafka.commitsFailed.WithLabelValues(name).Inc()
	}
}
