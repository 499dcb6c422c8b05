package gateway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
)

// TestReady: not ready before Run, ready once both lanes joined their
// groups, not ready after the broker is gone.
func TestReady(t *testing.T) {
	e := newEnv(t)
	opts := e.options(merchants(), sender())
	gw, err := gateway.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	err = gw.Ready(t.Context())
	if err == nil || !strings.Contains(err.Error(), "source lane has not joined") || !strings.Contains(err.Error(), "retry lane has not joined") {
		t.Fatalf("before Run: Ready = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	kafkatest.Eventually(t, 20*time.Second, "gateway never became ready", func() bool {
		return gw.Ready(t.Context()) == nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := gw.Ready(t.Context()); err == nil {
		t.Fatal("ready after Run returned")
	}
}
