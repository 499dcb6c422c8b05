package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// cleanups is a stack of named shutdown steps, run last-pushed first.
type cleanups []cleanup

type cleanup struct {
	name string
	fn   func() error
}

func (s *cleanups) push(name string, fn func() error) { *s = append(*s, cleanup{name, fn}) }

// lateGrace is what a step gets once the deadline has passed: enough for
// a close that has nothing to wait for.
const lateGrace = 50 * time.Millisecond

// run runs every step in reverse order within timeout in all, logs each
// failing step by name and returns cause joined with their errors. A step
// still running at the deadline is reported and abandoned, and the steps
// after it get lateGrace each.
func (s cleanups) run(log *slog.Logger, timeout time.Duration, cause error) error {
	errs := []error{cause}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	expired := false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		done := make(chan error, 1)
		go func() { done <- c.fn() }()
		var err error
		if expired {
			select {
			case err = <-done:
			case <-time.After(lateGrace):
				err = fmt.Errorf("did not finish within %v", timeout)
			}
		} else {
			select {
			case err = <-done:
			case <-deadline.C:
				expired = true
				err = fmt.Errorf("did not finish within %v", timeout)
			}
		}
		if err != nil {
			log.Warn("shutdown step failed", "step", c.name, "err", err)
			errs = append(errs, fmt.Errorf("close %s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}
