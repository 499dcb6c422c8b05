package pipeline

import (
	"fmt"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// DelivererFrom returns the delivery.Deliverer the delivery settings
// describe: quick retries and a breaker per endpoint over an SSRF-guarded
// client. m, when not nil, counts its requests; w, when not nil, follows
// them.
func DelivererFrom(d *config.Delivery, m *delivery.Metrics, w delivery.Watcher) *delivery.Deliverer {
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
		Breaker: delivery.BreakerConfig{Failures: b.FailureThreshold, OpenDuration: b.OpenDuration, Probes: b.HalfOpenProbes},
		Metrics: m,
		Watcher: w,
	})
}

// ScheduleFrom converts a configured retry schedule.
func ScheduleFrom(r config.Retry) delivery.Schedule {
	return delivery.Schedule{Offsets: r.Schedule.Offsets, Every: r.Every, MaxAge: r.MaxAge}
}

// MerchantsFrom resolves every merchant of a loaded configuration.
func MerchantsFrom(cfg *config.Config) (MerchantMap, error) {
	out := make(MerchantMap, len(cfg.Merchants))
	for i := range cfg.Merchants {
		m, err := MerchantFrom(cfg, &cfg.Merchants[i])
		if err != nil {
			return nil, err
		}
		out[m.VendorCode] = m
	}
	return out, nil
}

// MerchantFrom resolves one merchant against cfg's delivery settings and
// layouts: a merchant of the file, or one of the merchant registry.
func MerchantFrom(cfg *config.Config, cm *config.Merchant) (*Merchant, error) {
	m := &Merchant{
		VendorCode: cm.VendorCode,
		Key:        cm.Key().Reveal(),
		Location:   cm.Location(),
		Triggers:   cm.LCN.Triggers,
		Retry:      new(ScheduleFrom(cfg.Delivery.RetryFor(cm))),
	}
	var err error
	if m.LCNLayout, err = layoutFrom(cfg, signer.KindLCN, cm.LCN.Layout, lcn.Catalogue()); err != nil {
		return nil, fmt.Errorf("merchant %s: %w", cm.VendorCode, err)
	}
	if m.IPNLayout, err = layoutFrom(cfg, signer.KindIPN, cm.IPN.Layout, ipn.Catalogue()); err != nil {
		return nil, fmt.Errorf("merchant %s: %w", cm.VendorCode, err)
	}
	for _, ce := range cm.Endpoints {
		m.Endpoints = append(m.Endpoints, endpointFrom(cfg, cm, ce, m.Key))
	}
	return m, nil
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
