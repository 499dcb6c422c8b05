package receiver

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/signer"
)

// Outcome describes one POST the middleware handled.
type Outcome struct {
	// Kind is the notification kind (signer.KindUnknown when the body
	// could not be read).
	Kind signer.Kind
	// Algorithm is the strongest signature algorithm present in the body
	// (0 when none was).
	Algorithm signer.Algorithm
	// Result is the verification result.
	Result Result
	// Duplicate reports a retry acknowledged (or passed on) as such.
	Duplicate bool
	// Duration is the time spent in the middleware, the application's
	// handler included.
	Duration time.Duration
}

// Observer receives the outcome of every POST. It is called on the request
// goroutine and must be safe for concurrent use.
type Observer interface {
	Observe(Outcome)
}

// Metrics is an Observer exporting Prometheus metrics:
//
//	lcngw_receiver_verifications_total{kind,algorithm,result}
//	lcngw_receiver_duplicates_total{kind}
//	lcngw_receiver_request_duration_seconds
//
// kind is lcn, ipn or unknown; algorithm is md5, sha256, sha3-256 or none;
// result is one of the Result labels.
type Metrics struct {
	verifications *prometheus.CounterVec
	duplicates    *prometheus.CounterVec
	duration      prometheus.Histogram

	// children bound on first use, so Observe allocates nothing after
	byOutcome [3][4][len(resultNames)]atomic.Pointer[child]
	dupByKind [3]prometheus.Counter
}

type child struct{ prometheus.Counter }

var (
	metricKinds = [3]signer.Kind{signer.KindUnknown, signer.KindLCN, signer.KindIPN}
	metricAlgs  = [4]string{"none", "md5", "sha256", "sha3-256"} // indexed by signer.Algorithm
)

// NewMetrics registers the receiver metrics on reg and pre-initialises the
// label sets a healthy endpoint reports, so rates exist from the first
// scrape.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_receiver_verifications_total",
			Help: "Notifications received, by kind, strongest signature algorithm present, and verification result.",
		}, []string{"kind", "algorithm", "result"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lcngw_receiver_duplicates_total",
			Help: "Verified notifications recognised as retries of ones already handled.",
		}, []string{"kind"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:                        "lcngw_receiver_request_duration_seconds",
			Help:                        "Time spent handling a notification POST, application handler included.",
			Buckets:                     prometheus.ExponentialBuckets(0.0001, 4, 9),
			NativeHistogramBucketFactor: 1.1,
		}),
	}
	for _, c := range []prometheus.Collector{m.verifications, m.duplicates, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("receiver metrics: %w", err)
		}
	}
	m.resolve()
	return m, nil
}

// resolve initialises the expected label sets.
func (m *Metrics) resolve() {
	for _, kind := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
		m.dupByKind[kind] = m.duplicates.WithLabelValues(kind.String())
	}
	for _, kind := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
		for _, a := range []signer.Algorithm{signer.SHA256, signer.SHA3256} {
			m.counter(kind, a, ResultValid)
			m.counter(kind, a, ResultInvalid)
		}
		m.counter(kind, signer.MD5, ResultDowngraded)
		m.counter(kind, 0, ResultMissing)
	}
	m.counter(signer.KindUnknown, 0, ResultMalformed)
	m.counter(signer.KindUnknown, 0, ResultTooLarge)
}

// counter returns (creating on first use) the child for one combination.
func (m *Metrics) counter(kind signer.Kind, a signer.Algorithm, r Result) prometheus.Counter {
	ki, ai := int(kind), int(a)
	if ki >= len(metricKinds) {
		ki = 0
	}
	if ai >= len(metricAlgs) {
		ai = 0
	}
	if int(r) >= len(resultNames) {
		r = ResultMalformed
	}
	slot := &m.byOutcome[ki][ai][r]
	if c := slot.Load(); c != nil {
		return c.Counter
	}
	c := &child{m.verifications.WithLabelValues(metricKinds[ki].String(), metricAlgs[ai], r.String())}
	slot.CompareAndSwap(nil, c) // a racing first use binds the same child
	return c.Counter
}

// Observe implements Observer.
func (m *Metrics) Observe(o Outcome) {
	m.counter(o.Kind, o.Algorithm, o.Result).Inc()
	if o.Duplicate && int(o.Kind) < len(m.dupByKind) && m.dupByKind[o.Kind] != nil {
		m.dupByKind[o.Kind].Inc()
	}
	m.duration.Observe(o.Duration.Seconds())
}
