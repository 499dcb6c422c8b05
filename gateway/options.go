package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/pipeline"
)

// Options configures a Gateway. Zero values take the documented defaults;
// Brokers, Topics, Merchants and Sender are required.
type Options struct {
	// Brokers lists bootstrap brokers as host:port.
	Brokers []string
	// ClientID identifies the gateway to the brokers; default "lcngw".
	ClientID string
	// GroupID is the consumer group of the source topics; default "lcngw".
	// The retry tiers are consumed by the group GroupID + ".retry", so
	// retries and first attempts never wait for each other's rebalances.
	GroupID string
	// StartOffset is where the source group starts on a partition with no
	// committed offset: kafka.FirstOffset (default) or kafka.LastOffset.
	// The retry group always starts at the first offset.
	StartOffset int64
	// Topics names the source, retry and dead-letter topics. The retry
	// topic name is the prefix of the tier topics (see TierDelays).
	Topics config.Topics
	// TierDelays are the retry tiers' delays; default DefaultTierDelays().
	TierDelays []time.Duration

	// MaxWait bounds a fetch's wait for data; default 250ms.
	MaxWait time.Duration
	// MinBytes and MaxBytes bound a fetch; defaults 1 and 1 MiB.
	MinBytes, MaxBytes int
	// HeartbeatInterval, SessionTimeout and RebalanceTimeout tune group
	// membership; defaults 500ms, 10s and 30s.
	HeartbeatInterval, SessionTimeout, RebalanceTimeout time.Duration
	// BatchTimeout bounds how long a retry or dead-letter write waits for a
	// batch to fill; default 5ms.
	BatchTimeout time.Duration

	// MaxInFlight bounds the source records being processed at once;
	// default 256. RetryMaxInFlight does the same for retry records;
	// default 64.
	MaxInFlight, RetryMaxInFlight int
	// CommitInterval is how often finished offsets are committed; default 1s.
	CommitInterval time.Duration
	// ShutdownTimeout bounds a whole stop, and the hand-over of revoked
	// partitions: in-flight deliveries get half of it to finish, then are
	// cancelled and handed to the retry tiers without counting the
	// interrupted attempt (a quarter), then offsets are committed and, at
	// a stop, clients closed in what is left. Default 8s.
	ShutdownTimeout time.Duration
	// ProduceTimeout bounds one write to the retry or dead-letter topic
	// (failed writes are retried until the work is abandoned); default 10s.
	ProduceTimeout time.Duration
	// MaxRetryAfter caps the delay an endpoint may ask for with
	// Retry-After; default 1h.
	MaxRetryAfter time.Duration

	// Merchants finds the merchant of each record when it is processed.
	Merchants pipeline.Merchants
	// Sender makes the quick delivery attempts of one scheduled attempt.
	// It must not keep the request, or its body, after Send returns: the
	// pipeline reuses the buffers of delivered bodies.
	Sender delivery.Sender
	// DefaultRetry is the schedule of merchants without one; default
	// delivery.TwoCheckout().
	DefaultRetry delivery.Schedule
	// Recorder, when set, is told about every delivery attempt.
	Recorder pipeline.AttemptRecorder
	// Dialer opens the connections of consumer groups, partition readers
	// and readiness checks; Transport carries the requests of writers and
	// admin clients. Every Kafka connection of the gateway goes through
	// one of them (TLS, SASL); defaults plain TCP with ClientID.
	Dialer    *kafka.Dialer
	Transport kafka.RoundTripper
	// Clock tells the time; default the system clock.
	Clock Clock
	// Logger receives the gateway's logs; default a discarding logger.
	Logger *slog.Logger
	// Observer is told about attempts, retries, dead letters and skipped
	// events, for narration; default none.
	Observer Observer
	// Metrics count the gateway's records, dead letters, retries and
	// consumer lanes, PipelineMetrics its events and attempts (see
	// Instrument); default none.
	Metrics         *Metrics
	PipelineMetrics *pipeline.Metrics
}

// withDefaults returns o with every zero setting defaulted.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	defInt := func(n *int, v int) {
		if *n == 0 {
			*n = v
		}
	}
	if o.ClientID == "" {
		o.ClientID = "lcngw"
	}
	if o.GroupID == "" {
		o.GroupID = "lcngw"
	}
	if o.StartOffset == 0 {
		o.StartOffset = kafka.FirstOffset
	}
	if len(o.TierDelays) == 0 {
		o.TierDelays = DefaultTierDelays()
	}
	def(&o.MaxWait, 250*time.Millisecond)
	defInt(&o.MinBytes, 1)
	defInt(&o.MaxBytes, 1<<20)
	def(&o.HeartbeatInterval, 500*time.Millisecond)
	def(&o.SessionTimeout, 10*time.Second)
	def(&o.RebalanceTimeout, 30*time.Second)
	def(&o.BatchTimeout, 5*time.Millisecond)
	defInt(&o.MaxInFlight, 256)
	defInt(&o.RetryMaxInFlight, 64)
	def(&o.CommitInterval, time.Second)
	def(&o.ShutdownTimeout, 8*time.Second)
	def(&o.ProduceTimeout, 10*time.Second)
	def(&o.MaxRetryAfter, time.Hour)
	if len(o.DefaultRetry.Offsets) == 0 && o.DefaultRetry.Every == 0 {
		o.DefaultRetry = delivery.TwoCheckout()
	}
	if o.Dialer == nil {
		o.Dialer = &kafka.Dialer{ClientID: o.ClientID, Timeout: 10 * time.Second, DualStack: true}
	}
	if o.Transport == nil {
		o.Transport = &kafka.Transport{ClientID: o.ClientID}
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	return o
}

// validate reports every missing or inconsistent setting.
func (o *Options) validate() error {
	var errs []error
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	check(len(o.Brokers) > 0, "brokers: at least one is required")
	t := o.Topics
	check(t.LCN != "" && t.IPN != "" && t.Retry != "" && t.DeadLetter != "", "topics: lcn, ipn, retry and dead_letter are required")
	check(o.Merchants != nil, "merchants: a merchant lookup is required")
	check(o.Sender != nil, "sender: a delivery sender is required")
	check(o.StartOffset == kafka.FirstOffset || o.StartOffset == kafka.LastOffset, "start offset: must be kafka.FirstOffset or kafka.LastOffset")
	check(o.MaxInFlight > 0 && o.RetryMaxInFlight > 0, "max in flight: must be positive")
	check(o.ShutdownTimeout > 0 && o.handoffEnd() < o.RebalanceTimeout,
		"shutdown timeout: must be positive, and its drain and hand-off (three quarters) shorter than the rebalance timeout")
	check(o.HeartbeatInterval < o.SessionTimeout, "heartbeat interval: must be shorter than the session timeout")
	if len(errs) > 0 {
		return fmt.Errorf("gateway options: %w", errors.Join(errs...))
	}
	return nil
}

// drainEnd is how long after a stop in-flight deliveries may finish;
// handoffEnd when the hand-off writes of cancelled ones are cancelled.
func (o *Options) drainEnd() time.Duration   { return o.ShutdownTimeout / 2 }
func (o *Options) handoffEnd() time.Duration { return o.ShutdownTimeout * 3 / 4 }

// closeTimeout bounds closing the clients when Run fails to start.
func (o *Options) closeTimeout() time.Duration { return o.ShutdownTimeout / 4 }

// Clock tells the time and waits; tests use a clock they control.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
