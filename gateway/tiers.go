package gateway

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// DefaultTierDelays returns the delays of the retry tiers: one topic each,
// named after the retry topic (lcngw.retry.1m, lcngw.retry.5m, ...).
func DefaultTierDelays() []time.Duration {
	return []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}
}

// Tier is one retry topic whose records all wait the same Delay after they
// were written. Because every record of a tier waits equally long, the
// order a partition holds them in is the order they become ready, and a
// consumer only ever waits for the record at the head.
type Tier struct {
	Delay time.Duration
	Topic string
}

// Tiers are the retry tiers, shortest delay first.
type Tiers []Tier

// NewTiers returns the tiers for the given delays, named base + "." + the
// delay ("lcngw.retry.15m"). Delays must be positive and distinct.
func NewTiers(base string, delays []time.Duration) (Tiers, error) {
	if len(delays) == 0 {
		return nil, errors.New("retry tiers: at least one delay is required")
	}
	sorted := slices.Clone(delays)
	slices.Sort(sorted)
	ts := make(Tiers, 0, len(sorted))
	for i, d := range sorted {
		if d <= 0 {
			return nil, fmt.Errorf("retry tiers: delay %v must be positive", d)
		}
		if i > 0 && d == sorted[i-1] {
			return nil, fmt.Errorf("retry tiers: delay %v listed twice", d)
		}
		ts = append(ts, Tier{Delay: d, Topic: base + "." + delayLabel(d)})
	}
	return ts, nil
}

// delayLabel renders d as its largest whole unit: 1h, 15m, 30s, 250ms.
func delayLabel(d time.Duration) string {
	units := []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}}
	for _, u := range units {
		if d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}

// Topics returns the tier topic names, shortest delay first.
func (ts Tiers) Topics() []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Topic
	}
	return out
}

// ByTopic returns the tier whose topic is topic.
func (ts Tiers) ByTopic(topic string) (Tier, bool) {
	for _, t := range ts {
		if t.Topic == topic {
			return t, true
		}
	}
	return Tier{}, false
}

// For returns the tier for a record due in remaining: the longest delay
// that does not exceed it, so a record is never attempted early, or the
// shortest tier when remaining is shorter than every delay (the record is
// then at most that delay late).
func (ts Tiers) For(remaining time.Duration) Tier {
	best := ts[0]
	for _, t := range ts[1:] {
		if t.Delay <= remaining {
			best = t
		}
	}
	return best
}

// step is what a tier consumer does with the record at the head of its
// partition.
type step uint8

const (
	stepWait    step = iota + 1 // not ready: wait, then decide again
	stepAttempt                 // due: attempt delivery
	stepReroute                 // ready but due much later: move to a shorter-or-equal tier
)

// decide tells what to do at now with a record written to tier t at
// enqueued and due at due. A record becomes ready Delay after it was
// written; a ready record that is due within the shortest delay waits in
// place until due (holding the partition's head at most that long), one
// due later moves to the tier for the remaining time.
func (ts Tiers) decide(t Tier, enqueued, due, now time.Time) (step, time.Duration, Tier) {
	if ready := enqueued.Add(t.Delay); now.Before(ready) {
		return stepWait, ready.Sub(now), t
	}
	remaining := due.Sub(now)
	switch {
	case remaining <= 0:
		return stepAttempt, 0, t
	case remaining <= ts[0].Delay:
		return stepWait, remaining, t
	}
	return stepReroute, 0, ts.For(remaining)
}
