package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/gateway/kafkatest"
)

// serving is "lcngw serve" running in the background, its output in logs.
type serving struct {
	logs   syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// startServe runs "lcngw serve" with args in the background until stop.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s := &serving{cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- Run(ctx, append([]string{"serve"}, args...),
			Stdio{In: strings.NewReader(""), Out: &s.logs, Err: &s.logs})
	}()
	return s
}

// waitFor waits for ready as kafkatest.Eventually does, failing t at once
// when serve exits first.
func (s *serving) waitFor(t *testing.T, timeout time.Duration, msg string, ready func() bool) {
	t.Helper()
	kafkatest.Eventually(t, timeout, msg, func() bool {
		select {
		case code := <-s.done:
			t.Fatalf("serve exited %d early; logs:\n%s", code, s.logs.String())
		default:
		}
		return ready()
	})
}

// stop ends serve and fails t unless it exits 0.
func (s *serving) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	if code := <-s.done; code != 0 {
		t.Fatalf("serve exit %d; logs:\n%s", code, s.logs.String())
	}
}
