package metrics

import (
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// kafkaMetrics describe the gateway's two consumer lanes: "source" (the
// LCN and IPN topics) and "retry" (the retry tiers).
type kafkaMetrics struct {
	lag           *prometheus.GaugeVec   // lane, topic, partition
	commits       *prometheus.CounterVec // lane
	commitsFailed *prometheus.CounterVec // lane
	assigned      *prometheus.GaugeVec   // lane
	inFlight      *prometheus.GaugeVec   // lane
	pending       *prometheus.GaugeVec   // tier

	mu      sync.Mutex
	tierLag map[string]map[int]int64 // tier topic → partition → lag
}

func newKafkaMetrics() *kafkaMetrics {
	lane := []string{"lane"}
	return &kafkaMetrics{
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_kafka_consumer_lag",
			Help: "Records of a partition assigned to this instance that are not yet fetched, by lane, topic and partition.",
		}, []string{"lane", "topic", "partition"}),
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
		pending: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_retry_pending",
			Help: "Retry records waiting in a tier, not yet fetched: the consumer lag of the tier's partitions this instance holds.",
		}, []string{"tier"}),
		tierLag: map[string]map[int]int64{},
	}
}

func (k *kafkaMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{k.lag, k.commits, k.commitsFailed, k.assigned, k.inFlight, k.pending}
}

// initialise creates the series of both lanes and every tier.
func (k *kafkaMetrics) initialise(l *labelSets) {
	for _, name := range []string{LaneSource, LaneRetry} {
		k.commits.WithLabelValues(name)
		k.commitsFailed.WithLabelValues(name)
		k.assigned.WithLabelValues(name)
		k.inFlight.WithLabelValues(name)
	}
	for _, t := range l.tiers {
		k.pending.WithLabelValues(t)
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

// Assigned sets the partitions a lane holds. Every assignment change
// drops the lane's lag series: the partitions it held may belong to
// another instance now, which reports them.
func (o *gatewayObserver) Assigned(name string, n int) {
	k := o.m.kafka
	name = lane(name)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.assigned.WithLabelValues(name).Set(float64(n))
	k.lag.DeletePartialMatch(prometheus.Labels{"lane": name})
	if name == LaneRetry {
		clear(k.tierLag)
		for _, t := range o.m.labels.tiers {
			k.pending.WithLabelValues(t).Set(0)
		}
	}
}

// Committed counts an offset commit of a lane.
func (o *gatewayObserver) Committed(name string, err error) {
	name = lane(name)
	o.m.kafka.commits.WithLabelValues(name).Inc()
	if err != nil {
		o.m.kafka.commitsFailed.WithLabelValues(name).Inc()
	}
}

// Lag sets a partition's consumer lag. Partitions of topics the gateway
// does not consume, and absurd partition numbers, are not reported: the
// partition label stays bounded by the topics' partition counts.
func (o *gatewayObserver) Lag(topic string, partition int, lag int64) {
	name, ok := o.m.labels.laneOf[topic]
	if !ok || partition < 0 || partition >= maxPartition {
		return
	}
	k := o.m.kafka
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lag.WithLabelValues(name, topic, strconv.Itoa(partition)).Set(float64(lag))
	if name != LaneRetry {
		return
	}
	parts := k.tierLag[topic]
	if parts == nil {
		parts = map[int]int64{}
		k.tierLag[topic] = parts
	}
	parts[partition] = lag
	var sum int64
	for _, v := range parts {
		sum += v
	}
	k.pending.WithLabelValues(o.m.labels.tier(topic)).Set(float64(sum))
}
