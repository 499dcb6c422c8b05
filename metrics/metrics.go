package metrics

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
)

// Metrics holds the gateway's collectors, registered on one Registerer,
// and hands out the observers that feed them. It is safe for concurrent
// use.
type Metrics struct {
	labels   *labelSets
	events   *eventMetrics
	attempts *attemptMetrics
	requests *requestMetrics
	kafka    *kafkaMetrics
	build    *prometheus.GaugeVec
	series   *series
}

// Option adjusts New.
type Option func(*options)

type options struct {
	version    string
	tierDelays []time.Duration
}

// WithVersion sets the version label of lcngw_build_info; by default it
// is the module version the Go toolchain recorded, or "devel".
func WithVersion(v string) Option { return func(o *options) { o.version = v } }

// WithTierDelays names the retry tiers' delays when the gateway runs with
// other tiers than gateway.DefaultTierDelays().
func WithTierDelays(ds ...time.Duration) Option {
	return func(o *options) { o.tierDelays = ds }
}

// New registers the gateway's metrics on reg and initialises every label
// set the configuration makes known (each merchant × endpoint × kind ×
// reason, each topic, tier and lane) so that rates and ratios exist from
// the first scrape. cfg must be a loaded configuration; only its merchants,
// endpoints, topics and timeouts are read.
func New(reg prometheus.Registerer, cfg *config.Config, opts ...Option) (*Metrics, error) {
	if reg == nil || cfg == nil {
		return nil, errors.New("metrics: a registerer and a configuration are required")
	}
	o := options{version: buildVersion(), tierDelays: gateway.DefaultTierDelays()}
	for _, opt := range opts {
		opt(&o)
	}
	labels, err := newLabelSets(cfg, o.tierDelays)
	if err != nil {
		return nil, err
	}
	m := &Metrics{
		labels:   labels,
		events:   newEventMetrics(),
		attempts: newAttemptMetrics(),
		requests: newRequestMetrics(maxTimeout(cfg)),
		kafka:    newKafkaMetrics(),
		build: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lcngw_build_info",
			Help: "Always 1; the labels tell the version, Go version and VCS revision of the running binary.",
		}, []string{"version", "goversion", "revision"}),
	}
	cs := []prometheus.Collector{m.build}
	cs = append(cs, m.events.collectors()...)
	cs = append(cs, m.attempts.collectors()...)
	cs = append(cs, m.requests.collectors()...)
	cs = append(cs, m.kafka.collectors()...)
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}
	m.build.WithLabelValues(o.version, runtime.Version(), revision()).Set(1)
	m.events.initialise(labels)
	m.attempts.initialise(labels)
	m.requests.initialise(labels)
	m.kafka.initialise(labels)
	m.series = newSeries(m)
	return m, nil
}

// Gateway returns the observer to set as gateway.Options.Observer.
func (m *Metrics) Gateway() gateway.Observer { return &gatewayObserver{m: m} }

// gatewayObserver feeds the metrics from the gateway's pipeline. Its
// methods are spread over the files of the metrics they feed.
type gatewayObserver struct {
	// NopObserver keeps it a gateway.Observer when methods are added.
	gateway.NopObserver
	m *Metrics
}

var _ gateway.Observer = (*gatewayObserver)(nil)

// maxTimeout is the longest attempt timeout of any endpoint, at least the
// delivery default.
func maxTimeout(cfg *config.Config) time.Duration {
	d := cfg.Delivery.Timeout
	for i := range cfg.Merchants {
		for _, e := range cfg.Merchants[i].Endpoints {
			d = max(d, cfg.Delivery.Effective(e).Timeout)
		}
	}
	return d
}

// buildVersion is the module version the toolchain recorded, or "devel".
func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// revision is the VCS revision the toolchain recorded, or "unknown".
func revision() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}
