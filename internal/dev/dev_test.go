package dev_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/dev"
	"github.com/lcngw/lcngw/internal/fixture"
)

// syncBuffer collects concurrent log writes.
type syncBuffer = fixture.SyncBuffer

// TestRunDeliversSamples runs the whole dev pipeline with a flaky sample
// endpoint: every one of 50 sample notifications must be delivered with a
// verified receipt, some of them after a retry.
func TestRunDeliversSamples(t *testing.T) {
	var out syncBuffer
	start := time.Now()
	err := dev.Run(context.Background(), dev.Options{
		Events: 50, Interval: 5 * time.Millisecond, Flaky: 0.3, ExitWhenDelivered: true,
		Timeout: 90 * time.Second, Out: &out,
	})
	text := out.String()
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, text)
	}
	t.Logf("50 samples delivered in %v", time.Since(start))
	for _, want := range []string{"in-process broker on 127.0.0.1:", "kcat -b", "published  LCN", "published  IPN",
		"delivered  LCN", "delivered  IPN", "retrying", "all 50 notifications delivered"} {
		if !strings.Contains(text, want) {
			t.Errorf("narration lacks %q", want)
		}
	}
	if n := strings.Count(text, "published  "); n != 50 {
		t.Errorf("%d events published, want 50", n)
	}
}

func TestRunRejectsOptions(t *testing.T) {
	for _, o := range []dev.Options{{Events: -1}, {Flaky: 1.5}, {ExitWhenDelivered: true}} {
		if err := dev.Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}
