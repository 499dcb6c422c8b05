package gateway

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/pipeline"
)

// FromConfig returns the options of a gateway serving a loaded and
// validated configuration: Kafka settings, the merchants with their
// layouts, keys, schedules and endpoints, and a delivery.Deliverer over a
// delivery.Client. Its Kafka connections (Dialer, Transport) are built by
// kafkaconn, with the configuration's TLS and SASL. Set Logger, Observer and
// Recorder on the result as needed.
func FromConfig(cfg *config.Config) (Options, error) {
	k := &cfg.Kafka
	dirs, err := pipeline.MerchantsFrom(cfg)
	if err != nil {
		return Options{}, err
	}
	conn, err := kafkaconn.FromConfig(k)
	if err != nil {
		return Options{}, err
	}
	start := int64(kafka.FirstOffset)
	if k.StartOffset == config.StartLast {
		start = kafka.LastOffset
	}
	def := pipeline.ScheduleFrom(cfg.Delivery.Retry)
	return Options{
		Brokers:           k.Brokers,
		ClientID:          k.ClientID,
		GroupID:           k.GroupID,
		StartOffset:       start,
		Topics:            k.Topics,
		MaxWait:           k.MaxWait,
		MinBytes:          k.MinBytes,
		MaxBytes:          k.MaxBytes,
		HeartbeatInterval: k.HeartbeatInterval,
		SessionTimeout:    k.SessionTimeout,
		RebalanceTimeout:  k.RebalanceTimeout,
		BatchTimeout:      k.BatchTimeout,
		MaxInFlight:       cfg.Delivery.MaxInFlight,
		ShutdownTimeout:   cfg.Runtime.ShutdownTimeout,
		Merchants:         dirs,
		Sender:            pipeline.DelivererFrom(&cfg.Delivery, nil, nil),
		DefaultRetry:      def,
		TierDelays:        TierDelaysFor(append(schedules(dirs), def)...),
		Dialer:            conn.Dialer(),
		Transport:         conn.Transport(),
	}, nil
}

// TierDelaysFor returns the retry tiers that serve the given schedules:
// DefaultTierDelays(), plus a shorter tier when a schedule has a gap between
// attempts shorter than the shortest default tier, so that a retry is never
// later than its schedule allows by more than that gap.
func TierDelaysFor(schedules ...delivery.Schedule) []time.Duration {
	delays := DefaultTierDelays()
	shortest := delays[0]
	for _, s := range schedules {
		prev := time.Duration(0)
		for _, o := range s.Offsets {
			shortest = min(shortest, o-prev)
			prev = o
		}
		if s.Every > 0 {
			shortest = min(shortest, s.Every)
		}
	}
	if shortest > 0 && shortest < delays[0] {
		delays = append([]time.Duration{shortest}, delays...)
	}
	return delays
}

// schedules returns the retry schedules of the merchants that have their
// own.
func schedules(ms pipeline.MerchantMap) []delivery.Schedule {
	out := make([]delivery.Schedule, 0, len(ms))
	for _, m := range ms {
		if m.Retry != nil {
			out = append(out, *m.Retry)
		}
	}
	return out
}

// Instrument registers the metrics of the gateway, its pipeline and its
// deliveries on reg, labelled by cfg; it sets the first two in o (Metrics,
// PipelineMetrics) and returns the deliveries' for the Sender (see
// pipeline.DelivererFrom). Call it after setting o.TierDelays. version
// labels lcngw_build_info ("" for the module version).
func Instrument(o *Options, cfg *config.Config, reg prometheus.Registerer, version string) (*delivery.Metrics, error) {
	delays := o.TierDelays
	if len(delays) == 0 {
		delays = DefaultTierDelays()
	}
	tiers, err := NewTiers(cfg.Kafka.Topics.Retry, delays)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	labels, err := metrics.NewLabels(cfg, tiers.Topics())
	if err != nil {
		return nil, err
	}
	if err := metrics.RegisterBuildInfo(reg, version); err != nil {
		return nil, err
	}
	dm, err := delivery.NewMetrics(reg, maxTimeout(cfg))
	if err != nil {
		return nil, err
	}
	if o.PipelineMetrics, err = pipeline.NewMetrics(reg); err != nil {
		return nil, err
	}
	if o.Metrics, err = NewMetrics(reg, labels); err != nil {
		return nil, err
	}
	return dm, nil
}

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
