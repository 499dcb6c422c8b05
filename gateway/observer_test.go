package gateway_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// counter is an Observer counting events by name; attached to a
// gateway's metrics, it also reads the counts only metrics keep:
// "consumed", "invalid REASON", "exhausted" and "assigned LANE".
type counter struct {
	gateway.NopObserver
	mu  sync.Mutex
	n   map[string]int
	reg *prometheus.Registry
}

// attach makes c opts' observer and registers opts' gateway and pipeline
// metrics on a registry c reads.
func (c *counter) attach(t testing.TB, opts *gateway.Options) {
	t.Helper()
	cfg := config.Default()
	cfg.Kafka.Topics = opts.Topics
	tiers, err := gateway.NewTiers(opts.Topics.Retry, opts.TierDelays)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := metrics.NewLabels(cfg, tiers.Topics())
	if err != nil {
		t.Fatal(err)
	}
	c.reg = prometheus.NewRegistry()
	if opts.Metrics, err = gateway.NewMetrics(c.reg, labels); err != nil {
		t.Fatal(err)
	}
	if opts.PipelineMetrics, err = pipeline.NewMetrics(c.reg); err != nil {
		t.Fatal(err)
	}
	opts.Observer = c
}

// metric sums the series of family whose label name has value (every
// series when name is "").
func (c *counter) metric(family, name, value string) int {
	mfs, err := c.reg.Gather()
	if err != nil {
		panic(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != family {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := name == ""
			for _, lp := range m.GetLabel() {
				match = match || (lp.GetName() == name && lp.GetValue() == value)
			}
			if match {
				sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	return int(sum)
}

func (c *counter) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *counter) get(name string) int {
	if c.reg != nil {
		switch verb, arg, _ := strings.Cut(name, " "); verb {
		case "consumed":
			return c.metric("lcngw_events_consumed_total", "", "")
		case "invalid":
			return c.metric("lcngw_events_invalid_total", "reason", arg)
		case "exhausted":
			return c.metric("lcngw_deliveries_failed_total", "reason", pipeline.ReasonExhausted)
		case "assigned":
			return c.metric("lcngw_kafka_assigned_partitions", "lane", arg)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

func (c *counter) Skipped(_ signer.Kind, _, r string) { c.add("skipped " + r) }
func (c *counter) RetryScheduled(gateway.Attempt, string, time.Time) {
	c.add("retry")
}
func (c *counter) DeadLettered(d string, _ signer.Kind, r string) { c.add("dead " + d + " " + r) }
func (c *counter) Attempted(a gateway.Attempt) {
	if a.Outcome.Result == delivery.Delivered {
		c.add("delivered")
	}
}

func kafkaMsg(topic, key string, value []byte) kafka.Message {
	return kafka.Message{Topic: topic, Key: []byte(key), Value: value}
}
