package endpoints

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Options configures Run.
type Options struct {
	// Spec lists the endpoints. Required.
	Spec *Spec
	// Out receives the record stream. Required.
	Out io.Writer
	// Lookup reads the secrets' environment variables; default os.LookupEnv.
	Lookup func(string) (string, bool)
	// FlushInterval is how often the stream is flushed; default 10ms. It
	// delays the reports, not the times they carry.
	FlushInterval time.Duration
	// ShutdownTimeout bounds the graceful shutdown of each listener;
	// default 2s.
	ShutdownTimeout time.Duration
}

// Run listens on a free loopback port per endpoint, reports the addresses
// and then every outcome on Out, and serves until ctx ends.
func Run(ctx context.Context, o Options) error {
	if o.Spec == nil || o.Out == nil {
		return errors.New("endpoints: a spec and an output are required")
	}
	if err := o.Spec.Validate(); err != nil {
		return err
	}
	o = o.withDefaults()
	keys, err := o.Spec.secrets(o.Lookup)
	if err != nil {
		return err
	}
	lns, err := listen(len(o.Spec.Endpoints))
	if err != nil {
		return err
	}
	s := NewStream(o.Out)
	for i, ln := range lns {
		s.Emit(Record{Kind: Listening, Endpoint: i, Addr: ln.Addr().String()})
	}
	s.Emit(Record{Kind: Ready})
	if err := s.Flush(); err != nil {
		closeAll(lns)
		return fmt.Errorf("endpoints: report: %w", err)
	}
	return serve(ctx, o, keys, lns, s)
}

func (o Options) withDefaults() Options {
	if o.Lookup == nil {
		o.Lookup = os.LookupEnv
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = 10 * time.Millisecond
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 2 * time.Second
	}
	return o
}

// listen opens n loopback listeners on free ports.
func listen(n int) ([]net.Listener, error) {
	lns := make([]net.Listener, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			closeAll(lns)
			return nil, fmt.Errorf("endpoints: listen: %w", err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
}

// serve runs one app per listener until ctx ends or one fails, then shuts
// every app down and flushes the stream.
func serve(ctx context.Context, o Options, keys [][]byte, lns []net.Listener, s *Stream) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	flushed := make(chan error, 1)
	go func() { flushed <- s.Run(ctx, o.FlushInterval) }()
	apps := make([]*fiber.App, len(lns))
	served := make(chan error, len(lns))
	for i, ln := range lns {
		rng := rand.New(rand.NewPCG(o.Spec.Seed, uint64(i)))
		apps[i] = newApp(&handler{index: i, ep: o.Spec.Endpoints[i], stream: s, rng: rng}, keys[i])
		go func() { served <- apps[i].Listener(ln) }()
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case err := <-served:
		serveErr = fmt.Errorf("endpoints: serve: %w", err)
	}
	cancel()
	var wg sync.WaitGroup
	for _, app := range apps {
		wg.Go(func() { _ = app.ShutdownWithTimeout(o.ShutdownTimeout) })
	}
	wg.Wait()
	return errors.Join(serveErr, <-flushed)
}
