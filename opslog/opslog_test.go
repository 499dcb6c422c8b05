package opslog_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/opslog"
)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestThrottleCountsWhatItLeavesOut(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	th := opslog.NewThrottle(time.Minute, 0, c.Now)
	type step struct {
		advance    time.Duration
		key        string
		ok         bool
		suppressed int
	}
	for i, s := range []step{
		{0, "a", true, 0},
		{time.Second, "a", false, 0},
		{time.Second, "a", false, 0},
		{0, "b", true, 0}, // another endpoint has its own window
		{time.Minute, "a", true, 2},
		{time.Second, "a", false, 0},
		{time.Minute, "a", true, 1},
		{time.Minute, "a", true, 0},
	} {
		c.now = c.now.Add(s.advance)
		ok, n := th.Allow(s.key)
		if ok != s.ok || n != s.suppressed {
			t.Errorf("step %d (%s): Allow = %v, %d; want %v, %d", i, s.key, ok, n, s.ok, s.suppressed)
		}
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	th := opslog.NewThrottle(time.Minute, 3, c.Now)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		if ok, _ := th.Allow(k); !ok {
			t.Errorf("first line of %s left out", k)
		}
	}
	// "a" was forgotten to make room: its next line goes through.
	if ok, _ := th.Allow("a"); !ok {
		t.Error("a forgotten key's line was left out")
	}
}

func TestSummaryLogsEachIntervalsCounts(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	var s opslog.Summary
	for range 3 {
		s.Delivered()
	}
	s.Retried()
	s.DeadLettered()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Run logs once more when it ends: that is the line checked
	s.Run(ctx, log, time.Hour)
	line := buf.String()
	for _, want := range []string{"msg=summary", "delivered=3", "retried=1", "dead_lettered=1", "invalid=0"} {
		if !strings.Contains(line, want) {
			t.Errorf("summary %q lacks %s", line, want)
		}
	}
	if got := s.Take(); got != (opslog.Counts{}) {
		t.Errorf("counts after the summary = %+v, want zero", got)
	}
	buf.Reset()
	s.Run(ctx, log, time.Hour)
	if buf.Len() != 0 {
		t.Errorf("an empty interval was logged: %q", buf.String())
	}
}
