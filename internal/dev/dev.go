// Package dev runs the whole pipeline on one machine with nothing
// installed: an in-process Kafka cluster, the gateway, the reference
// merchant endpoint and a trickle of sample events, telling in plain
// language what happens to each notification.
package dev

import (
	"context"
	"errors"
	"io"
	"os"
	"time"
)

// Options configures Run. Zero values take the defaults.
type Options struct {
	// KafkaPort is the port of the in-process Kafka cluster on 127.0.0.1;
	// 0 picks a free one. Its address is printed.
	KafkaPort int
	// Partitions is the number of partitions of every topic; default 3.
	Partitions int
	// EndpointListen is the sample endpoint's address; default
	// 127.0.0.1:0 (a free port).
	EndpointListen string
	// AdminListen, when set, serves /metrics, /livez and /readyz there.
	AdminListen string
	// Events is the number of sample events to publish; 0 publishes one
	// every Interval until ctx ends.
	Events int
	// Interval is the pause between sample events; default 1s, or 100ms
	// when Events is set.
	Interval time.Duration
	// Flaky is the share of requests the sample endpoint fails (0 to 1),
	// so that retries can be watched.
	Flaky float64
	// ExitWhenDelivered makes Run return nil once every sample event's
	// notification has a verified receipt, or an error after Timeout.
	ExitWhenDelivered bool
	// Timeout bounds ExitWhenDelivered; default 2m.
	Timeout time.Duration
	// Out receives the narration; default os.Stdout.
	Out io.Writer
	// ConsoleListen, when set, writes the attempt log and serves the web
	// console there; its URL is printed.
	ConsoleListen string
	// AdminToken is the console's login token; default
	// $LCNGW_ADMIN_TOKEN, or a random one that is printed.
	AdminToken string
	// Verbose adds the gateway's debug logs to the narration.
	Verbose bool
}

func (o Options) withDefaults() (Options, error) {
	if o.Events < 0 || o.Flaky < 0 || o.Flaky > 1 {
		return o, errors.New("dev: events must not be negative and flaky must be between 0 and 1")
	}
	if o.ExitWhenDelivered && o.Events == 0 {
		return o, errors.New("dev: exit when delivered needs a number of events")
	}
	if o.Partitions <= 0 {
		o.Partitions = 3
	}
	if o.EndpointListen == "" {
		o.EndpointListen = "127.0.0.1:0"
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
		if o.Events > 0 {
			o.Interval = 100 * time.Millisecond
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	return o, nil
}

// Run starts everything, publishes the sample events and runs until ctx
// ends (or, with ExitWhenDelivered, until every sample is delivered), then
// stops everything in reverse order.
func Run(ctx context.Context, opts Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	s := &session{opts: o, narr: newNarrator(o.Out, o.Events)}
	if !o.ExitWhenDelivered {
		s.narr.want = 0
	}
	defer s.close()
	if err := s.start(ctx); err != nil {
		return err
	}
	return s.wait(ctx)
}
