package endpointhealth

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics exports the detailed endpoints' series at each scrape.
type metrics struct {
	t *Tracker

	attempts, attemptsFailed, requests, requestsFailed *prometheus.Desc
	circuit, paused, lastSuccess, oldest               *prometheus.Desc
	detailed, omitted                                  *prometheus.Desc
}

var pair = []string{"merchant", "endpoint"}

func newMetrics(reg prometheus.Registerer, t *Tracker) (*metrics, error) {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, append(slices.Clone(pair), labels...), nil)
	}
	m := &metrics{
		t: t,
		attempts: desc("lcngw_endpoint_attempts_total",
			"Scheduled delivery attempts to an endpoint with detail (failing, recovering, paused, breaker not closed, or an opt-in merchant's)."),
		attemptsFailed: desc("lcngw_endpoint_attempts_failed_total",
			"Scheduled attempts to an endpoint with detail that did not deliver, by reason.", "reason"),
		requests: desc("lcngw_endpoint_requests_total",
			"HTTP requests to an endpoint with detail (each quick retry is one)."),
		requestsFailed: desc("lcngw_endpoint_requests_failed_total",
			"HTTP requests to an endpoint with detail that did not deliver, by reason.", "reason"),
		circuit: desc("lcngw_endpoint_circuit_state",
			"1, labelled with the current state of the endpoint's circuit breaker (closed, open, half_open).", "state"),
		paused: desc("lcngw_endpoint_paused",
			"1 while the endpoint is paused: its notifications wait in the retry path."),
		lastSuccess: desc("lcngw_endpoint_last_success_timestamp_seconds",
			"When this instance last delivered to the endpoint (Unix time; 0: not since it started)."),
		oldest: desc("lcngw_endpoint_oldest_undelivered_timestamp_seconds",
			"First attempt of the oldest notification this instance knows undelivered at the endpoint (in flight or waiting in a retry tier), Unix time; absent when none."),
		detailed: prometheus.NewDesc("lcngw_endpoints_detailed",
			"Endpoints this instance exports per-endpoint series for.", nil, nil),
		omitted: prometheus.NewDesc("lcngw_endpoints_detail_omitted",
			"Endpoints that need detail but are left out because max_detailed endpoints already have it.", nil, nil),
	}
	if err := reg.Register(m); err != nil {
		return nil, fmt.Errorf("endpointhealth: %w", err)
	}
	return m, nil
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.attempts, m.attemptsFailed, m.requests, m.requestsFailed,
		m.circuit, m.paused, m.lastSuccess, m.oldest, m.detailed, m.omitted} {
		ch <- d
	}
}

// detail is an endpoint with detail and its view.
type detail struct {
	key  Key
	view view
}

// Collect implements prometheus.Collector.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	ds := m.t.detailed()
	omitted := max(len(ds)-m.t.opts.MaxDetailed, 0)
	ds = ds[:len(ds)-omitted]
	for _, d := range ds {
		m.collectOne(ch, d)
	}
	ch <- prometheus.MustNewConstMetric(m.detailed, prometheus.GaugeValue, float64(len(ds)))
	ch <- prometheus.MustNewConstMetric(m.omitted, prometheus.GaugeValue, float64(omitted))
}

func (m *metrics) collectOne(ch chan<- prometheus.Metric, d detail) {
	v, lv := d.view, []string{d.key.Merchant, d.key.Endpoint}
	counter := func(desc *prometheus.Desc, n uint64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(n), append(lv, extra...)...)
	}
	gauge := func(desc *prometheus.Desc, x float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, x, append(lv, extra...)...)
	}
	counter(m.attempts, v.attempts)
	for r, n := range v.attemptsFailed {
		counter(m.attemptsFailed, n, r)
	}
	counter(m.requests, v.requests)
	for r, n := range v.requestsFailed {
		counter(m.requestsFailed, n, r)
	}
	gauge(m.circuit, 1, v.breaker)
	gauge(m.paused, b2f(v.paused))
	gauge(m.lastSuccess, seconds(v.lastSuccess))
	if !v.oldest.IsZero() {
		gauge(m.oldest, seconds(v.oldest))
	}
}

// detailed returns the endpoints that need detail, most urgent first,
// and drops the candidates that no longer need it.
func (t *Tracker) detailed() []detail {
	now := t.opts.Now()
	t.mu.Lock()
	keys := make([]Key, 0, len(t.candidates))
	for k := range t.candidates {
		keys = append(keys, k)
	}
	t.mu.Unlock()
	ds := make([]detail, 0, len(keys))
	for _, k := range keys {
		s, _ := t.states.Load(k)
		st := s.(*state)
		v := st.snapshot(now)
		if t.needsDetail(k, v, now) {
			ds = append(ds, detail{k, v})
			continue
		}
		t.drop(k, st, v)
	}
	slices.SortFunc(ds, urgency)
	return ds
}

// needsDetail: an opt-in merchant's endpoint, a paused one, one whose
// breaker is not closed, one with an undelivered notification, or one
// that failed within Hold.
func (t *Tracker) needsDetail(k Key, v view, now time.Time) bool {
	return t.optIn[k.Merchant] || v.paused || v.breaker != "closed" || !v.oldest.IsZero() ||
		(!v.lastFailure.IsZero() && now.Sub(v.lastFailure) < t.opts.Hold)
}

// drop removes a candidate, unless it failed, paused or tripped after v
// was taken.
func (t *Tracker) drop(k Key, s *state, v view) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.candidate.Store(false)
	s.mu.Lock()
	closed := s.breaker == "closed"
	s.mu.Unlock()
	if unixNano(s.lastFailure.Load()).Equal(v.lastFailure) && !s.paused.Load() && closed {
		delete(t.candidates, k)
		return
	}
	s.candidate.Store(true)
}

// urgency orders the oldest undelivered notification first, then
// breakers not closed, paused endpoints, the most recent failure, and
// the endpoint's name.
func urgency(a, b detail) int {
	ao, bo := a.view.oldest, b.view.oldest
	switch {
	case !ao.IsZero() && bo.IsZero():
		return -1
	case ao.IsZero() && !bo.IsZero():
		return 1
	case !ao.Equal(bo):
		return ao.Compare(bo)
	}
	if c := cmp.Compare(b2f(b.view.breaker != "closed"), b2f(a.view.breaker != "closed")); c != 0 {
		return c
	}
	if c := cmp.Compare(b2f(b.view.paused), b2f(a.view.paused)); c != 0 {
		return c
	}
	if c := b.view.lastFailure.Compare(a.view.lastFailure); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.key.Merchant, b.key.Merchant), cmp.Compare(a.key.Endpoint, b.key.Endpoint))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func seconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
