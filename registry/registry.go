package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
)

// DefaultMaxWait bounds how long the registry's fetches wait for new
// records, and so how late a change is seen after it is written.
const DefaultMaxWait = 200 * time.Millisecond

// Options configures a Registry. Brokers, Topic and Keys are required.
type Options struct {
	// Brokers lists bootstrap brokers as host:port.
	Brokers []string
	// Topic is the compacted registry topic.
	Topic string
	// Keys seal and open merchants' secrets.
	Keys *Keyring
	// Dialer connects the readers; nil is kafka-go's default (plaintext).
	Dialer *kafka.Dialer
	// Transport connects the writer and the metadata client; nil is
	// kafka-go's default (plaintext).
	Transport kafka.RoundTripper
	// MaxWait bounds a fetch's wait for new records; default
	// DefaultMaxWait.
	MaxWait time.Duration
	// OnChange, when set, is called with every applied record: the new
	// entry, or nil when the merchant was deleted (or its record cannot be
	// read). Records are applied on several goroutines, those of one
	// vendor code in order on the same one; OnChange must be safe for
	// concurrent use and must not block.
	OnChange func(vendor string, e *Entry)
	// Logger receives unreadable records; default discards.
	Logger *slog.Logger
	// Now is the clock of Updated; default time.Now.
	Now func() time.Time
}

// Registry is the merchant registry: a compacted Kafka topic keyed by
// vendor code, read to its end by Run and followed after, with writes that
// seal secrets. It is safe for concurrent use.
type Registry struct {
	opts       Options
	log        *slog.Logger
	table      *table
	loaded     chan struct{}
	loadedOnce sync.Once
	writer     *kafka.Writer
	writeMu    sync.Mutex // one read-modify-write at a time in this process

	changeMu sync.Mutex
	changed  chan struct{} // closed and replaced on every applied record
}

// New returns a Registry; call Run to read the topic.
func New(opts Options) (*Registry, error) {
	switch {
	case len(opts.Brokers) == 0:
		return nil, errors.New("registry: no brokers")
	case opts.Topic == "":
		return nil, errors.New("registry: no topic")
	case opts.Keys == nil:
		return nil, errors.New("registry: no keyring")
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = DefaultMaxWait
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Registry{
		opts: opts, log: opts.Logger, table: newTable(),
		loaded: make(chan struct{}), changed: make(chan struct{}),
		writer: &kafka.Writer{
			Addr: kafka.TCP(opts.Brokers...), Topic: opts.Topic, Transport: opts.Transport,
			Balancer: &kafka.Murmur2Balancer{}, RequiredAcks: kafka.RequireAll,
			BatchTimeout: 2 * time.Millisecond, BatchSize: 1000, MaxAttempts: 5,
		},
	}
	return r, nil
}

// Run reads the topic to its end, then follows it until ctx ends. It
// returns nil when ctx ends, or the error that stopped reading.
func (r *Registry) Run(ctx context.Context) error {
	return r.follow(ctx)
}

// Close releases the writer.
func (r *Registry) Close() error { return r.writer.Close() }

// Loaded is closed once the records the topic held when Run started are
// applied.
func (r *Registry) Loaded() <-chan struct{} { return r.loaded }

// Ready returns nil once the registry is loaded: an admin readiness check.
func (r *Registry) Ready(context.Context) error {
	select {
	case <-r.loaded:
		return nil
	default:
		return errors.New("merchant registry still loading")
	}
}

// WaitLoaded blocks until the registry is loaded or ctx ends.
func (r *Registry) WaitLoaded(ctx context.Context) error {
	select {
	case <-r.loaded:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("registry %s: still loading: %w", r.opts.Topic, context.Cause(ctx))
	}
}

// Len returns the number of merchants.
func (r *Registry) Len() int { return r.table.len() }

// Lookup returns the entry of the merchant vendor.
func (r *Registry) Lookup(vendor string) (*Entry, bool) { return r.table.get(vendor) }

// Merchant returns the merchant vendor, secret included.
func (r *Registry) Merchant(vendor string) (*config.Merchant, bool) {
	e, ok := r.table.get(vendor)
	if !ok {
		return nil, false
	}
	return &e.Merchant, true
}

// Paused reports whether the merchant's endpoint is paused.
func (r *Registry) Paused(vendor, endpoint string) bool {
	e, ok := r.table.get(vendor)
	return ok && e.IsPaused(endpoint)
}

// List returns up to limit entries in vendor-code order whose code starts
// with prefix and sorts after after (exclusive; "" starts at the first),
// and whether more follow.
func (r *Registry) List(prefix, after string, limit int) ([]*Entry, bool) {
	return r.table.list(prefix, after, limit)
}

// notify wakes the waiters of a change.
func (r *Registry) notify() {
	r.changeMu.Lock()
	close(r.changed)
	r.changed = make(chan struct{})
	r.changeMu.Unlock()
}

// waitFor blocks until applied(entry of vendor) holds, or ctx ends.
func (r *Registry) waitFor(ctx context.Context, vendor string, applied func(*Entry, bool) bool) error {
	for {
		r.changeMu.Lock()
		ch := r.changed
		r.changeMu.Unlock()
		if e, ok := r.table.get(vendor); applied(e, ok) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("registry %s: change of %s written but not read back yet: %w", r.opts.Topic, vendor, context.Cause(ctx))
		}
	}
}
