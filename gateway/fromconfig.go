package gateway

import (
	"fmt"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// FromConfig returns the options of a gateway serving a loaded and
// validated configuration: Kafka settings, the merchants with their
// layouts, keys, schedules and endpoints, and a delivery.Deliverer over a
// delivery.Client. Set Logger and Observer on the result as needed.
func FromConfig(cfg *config.Config) (Options, error) {
	k := &cfg.Kafka
	dirs, err := merchantsFrom(cfg)
	if err != nil {
		return Options{}, err
	}
	start := int64(kafka.FirstOffset)
	if k.StartOffset == config.StartLast {
		start = kafka.LastOffset
	}
	def := ScheduleFrom(cfg.Delivery.Retry)
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
		Merchants:         dirs,
		Sender:            DelivererFrom(&cfg.Delivery, nil),
		DefaultRetry:      def,
		TierDelays:        TierDelaysFor(append(dirs.schedules(), def)...),
	}, nil
}

// TierDelaysFor returns the retry tiers that serve the given schedules:
// DefaultTierDelays, plus a shorter tier when a schedule has a gap between
// attempts shorter than the shortest default tier, so that a retry is never
// later than its schedule allows by more than that gap.
func TierDelaysFor(schedules ...delivery.Schedule) []time.Duration {
	delays := slices.Clone(DefaultTierDelays)
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
// own delivery.Schedule.
func (ms Merchants) schedules() []delivery.Schedule {
	out := make([]delivery.Schedule, 0, len(ms))
	for _, m := range ms {
		if s, ok := m.Retry.(delivery.Schedule); ok {
			out = append(out, s)
		}
	}
	return out
}

// DelivererFrom returns the delivery.Deliverer the delivery settings
// describe: quick retries and a breaker per endpoint over an SSRF-guarded
// client. obs, when not nil, is told about every attempt (metrics).
func DelivererFrom(d *config.Delivery, obs *delivery.Observer) *delivery.Deliverer {
	client := delivery.NewClient(delivery.ClientConfig{
		UserAgent:      d.UserAgent,
		ConnectTimeout: d.ConnectTimeout,
		Timeout:        d.Timeout,
		Guard:          delivery.Guard{Allow: d.AllowInternal},
	})
	q, b := d.QuickRetry, d.CircuitBreaker
	return delivery.NewDeliverer(client, delivery.Options{
		Quick: delivery.QuickRetry{Attempts: q.Attempts, InitialInterval: q.InitialInterval,
			MaxInterval: q.MaxInterval, Multiplier: q.Multiplier, Jitter: q.Jitter},
		Breaker:  delivery.BreakerConfig{Failures: b.FailureThreshold, OpenDuration: b.OpenDuration, Probes: b.HalfOpenProbes},
		Observer: obs,
	})
}

// ScheduleFrom converts a configured retry policy.
func ScheduleFrom(r config.Retry) delivery.Schedule {
	return delivery.Schedule{Offsets: r.Schedule.Offsets, Every: r.Every, MaxAge: r.MaxAge}
}

// merchantsFrom resolves every configured merchant.
func merchantsFrom(cfg *config.Config) (Merchants, error) {
	out := make(Merchants, len(cfg.Merchants))
	for i := range cfg.Merchants {
		cm := &cfg.Merchants[i]
		m := &Merchant{
			VendorCode: cm.VendorCode,
			Key:        cm.Key().Reveal(),
			Location:   cm.Location(),
			Triggers:   cm.LCN.Triggers,
			Retry:      ScheduleFrom(cfg.Delivery.RetryFor(cm)),
		}
		var err error
		if m.LCNLayout, err = layoutFrom(cfg, signer.KindLCN, cm.LCN.Layout, lcn.Catalogue); err != nil {
			return nil, fmt.Errorf("merchant %s: %w", cm.VendorCode, err)
		}
		if m.IPNLayout, err = layoutFrom(cfg, signer.KindIPN, cm.IPN.Layout, ipn.Catalogue); err != nil {
			return nil, fmt.Errorf("merchant %s: %w", cm.VendorCode, err)
		}
		for _, ce := range cm.Endpoints {
			m.Endpoints = append(m.Endpoints, endpointFrom(cfg, cm, ce, m.Key))
		}
		out[m.VendorCode] = m
	}
	return out, nil
}

// layoutFrom returns the named layout; nil for the default one.
func layoutFrom(cfg *config.Config, k signer.Kind, name string, cat templates.Catalogue) (*templates.Layout, error) {
	if name == "" || name == templates.DefaultName {
		return nil, nil
	}
	l, ok := cfg.Layout(k, name, cat)
	if !ok {
		return nil, fmt.Errorf("no %s layout called %q", k, name)
	}
	return &l, nil
}

func endpointFrom(cfg *config.Config, cm *config.Merchant, ce config.Endpoint, key []byte) Endpoint {
	e := cfg.Delivery.Effective(ce)
	return Endpoint{
		Endpoint: delivery.Endpoint{
			Merchant:            cm.VendorCode,
			Name:                e.Name,
			URL:                 e.URL,
			Key:                 key,
			Receipt:             e.ReceiptAlgorithms.Set(),
			ReceiptOptional:     e.Receipt == config.ReceiptOptional,
			ReceiptStandardOnly: !e.ReceiptSDKVariants,
			ConnectTimeout:      e.ConnectTimeout,
			Timeout:             e.Timeout,
			MaxConcurrency:      e.MaxConcurrency,
			MaxWaiting:          e.MaxWaiting,
			MaxSlotWait:         cfg.Delivery.MaxSlotWait,
		},
		Kinds:      e.Kinds,
		Algorithms: e.Algorithms.Set(),
	}
}
