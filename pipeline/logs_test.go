package pipeline_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// TestFailedAttemptLinesThrottled: an endpoint failing many notifications
// in a row gives one info line a minute, which counts the lines left out
// (they stay at debug); another endpoint has its own line.
func TestFailedAttemptLinesThrottled(t *testing.T) {
	var buf bytes.Buffer
	m := &pipeline.Merchant{VendorCode: vendor, Key: key,
		Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds), endpoint("other", config.BothKinds)}}
	clk := &clock{now: t0}
	p, err := pipeline.New(pipeline.Options{
		Merchants: pipeline.MerchantMap{vendor: m}, Sender: answer(fail5xx), Clock: clk,
		Policy: delivery.Policy{Schedule: fastSchedule},
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		t.Fatal(err)
	}
	event := example(t, signer.KindLCN, "licence-change")
	for i := range 5 {
		p.Process(t.Context(), pipeline.Record{Kind: signer.KindLCN, Key: []byte(fmt.Sprint(i)), Value: event})
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 { // one for main, one for other
		t.Fatalf("%d info lines for 10 failed attempts, want 2:\n%s", len(lines), buf.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, "similar_lines_left_out=0") {
			t.Errorf("first line of an endpoint: %s", l)
		}
	}
	// A minute later, the next failure is logged with the count of the
	// four left out at each endpoint.
	buf.Reset()
	clk.now = clk.now.Add(time.Minute)
	p.Process(t.Context(), pipeline.Record{Kind: signer.KindLCN, Key: []byte("late"), Value: event})
	lines = strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "similar_lines_left_out=4") || !strings.Contains(lines[1], "similar_lines_left_out=4") {
		t.Errorf("a minute later:\n%s", buf.String())
	}
}

// TestUnknownMerchantNamesVendor: the rejection of an event for an
// unknown merchant carries the event's vendor code.
func TestUnknownMerchantNamesVendor(t *testing.T) {
	p := newPipeline(t, pipeline.MerchantMap{}, answer(ok), nil)
	d := p.Process(t.Context(), pipeline.Record{Kind: signer.KindLCN, Value: example(t, signer.KindLCN, "licence-change")})
	if d.Verdict != pipeline.Dead || d.Reason != string(param.ReasonUnknownVendor) || d.Merchant != vendor {
		t.Errorf("disposition %+v, want dead as unknown_merchant naming %s", d, vendor)
	}
}
