package loadtest

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Settled reports whether every good notification was acknowledged or
// dead-lettered and every poison event dead-lettered, by the counts (an
// estimate: Account checks notification by notification).
func (h *Harness) Settled() bool {
	c, d := h.Collector.Counts(), h.Dead.Tally()
	return c.Delivered+d.Delivery >= h.expected && d.Input >= int64(h.Mixed.Poison)
}

// WaitSettled waits until Settled, ctx ends or limit passes.
func (h *Harness) WaitSettled(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for !h.Settled() {
		if time.Now().After(deadline) {
			return fmt.Errorf("loadtest: not settled after %v: %w", limit, errTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// WaitCommitted waits until the gateway's group has committed every
// source record, and returns how long that took.
func (h *Harness) WaitCommitted(ctx context.Context, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	for {
		ok, err := AllCommitted(ctx, h.Conn(), GroupID)
		if ok {
			return time.Since(start), nil
		}
		if time.Since(start) > limit {
			if err == nil {
				err = errTimeout
			}
			return time.Since(start), fmt.Errorf("loadtest: offsets not committed after %v: %w", limit, err)
		}
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Accounting is the outcome of a run, notification by notification.
type Accounting struct {
	// Events counts every event produced, Poison the broken ones.
	Events int `json:"events"`
	Poison int `json:"poison"`
	// Sent counts events the broker acknowledged (a retried write may
	// count some twice); ProducerRetries counts retried writes.
	Sent            int64 `json:"sent"`
	ProducerRetries int64 `json:"producer_retries"`
	// Expected counts the notifications of the good events: one per
	// endpoint of their merchant.
	Expected int64 `json:"expected"`
	// Delivered counts distinct notifications acknowledged with a valid
	// receipt; Duplicates the acknowledgements beyond the first.
	Delivered  int64 `json:"delivered"`
	Duplicates int64 `json:"duplicates"`
	// DeadLettered counts dead-letter records, by "kind/reason" in
	// DeadLetteredBy; DeadDelivery and DeadInput distinct notifications
	// and events.
	DeadLettered   int64            `json:"dead_lettered"`
	DeadLetteredBy map[string]int64 `json:"dead_lettered_by_reason"`
	DeadDelivery   int64            `json:"dead_lettered_notifications"`
	DeadInput      int64            `json:"dead_lettered_events"`
	// Lost counts expected notifications neither acknowledged nor
	// dead-lettered; PoisonMissing poison events not dead-lettered.
	Lost          int64 `json:"lost"`
	PoisonMissing int64 `json:"poison_not_dead_lettered"`
	// Faults counts injected faults by kind; Rejected requests the
	// endpoints refused, by HTTP status (a bad signature is 403).
	Faults   map[string]int64 `json:"faults_injected"`
	Rejected map[string]int64 `json:"rejected_by_status"`
}

// Account waits (up to limit) until every dead letter written so far has
// been read, then checks every expected notification and poison event.
func (h *Harness) Account(ctx context.Context, limit time.Duration) (Accounting, error) {
	err := h.waitDeadLetters(ctx, limit)
	c, d := h.Collector.Counts(), h.Dead.Tally()
	a := Accounting{Events: h.Mixed.Total(), Poison: h.Mixed.Poison, Sent: h.Producer.Acknowledged(),
		ProducerRetries: h.Producer.Retries(), Expected: h.expected, Delivered: c.Delivered, Duplicates: c.Duplicates,
		DeadLettered: d.Records, DeadLetteredBy: d.ByReason, DeadDelivery: d.Delivery, DeadInput: d.Input,
		Faults: c.Faults, Rejected: map[string]int64{}}
	for status, n := range c.Rejected {
		a.Rejected[strconv.Itoa(status)] = n
	}
	for seq := range h.Mixed.Total() {
		if h.Mixed.IsPoison(seq) {
			if !h.Dead.HasInput(seq) {
				a.PoisonMissing++
			}
			continue
		}
		first := h.Topo.First(h.Topo.MerchantOf(seq))
		for ep := first; ep < first+len(h.Topo.Merchants[h.Topo.MerchantOf(seq)].Endpoints); ep++ {
			if !h.Collector.Has(ep, seq) && !h.Dead.Has(ep, seq) {
				a.Lost++
			}
		}
	}
	return a, err
}

// waitDeadLetters waits until the watcher has read the dead-letter topic
// to its current end.
func (h *Harness) waitDeadLetters(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ends, err := EndOffsets(ctx, h.Conn(), Topics().DeadLetter)
		if err == nil && h.Dead.CaughtUp(ends) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("loadtest: dead letters not all read after %v: %v", limit, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
