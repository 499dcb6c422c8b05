// Package metrics holds what every package's Prometheus metrics share:
// the bounded label values the configuration allows ([Labels]), the
// lcngw_build_info and lcngw_ready gauges, and registration. It imports no package that
// records metrics. Each package owns its metrics, built from an injected
// prometheus.Registerer and these labels, and pre-initialises every label
// set the configuration makes known, so rates and ratios exist from the
// first scrape: delivery.NewMetrics (HTTP requests, breakers, slots),
// pipeline.NewMetrics (events, attempts, deliveries, latency) and
// gateway.NewMetrics (records consumed, dead letters, retries, consumer
// lanes); gateway.Instrument registers all three for a configuration.
//
// Names follow Prometheus conventions: an lcngw_ prefix, base units
// (seconds), counters ending in _total and paired with a _failed_total
// twin. Labels are bounded: kind (lcn, ipn), topic, tier, lane,
// partition, and reasons from fixed sets; merchant and endpoint appear
// only on endpointhealth's per-endpoint series, for the endpoints needing
// attention. A value outside the
// configuration is reported as [Other] ("_other"; "other" for reasons),
// never as given: no URL, license code, message id or e-mail address can
// become a label.
//
// docs/operations.md lists every metric; deploy/ holds the Grafana
// dashboard and the Prometheus rules built on them.
package metrics
