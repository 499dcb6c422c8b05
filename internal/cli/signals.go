package cli

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/endpointhealth"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/lag"
	"github.com/lcngw/lcngw/opslog"
	"github.com/lcngw/lcngw/pipeline"
)

// signals are what a running gateway tells operators besides its
// per-package metrics: lag, retry backlog and dead-letter size measured
// from the broker's offsets, the health of the endpoints that need
// attention, and a periodic info-level summary.
type signals struct {
	meter    *lag.Meter
	lags     *lag.Metrics
	health   *endpointhealth.Tracker
	summary  *opslog.Summary
	interval time.Duration
	every    time.Duration
	log      *slog.Logger
}

// newSignals registers the signals of the gateway opts describes on reg.
func newSignals(cfg *config.Config, opts *gateway.Options, reg prometheus.Registerer, log *slog.Logger) (*signals, error) {
	delays := opts.TierDelays
	if len(delays) == 0 {
		delays = gateway.DefaultTierDelays()
	}
	tiers, err := gateway.NewTiers(opts.Topics.Retry, delays)
	if err != nil {
		return nil, err
	}
	tierOf := make(map[string]string, len(tiers))
	for _, t := range tiers {
		tierOf[t.Topic] = strings.TrimPrefix(t.Topic, opts.Topics.Retry+".")
	}
	group := opts.GroupID
	if group == "" {
		group = "lcngw"
	}
	transport := opts.Transport
	if transport == nil {
		transport = &kafka.Transport{ClientID: opts.ClientID}
	}
	client := &kafka.Client{Addr: kafka.TCP(opts.Brokers...), Transport: transport, Timeout: cfg.Metrics.OffsetsInterval}
	meter, err := lag.NewMeter(client, []lag.Group{
		{ID: group, Lane: "source", Topics: []string{opts.Topics.LCN, opts.Topics.IPN}},
		{ID: group + gateway.RetryGroupSuffix, Lane: "retry", Topics: tiers.Topics()},
	}, opts.Topics.DeadLetter)
	if err != nil {
		return nil, err
	}
	lags, err := lag.NewMetrics(reg, lag.MetricsOptions{Tiers: tierOf, DeadLetter: opts.Topics.DeadLetter})
	if err != nil {
		return nil, err
	}
	health, err := endpointhealth.New(endpointhealth.Options{Registerer: reg,
		Merchants: cfg.Metrics.DetailMerchants, MaxDetailed: cfg.Metrics.MaxDetailedEndpoints})
	if err != nil {
		return nil, err
	}
	return &signals{meter: meter, lags: lags, health: health, summary: &opslog.Summary{},
		interval: cfg.Metrics.OffsetsInterval, every: cfg.Metrics.SummaryInterval, log: log}, nil
}

// RecordAttempt feeds the endpoint health and the summary; it is the
// pipeline's AttemptRecorder.
func (s *signals) RecordAttempt(a pipeline.Attempt) {
	s.health.RecordAttempt(a)
	switch a.Result {
	case pipeline.Delivered:
		s.summary.Delivered()
	case pipeline.Retry:
		s.summary.Retried()
	case pipeline.Dead:
		s.summary.DeadLettered()
	}
}

// watcher feeds each request and breaker transition to the endpoint
// health, and logs every breaker transition (merchant and endpoint, never
// the URL).
func (s *signals) watcher() delivery.Watcher { return breakerLog{s.health.Watch(), s.log} }

// breakerLog logs breaker transitions, then hands everything to next.
type breakerLog struct {
	next delivery.Watcher
	log  *slog.Logger
}

// Tried hands the try to next.
func (b breakerLog) Tried(ep *delivery.Endpoint, o delivery.Outcome) { b.next.Tried(ep, o) }

// BreakerChanged logs the transition (open at warn, others at info) and
// hands it to next.
func (b breakerLog) BreakerChanged(ep *delivery.Endpoint, to delivery.BreakerState) {
	level := slog.LevelInfo
	if to == delivery.BreakerOpen {
		level = slog.LevelWarn
	}
	b.log.Log(context.Background(), level, "circuit breaker "+to.String(), "merchant", ep.Merchant, "endpoint", ep.Name)
	b.next.BreakerChanged(ep, to)
}

// recorders chains the signals before an existing recorder (nil: none).
func (s *signals) recorders(next pipeline.AttemptRecorder) pipeline.AttemptRecorder {
	if next == nil {
		return s
	}
	return pipeline.AttemptRecorderFunc(func(a pipeline.Attempt) {
		s.RecordAttempt(a)
		next.RecordAttempt(a)
	})
}

// run measures the broker's offsets and logs the summary until ctx ends.
func (s *signals) run(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.summary.Run(ctx, s.log, s.every)
	}()
	failing := false
	s.meter.Poll(ctx, s.interval, func(snap *lag.Snapshot, err error) {
		s.lags.Report(snap, err)
		if err != nil && !failing {
			s.log.Warn("consumer lag not measured; the lag metrics keep their last values", "err", err)
		} else if err == nil && failing {
			s.log.Info("consumer lag measured again")
		}
		failing = err != nil
	})
	<-done
}

// alongside returns run with the signals running beside it, stopped when
// it returns.
func (s *signals) alongside(run func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.run(ctx)
		}()
		err := run(ctx)
		cancel()
		<-done
		return err
	}
}
