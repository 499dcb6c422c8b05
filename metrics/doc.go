// Package metrics exports the gateway's Prometheus metrics. [New]
// registers them on an injected prometheus.Registerer and initialises
// every label set the configuration makes known, so rates and ratios exist
// from the first scrape; [Metrics.Gateway], [Metrics.Delivery] and
// [Metrics.Sender] hand out the observers that feed them.
//
// Names follow Prometheus conventions: an lcngw_ prefix, base units
// (seconds), counters ending in _total and paired with a _failed_total
// twin. Labels are bounded: merchant (a configured vendor code), endpoint
// (a configured endpoint name), kind (lcn, ipn), topic, tier, lane,
// partition, and reasons from fixed sets. A value outside the
// configuration is reported as [Other] ("_other"; "other" for reasons),
// never as given: no URL, license code, message id or e-mail address can
// become a label.
//
// docs/operations.md lists every metric; deploy/ holds the Grafana
// dashboard and the Prometheus rules built on them.
package metrics
