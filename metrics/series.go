package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/signer"
)

// series are the children of the metrics every notification moves,
// resolved once for every label set the configuration makes known, so
// that the hot path neither hashes nor validates label values. Label sets
// outside the configuration, and the failure paths, still go through the
// vectors. It is read-only after newSeries.
type series struct {
	consumed  map[string]prometheus.Counter // source topic
	inFlight  map[string]prometheus.Gauge   // lane
	merchants map[string]*merchantSeries    // vendor code
	endpoints map[endpointKey]*endpointSeries
}

// merchantSeries are the children of one configured merchant.
type merchantSeries struct {
	built [signer.KindIPN + 1]prometheus.Counter // by kind; nil for KindUnknown
}

// endpointSeries are the children of one configured endpoint.
type endpointSeries struct {
	requests prometheus.Counter
	duration prometheus.Observer
	inFlight prometheus.Gauge
	kinds    [signer.KindIPN + 1]*kindSeries // nil for the kinds it does not receive
}

// kindSeries are the children of one endpoint and kind.
type kindSeries struct {
	attempts   prometheus.Counter
	deliveries prometheus.Counter
	latency    prometheus.Observer
}

// newSeries resolves the children of every series initialise created.
func newSeries(m *Metrics) *series {
	l := m.labels
	s := &series{
		consumed:  make(map[string]prometheus.Counter, len(l.source)),
		inFlight:  make(map[string]prometheus.Gauge, 2),
		merchants: make(map[string]*merchantSeries, len(l.merchants)),
		endpoints: make(map[endpointKey]*endpointSeries, len(l.endpoints)),
	}
	for _, t := range l.source {
		s.consumed[t] = m.events.consumed.WithLabelValues(t)
	}
	for _, name := range []string{LaneSource, LaneRetry} {
		s.inFlight[name] = m.kafka.inFlight.WithLabelValues(name)
	}
	for _, v := range l.merchants {
		ms := &merchantSeries{}
		for _, k := range kinds {
			ms.built[k] = m.events.built.WithLabelValues(kind(k), v)
		}
		s.merchants[v] = ms
	}
	for _, ep := range l.endpoints {
		es := &endpointSeries{
			requests: m.requests.requests.WithLabelValues(ep.merchant, ep.name),
			duration: m.requests.duration.WithLabelValues(ep.merchant, ep.name),
			inFlight: m.requests.inFlight.WithLabelValues(ep.merchant, ep.name),
		}
		for _, k := range kinds {
			if !l.kindsOf[ep].Has(k) {
				continue
			}
			a := m.attempts
			es.kinds[k] = &kindSeries{
				attempts:   a.attempts.WithLabelValues(ep.merchant, ep.name, kind(k)),
				deliveries: a.deliveries.WithLabelValues(ep.merchant, ep.name, kind(k)),
				latency:    a.latency.WithLabelValues(ep.merchant, ep.name, kind(k)),
			}
		}
		s.endpoints[ep] = es
	}
	return s
}

// endpoint returns the children of a configured endpoint, else nil.
func (s *series) endpoint(merchant, name string) *endpointSeries {
	return s.endpoints[endpointKey{merchant, name}]
}

// kind returns the children of a configured endpoint for a kind it
// receives, else nil.
func (s *series) kind(merchant, name string, k signer.Kind) *kindSeries {
	es := s.endpoint(merchant, name)
	if es == nil || k > signer.KindIPN {
		return nil
	}
	return es.kinds[k]
}

// built returns the built counter of a configured merchant and a known
// kind, else nil.
func (s *series) built(merchant string, k signer.Kind) prometheus.Counter {
	ms := s.merchants[merchant]
	if ms == nil || k > signer.KindIPN {
		return nil
	}
	return ms.built[k]
}
