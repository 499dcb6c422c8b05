package dev

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// result is how a component's run ended.
type result struct {
	name string
	err  error
}

// publisherName names the component that publishes the sample events.
const publisherName = "sample publisher"

// goRun runs a component in the background; how it ended is reported on
// s.errs.
func (s *session) goRun(name string, run func() error) {
	s.running++
	go func() {
		err := run()
		if err != nil {
			err = fmt.Errorf("dev: %s: %w", name, err)
		}
		s.errs <- result{name, err}
	}()
}

// publish writes the sample events, one every Interval.
func (s *session) publish(ctx context.Context) error {
	w := &kafka.Writer{Addr: kafka.TCP(s.broker), Balancer: &kafka.Hash{}, RequiredAcks: kafka.RequireAll,
		BatchTimeout: 2 * time.Millisecond}
	defer w.Close()
	smp := newSampler(fmt.Sprintf("dev-%d", time.Now().UnixNano()))
	for i := 0; s.opts.Events == 0 || i < s.opts.Events; i++ {
		msg, sample, err := smp.next()
		if err != nil {
			return err
		}
		s.narr.expect(sample)
		// Told before the write returns: the notification may be
		// delivered before WriteMessages does.
		s.narr.published(sample)
		if err := w.WriteMessages(ctx, msg); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("publish: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.opts.Interval):
		}
	}
	return nil
}

// wait runs until ctx ends, a component fails, or (ExitWhenDelivered)
// every sample is delivered or Timeout passes, then stops everything.
func (s *session) wait(ctx context.Context) error {
	var timeout <-chan time.Time
	if s.opts.ExitWhenDelivered {
		timeout = time.After(s.opts.Timeout)
	}
	for {
		select {
		case <-ctx.Done():
			return s.stop(nil)
		case <-s.narr.done:
			s.narr.say("done       all %d notifications delivered with verified receipts", s.opts.Events)
			return s.stop(nil)
		case <-timeout:
			return s.stop(fmt.Errorf("dev: only %d of %d notifications delivered within %v",
				s.narr.deliveredCount(), s.opts.Events, s.opts.Timeout))
		case r := <-s.errs:
			s.running--
			switch {
			case r.err != nil:
				return s.stop(r.err)
			case r.name != publisherName:
				return s.stop(fmt.Errorf("dev: %s stopped unexpectedly", r.name))
			}
			// The publisher has published every sample event.
		}
	}
}

// stop cancels every component, waits for them and joins their errors.
func (s *session) stop(cause error) error {
	s.cancel()
	errs := []error{cause}
	for ; s.running > 0; s.running-- {
		select {
		case r := <-s.errs:
			errs = append(errs, r.err)
		case <-time.After(30 * time.Second):
			return errors.Join(append(errs, errors.New("dev: components did not stop within 30s"))...)
		}
	}
	return errors.Join(errs...)
}

// close runs the cleanups, last first.
func (s *session) close() {
	if s.cancel != nil {
		s.cancel()
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		s.stack[i]()
	}
}
