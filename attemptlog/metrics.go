package attemptlog

import (
	"fmt"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// logMetrics count what became of the records given to a Log.
type logMetrics struct {
	written prometheus.Counter
	dropped prometheus.Counter
	failed  prometheus.Counter
	queued  atomic.Pointer[func() float64]
}

func newLogMetrics(reg prometheus.Registerer, queued func() float64) (*logMetrics, error) {
	m := &logMetrics{
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lcngw_attemptlog_records_written_total",
			Help: "Attempt records written to the attempt log topic.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lcngw_attemptlog_records_dropped_total",
			Help: "Attempt records dropped because the attempt log's buffer was full or the log was closed; delivery never waits for the log.",
		}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lcngw_attemptlog_records_failed_total",
			Help: "Attempt records lost because their batch could not be written to Kafka.",
		}),
	}
	m.setQueued(queued)
	if reg == nil {
		return m, nil
	}
	gauge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "lcngw_attemptlog_records_queued",
		Help: "Attempt records waiting in the attempt log's buffer.",
	}, func() float64 { return (*m.queued.Load())() })
	for _, c := range []prometheus.Collector{m.written, m.dropped, m.failed, gauge} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("attemptlog: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *logMetrics) setQueued(f func() float64) { m.queued.Store(&f) }
