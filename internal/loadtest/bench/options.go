// Package bench measures the gateway end to end on one machine: a broker,
// the gateway and verifying merchant endpoints run as separate processes,
// a producer publishes events, and every notification is tracked from its
// event's publication to its verified receipt. In the same run a bare
// signing sender against the same endpoints measures the machine's
// ceiling, so the gateway's throughput can be stated as a ratio of it.
package bench

import (
	"errors"
	"io"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// Options configures Run. Zero values take the defaults given.
type Options struct {
	// Events is the number of events; default 100000.
	Events int
	// Rate is events per second; 0 publishes flat out.
	Rate float64
	// HalfRate adds a second run at half the delivered rate of the first
	// (the latency run).
	HalfRate bool
	// CompareAttemptLog adds a flat-out run without the attempt log, so
	// that its cost is measured in the same run.
	CompareAttemptLog bool
	noAttemptLog      bool // this run's gateway writes no attempt log
	// Backlog publishes every event before the gateway starts, so the run
	// measures draining a backlog (and the gateway's memory with it).
	Backlog bool
	// Merchants and Endpoints (per merchant); defaults 4 and 1.
	Merchants, Endpoints int
	// Mix is the share of LCN events; default 1 (use a negative value for
	// none).
	Mix float64
	// ReceiverLatency is each endpoint's processing time per notification.
	ReceiverLatency time.Duration
	// FailureRate is the share of requests the endpoints answer with 503.
	FailureRate float64
	// Partitions is the partition count of every topic; default 8.
	Partitions int
	// Concurrency is the number of requests in flight on the wire: the
	// ceiling sender's goroutines, and for the gateway the per-endpoint
	// bound times the number of endpoints; default 64.
	Concurrency int
	// InFlight is the gateway's bound on records in process; default 256.
	InFlight int
	// CeilingDuration is how long the ceiling is measured; default 10s,
	// negative skips it.
	CeilingDuration time.Duration
	// Timeout bounds waiting for every notification; default 60s plus 1s
	// per 1000 events.
	Timeout time.Duration
	// QuietWait is how long to wait before each measurement for the
	// machine to be quiet: other processes below QuietCores (0: no wait).
	QuietWait time.Duration
	// RetentionBytes bounds the broker's partitions (0: unbounded).
	RetentionBytes int64
	// BrokerProcs, when positive, is the broker's GOMAXPROCS (0: Go's
	// default, every core).
	BrokerProcs int
	// KafkaTLS runs the broker TLS only and every client over TLS.
	KafkaTLS bool
	// UseServe runs the gateway as "lcngw serve" (production retry tiers).
	UseServe bool
	// CPUProfile, when set, is where the gateway writes a CPU profile of
	// the first run.
	CPUProfile string
	// Trace, when set, is where the gateway writes an execution trace of
	// the first run.
	Trace string
	// Launcher starts the children; the zero value runs this executable.
	Launcher loadtest.Launcher
	// Dir keeps the run's files there; default a temporary directory.
	Dir string
	// Progress receives progress lines (nil: none).
	Progress io.Writer
	// Command is the command line, recorded in the report.
	Command string
}

func (o Options) withDefaults() (Options, error) {
	def := func(n *int, v int) {
		if *n == 0 {
			*n = v
		}
	}
	def(&o.Events, 100_000)
	def(&o.Merchants, 4)
	def(&o.Endpoints, 1)
	def(&o.Partitions, 8)
	def(&o.Concurrency, 64)
	def(&o.InFlight, 256)
	switch {
	case o.Mix == 0:
		o.Mix = 1
	case o.Mix < 0:
		o.Mix = 0
	}
	if o.CeilingDuration == 0 {
		o.CeilingDuration = 10 * time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = time.Minute + time.Duration(o.Events)*time.Millisecond
	}
	if o.Events < 1 || o.Merchants < 1 || o.Endpoints < 1 || o.Partitions < 1 || o.Concurrency < 1 || o.InFlight < 1 {
		return o, errors.New("bench: events, merchants, endpoints, partitions, concurrency and in-flight must be positive")
	}
	if o.Rate < 0 || o.Mix > 1 || o.FailureRate < 0 || o.FailureRate >= 1 || o.ReceiverLatency < 0 || o.BrokerProcs < 0 {
		return o, errors.New("bench: rate and broker procs must not be negative, mix at most 1, failure rate in [0, 1), latency not negative")
	}
	return o, nil
}

// settings returns the gateway settings of a run.
func (o Options) settings() loadtest.GatewaySettings {
	g := loadtest.DefaultGateway()
	g.MaxInFlight = o.InFlight
	g.NoAttemptLog = o.noAttemptLog
	total := o.Merchants * o.Endpoints
	g.MaxConcurrency = min(max((o.Concurrency+total-1)/total, 1), o.InFlight)
	g.Timeout = max(5*time.Second, 2*o.ReceiverLatency)
	return g
}

// topology returns the merchants and endpoints of a run.
func (o Options) topology() (*loadtest.Topology, error) {
	t, err := loadtest.NewTopology(o.Merchants, o.Endpoints)
	if err != nil {
		return nil, err
	}
	for m := range t.Merchants {
		for e := range t.Merchants[m].Endpoints {
			ep := &t.Merchants[m].Endpoints[e]
			ep.Latency = o.ReceiverLatency
			ep.Faults.Status5xx = o.FailureRate
		}
	}
	return t, nil
}
