package gateway

import (
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
)

// Reasons the gateway itself gives for dead-lettering a notification.
const (
	ReasonExhausted      = "retries_exhausted" // the schedule has no attempt left
	ReasonUnknownEnd     = "unknown_endpoint"  // the endpoint is no longer configured
	ReasonBadRetryRecord = "bad_retry_record"  // a retry record's headers or body cannot be read
)

// attempt makes one scheduled attempt of n and settles its outcome. It
// reports whether n is settled: delivered, or durably written to a retry
// tier or the dead-letter topic.
func (g *Gateway) attempt(w work, n *notification) bool {
	n.req = delivery.Request{
		Endpoint: &n.endpoint.Endpoint,
		Kind:     n.kind,
		Fields:   n.fields,
		Body:     n.body,
		Attempt:  n.requests + 1,
	}
	out := g.sender.Send(w.deliver, &n.req)
	now := g.clock.Now()
	g.obs.Attempted(n.attemptInfo(out, now))
	return g.settle(w, n, out, now)
}

// settle routes the outcome of an attempt: nothing more to do when
// delivered, the dead-letter topic when retrying cannot help or no attempt
// is left, else the retry tier of the next attempt's due time.
func (g *Gateway) settle(w work, n *notification, out delivery.Outcome, now time.Time) bool {
	if out.Result == delivery.Delivered {
		if g.log.Enabled(w.deliver, slog.LevelDebug) { // the common case: no logger built for nothing
			g.notificationLog(n).Debug("delivered", "requests", out.Attempts, "status", out.Status)
		}
		return true
	}
	log := g.notificationLog(n)
	switch out.Result {
	case delivery.Permanent:
		log.Warn("delivery failed permanently", "reason", out.Reason, "status", out.Status, "err", out.Err)
		return g.deadNotification(w, n, out, string(out.Reason), "the endpoint's answer rules out a retry", now)
	}
	if out.Reason == delivery.ReasonCanceled {
		// Interrupted by shutdown or a revoked partition: hand the attempt
		// over without counting it.
		n.attempt--
		return g.enqueueRetry(w, n, out, now, now)
	}
	busy := out.Reason == delivery.ReasonBusy
	if busy {
		// The endpoint was saturated and never asked: not an attempt on
		// its schedule. Come back after busyBackoff, or at the scheduled
		// time if sooner, within the schedule's age bound.
		n.attempt--
		n.busy++
	} else {
		n.busy = 0
	}
	due, ok := g.nextDue(n, out, now)
	if ok && busy && len(g.tiers) > 0 {
		due = minTime(due, now.Add(busyBackoff(g.tiers[0].Delay, n.busy)))
	}
	if !ok {
		log.Warn("no attempt left", "reason", out.Reason, "status", out.Status, "err", out.Err)
		g.obs.Exhausted(n.attemptInfo(out, now))
		return g.deadNotification(w, n, out, ReasonExhausted, "every scheduled attempt failed", now)
	}
	level := slog.LevelInfo
	if busy { // a saturated endpoint refuses many at once: not worth a line each
		level = slog.LevelDebug
	}
	log.Log(w.deliver, level, "attempt failed; retry scheduled", "reason", out.Reason, "status", out.Status, "due", due)
	return g.enqueueRetry(w, n, out, due, now)
}

// maxBusyDoublings bounds busyBackoff at 4 × the shortest tier. Growing
// further would leave a saturated endpoint idle between the returns of
// its overflow: notifications handed off together come back together,
// and most of each return is handed off again.
const maxBusyDoublings = 2

// busyBackoff is how long a notification waits after its k-th hand-off in
// a row as endpoint_busy (k ≥ 1): the shortest tier, doubled at each
// further hand-off up to 4 × the shortest tier. A saturated endpoint's
// overflow thus cycles through Kafka up to 4 times less often, while
// enough of it comes back at any moment to keep the endpoint busy.
func busyBackoff(shortest time.Duration, k int) time.Duration {
	return shortest << min(max(k-1, 0), maxBusyDoublings)
}

// minTime returns the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// notificationLog returns the logger of n's attempts.
func (g *Gateway) notificationLog(n *notification) *slog.Logger {
	return g.log.With("kind", n.kind.String(), "merchant", n.merchant.VendorCode,
		"endpoint", n.endpoint.Name, "message_id", n.messageID, "attempt", n.attempt)
}

// nextDue returns when n is tried next: its schedule's next slot, or later
// when the endpoint asked for it with Retry-After (capped).
func (g *Gateway) nextDue(n *notification, out delivery.Outcome, now time.Time) (time.Time, bool) {
	sched := n.merchant.Retry
	if sched == nil {
		sched = g.opts.DefaultRetry
	}
	return sched.NextAfter(n.attempt, n.first, now, min(out.RetryAfter, g.opts.MaxRetryAfter))
}

// enqueueRetry writes n to the tier for its due time.
func (g *Gateway) enqueueRetry(w work, n *notification, out delivery.Outcome, due, now time.Time) bool {
	rec := n.record(out, due, now)
	tier := g.tiers.For(due.Sub(now))
	n.kept = true
	msg := kafka.Message{
		Topic:   tier.Topic,
		Key:     n.key,
		Value:   n.body,
		Headers: append(append([]kafka.Header(nil), n.carry()...), rec.headers()...),
		Time:    now,
	}
	if err := g.prod.write(w.durable, msg); err != nil {
		g.log.Error("retry not written; the event will be processed again", "message_id", n.messageID, "err", err)
		return false
	}
	g.obs.RetryScheduled(n.attemptInfo(out, now), tier.Topic, due)
	return true
}

// deadNotification writes n to the dead-letter topic.
func (g *Gateway) deadNotification(w work, n *notification, out delivery.Outcome, reason, detail string, now time.Time) bool {
	rec := n.record(out, now, now)
	n.kept = true
	hs := append(append([]kafka.Header(nil), n.carry()...), rec.headers()...)
	hs = append(hs, deadHeaders(DeadDelivery, reason, detail, now)...)
	msg := kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: n.key, Value: n.body, Headers: hs, Time: now}
	if err := g.prod.write(w.durable, msg); err != nil {
		g.log.Error("dead letter not written; the event will be processed again", "message_id", n.messageID, "err", err)
		return false
	}
	g.obs.DeadLettered(DeadDelivery, n.kind, reason)
	return true
}

// deadHeaders are the headers every dead letter carries.
func deadHeaders(deadKind, reason, detail string, now time.Time) []kafka.Header {
	detail = clipText(detail, maxHeaderText)
	v := newHeaderValues(4, len(deadKind)+len(reason)+len(detail)+timeSize)
	v.str(HeaderDeadLetter, deadKind)
	v.str(HeaderReason, reason)
	v.str(HeaderDetail, detail)
	v.time(HeaderFailedAt, now)
	return v.hs
}
