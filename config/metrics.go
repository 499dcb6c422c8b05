package config

import "time"

// Metrics bounds and tunes what the gateway exports.
type Metrics struct {
	// DetailMerchants are vendor codes whose endpoints always have
	// per-endpoint series; other endpoints have them only while they need
	// attention (failing, recovering, paused, breaker not closed).
	DetailMerchants []string `yaml:"detail_merchants"`
	// MaxDetailedEndpoints bounds the endpoints with per-endpoint series
	// (about ten series each); default 1000.
	MaxDetailedEndpoints int `yaml:"max_detailed_endpoints"`
	// OffsetsInterval is how often consumer lag, the retry backlog and the
	// dead-letter topic's size are measured from the broker's offsets;
	// default 15s.
	OffsetsInterval time.Duration `yaml:"offsets_interval"`
	// SummaryInterval is how often the info-level summary of delivered,
	// retried and dead-lettered notifications is logged; default 1m.
	SummaryInterval time.Duration `yaml:"summary_interval"`
}

func defaultMetrics() Metrics {
	return Metrics{MaxDetailedEndpoints: 1000, OffsetsInterval: 15 * time.Second, SummaryInterval: time.Minute}
}

func (m *Metrics) validate(ps *problems) {
	ps.require(m.MaxDetailedEndpoints >= 1 && m.MaxDetailedEndpoints <= 100_000,
		"metrics.max_detailed_endpoints", "must be 1 to 100000")
	ps.require(m.OffsetsInterval >= 100*time.Millisecond && m.OffsetsInterval <= time.Hour,
		"metrics.offsets_interval", "must be 100ms to 1h")
	ps.require(m.SummaryInterval >= time.Second && m.SummaryInterval <= 24*time.Hour,
		"metrics.summary_interval", "must be 1s to 24h")
	for i, v := range m.DetailMerchants {
		ps.require(v != "", index("metrics.detail_merchants", i), "must not be empty")
	}
}
