package lag

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics exports the last snapshot. Every instance reports the same
// group-wide figures, so rules aggregate them with max over instances,
// never sum. It is safe for concurrent use.
type Metrics struct {
	tierOf     map[string]string
	deadLetter string

	lagDesc, committedDesc, pendingDesc, deadDesc *prometheus.Desc
	measured                                      prometheus.Gauge
	failures                                      prometheus.Counter

	mu   sync.Mutex
	last *Snapshot
}

// MetricsOptions names what the snapshot's topics stand for.
type MetricsOptions struct {
	// Tiers maps each retry tier's topic to its tier label; the lags of
	// these topics are summed by tier into lcngw_retry_pending.
	Tiers map[string]string
	// DeadLetter is the dead-letter topic, reported as
	// lcngw_dead_letter_records when the Meter sizes it.
	DeadLetter string
}

// NewMetrics registers the lag metrics on reg.
func NewMetrics(reg prometheus.Registerer, o MetricsOptions) (*Metrics, error) {
	if reg == nil {
		return nil, errors.New("lag: a registerer is required")
	}
	m := &Metrics{
		tierOf:     o.Tiers,
		deadLetter: o.DeadLetter,
		lagDesc: prometheus.NewDesc("lcngw_kafka_consumer_lag",
			"Records of a partition the lane's consumer group has not committed yet (broker log-end offset minus committed offset), by lane, topic and partition; the same on every instance.",
			[]string{"lane", "topic", "partition"}, nil),
		committedDesc: prometheus.NewDesc("lcngw_kafka_committed_offset",
			"Offset the lane's consumer group committed on a partition (-1: none yet); a partition whose offset does not move while it lags is stalled.",
			[]string{"lane", "topic", "partition"}, nil),
		pendingDesc: prometheus.NewDesc("lcngw_retry_pending",
			"Retry records waiting in a tier (fetched or not, not yet committed), from the broker's offsets; the same on every instance.",
			[]string{"tier"}, nil),
		deadDesc: prometheus.NewDesc("lcngw_dead_letter_records",
			"Records the dead-letter topic retains (log end minus log start over its partitions).",
			nil, nil),
		measured: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "lcngw_kafka_offsets_measured_timestamp_seconds",
			Help: "When the lag figures were last measured from the broker's offsets (Unix time).",
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lcngw_kafka_offsets_measure_failures_total",
			Help: "Measurements of the broker's offsets that failed; the lag figures keep their last values.",
		}),
	}
	for _, c := range []prometheus.Collector{m, m.measured, m.failures} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("lag: %w", err)
		}
	}
	return m, nil
}

// Report records a measurement: a snapshot replaces the last one, an
// error is counted and keeps it.
func (m *Metrics) Report(s *Snapshot, err error) {
	if err != nil || s == nil {
		m.failures.Inc()
		return
	}
	m.mu.Lock()
	m.last = s
	m.mu.Unlock()
	m.measured.Set(float64(time.Now().UnixNano()) / 1e9)
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.lagDesc
	ch <- m.committedDesc
	ch <- m.pendingDesc
	ch <- m.deadDesc
}

// Collect implements prometheus.Collector: the last snapshot's figures.
// Every tier is reported, 0 before the first measurement.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	s := m.last
	m.mu.Unlock()
	pending := make(map[string]int64, len(m.tierOf))
	for _, tier := range m.tierOf {
		pending[tier] = 0
	}
	var dead int64
	if s != nil {
		for _, l := range s.Lags {
			p := strconv.Itoa(l.Partition)
			ch <- prometheus.MustNewConstMetric(m.lagDesc, prometheus.GaugeValue, float64(l.Lag), l.Lane, l.Topic, p)
			ch <- prometheus.MustNewConstMetric(m.committedDesc, prometheus.GaugeValue, float64(l.Committed), l.Lane, l.Topic, p)
			if tier, ok := m.tierOf[l.Topic]; ok {
				pending[tier] += l.Lag
			}
		}
		dead = s.Sizes[m.deadLetter]
	}
	for tier, n := range pending {
		ch <- prometheus.MustNewConstMetric(m.pendingDesc, prometheus.GaugeValue, float64(n), tier)
	}
	if m.deadLetter != "" {
		ch <- prometheus.MustNewConstMetric(m.deadDesc, prometheus.GaugeValue, float64(dead))
	}
}
