package gateway

import (
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// handleSource processes one source record and stores what its
// disposition asks. It reports whether the record is settled, so that its
// offset may be committed.
func (g *Gateway) handleSource(w work, m *kafka.Message) bool {
	g.metrics.Consumed(m.Topic)
	d := g.pipe.Process(w.deliver, pipeline.Record{Kind: g.kindOf(m.Topic), Key: m.Key, Value: m.Value, Time: m.Time})
	switch {
	case d.Verdict == pipeline.Skipped:
		g.obs.Skipped(d.Kind, d.Merchant, d.Reason)
		return true
	case len(d.Notices) == 0:
		return g.rejectInput(w, m, d)
	}
	return g.store(w, m, d, retryrecord.Source)
}

// handleRetry makes the next scheduled attempt of a due retry record and
// stores what its disposition asks.
func (g *Gateway) handleRetry(w work, m *kafka.Message, st pipeline.State) bool {
	d := g.pipe.Process(w.deliver, pipeline.Record{Key: m.Key, Value: m.Value, Time: st.Published, Retry: &st})
	if len(d.Notices) == 0 {
		return g.deadRecord(w, m, d.Kind, d.Reason, d.Detail)
	}
	return g.store(w, m, d, func(m *kafka.Message) []kafka.Header { return retryrecord.Carried(m.Headers) })
}

// store writes a record per notice that did not deliver: to the retry
// tier of its due time, or to the dead-letter topic, in one write. carry
// returns the headers they carry from m.
func (g *Gateway) store(w work, m *kafka.Message, d pipeline.Disposition, carry func(*kafka.Message) []kafka.Header) bool {
	now := g.clock.Now()
	var msgs []kafka.Message
	var carried []kafka.Header
	for i := range d.Notices {
		n := &d.Notices[i]
		if n.Tried {
			g.obs.Attempted(attemptInfo(n, now))
		}
		if n.Verdict == pipeline.Delivered {
			continue
		}
		if carried == nil {
			carried = carry(m)
		}
		msgs = append(msgs, g.noticeMessage(n, carried, now))
	}
	if len(msgs) == 0 {
		return true
	}
	if err := g.writeOrStub(w.durable, m, retryrecord.DeadDelivery, d.Kind, msgs...); err != nil {
		g.log.Error("retry or dead letter not written; the record will be processed again",
			"topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
		return false
	}
	stored := msgs
	for i := range d.Notices {
		if n := &d.Notices[i]; n.Verdict != pipeline.Delivered {
			g.reportStored(n, stored[0].Topic, now)
			stored = stored[1:]
		}
	}
	return true
}

// noticeMessage is the retry or dead-letter record of n.
func (g *Gateway) noticeMessage(n *pipeline.Notice, carried []kafka.Header, now time.Time) kafka.Message {
	hs := append(append([]kafka.Header(nil), carried...), retryrecord.Encode(n.State)...)
	topic := g.opts.Topics.DeadLetter
	if n.Verdict == pipeline.Retry {
		topic = g.tiers.For(n.State.Due.Sub(now)).Topic
	} else {
		hs = append(hs, retryrecord.Dead(retryrecord.DeadDelivery, n.Reason, deadDetail(n.Reason), now)...)
	}
	return kafka.Message{Topic: topic, Key: n.Key, Value: n.Body, Headers: hs, Time: now}
}

// reportStored tells the observer where n went once it was written; tier
// is the retry tier's topic noticeMessage chose for a retry.
func (g *Gateway) reportStored(n *pipeline.Notice, tier string, now time.Time) {
	switch n.Verdict {
	case pipeline.Retry:
		g.metrics.RetryScheduled(tier)
		g.obs.RetryScheduled(attemptInfo(n, now), tier, n.State.Due)
	case pipeline.Dead:
		g.metrics.DeadLettered(retryrecord.DeadDelivery, n.State.Kind, n.Reason)
		g.obs.DeadLettered(retryrecord.DeadDelivery, n.State.Kind, n.Reason)
	}
}

// deadDetail explains a notification's dead-letter reason.
func deadDetail(reason string) string {
	if reason == pipeline.ReasonExhausted {
		return "every scheduled attempt failed"
	}
	return "the endpoint's answer rules out a retry"
}

// attemptInfo describes n's attempt for the observer.
func attemptInfo(n *pipeline.Notice, now time.Time) Attempt {
	st := &n.State
	return Attempt{
		Kind: st.Kind, Merchant: st.Merchant, Endpoint: st.Endpoint, MessageID: st.MessageID,
		Number: n.Attempt, Outcome: n.Outcome, Since: now.Sub(st.First), Queued: queued(st.Published, st.First),
	}
}

// queued is how long the source record waited before the first attempt;
// 0 when its timestamp is unknown or ahead of the gateway's clock.
func queued(published, first time.Time) time.Duration {
	if published.IsZero() || published.After(first) {
		return 0
	}
	return first.Sub(published)
}

// rejectInput dead-letters a source record that cannot become a
// notification: its key, value and headers as read, plus the reason and
// where it was read.
func (g *Gateway) rejectInput(w work, m *kafka.Message, d pipeline.Disposition) bool {
	now := g.clock.Now()
	hs := append([]kafka.Header(nil), m.Headers...)
	hs = append(hs, retryrecord.Dead(retryrecord.DeadInput, d.Reason, d.Detail, now)...)
	hs = append(hs,
		retryrecord.Header(retryrecord.HeaderKind, d.Kind.String()),
		retryrecord.Header(retryrecord.HeaderSourceTopic, m.Topic),
		retryrecord.Header(retryrecord.HeaderSourcePartition, strconv.Itoa(m.Partition)),
		retryrecord.Header(retryrecord.HeaderSourceOffset, strconv.FormatInt(m.Offset, 10)),
	)
	if d.Merchant != "" {
		hs = append(hs, retryrecord.Header(retryrecord.HeaderMerchant, d.Merchant))
	}
	msg := kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Value: m.Value, Headers: hs, Time: now}
	if err := g.writeOrStub(w.durable, m, retryrecord.DeadInput, d.Kind, msg); err != nil {
		g.log.Error("invalid event not dead-lettered; it will be read again", "topic", m.Topic,
			"partition", m.Partition, "offset", m.Offset, "err", err)
		return false
	}
	g.log.Warn("invalid event dead-lettered", "kind", d.Kind.String(), "reason", d.Reason, "detail", d.Detail,
		"vendor_code", d.Merchant, "topic", m.Topic, "partition", m.Partition, "offset", m.Offset)
	g.metrics.DeadLettered(retryrecord.DeadInput, d.Kind, d.Reason)
	g.obs.DeadLettered(retryrecord.DeadInput, d.Kind, d.Reason)
	return true
}

// reroute moves a ready retry record that is not yet due to the tier for
// the time it still has to wait.
func (g *Gateway) reroute(w work, m *kafka.Message, st pipeline.State, to Tier) bool {
	now := g.clock.Now()
	st.Enqueued = now
	msg := kafka.Message{
		Topic:   to.Topic,
		Key:     m.Key,
		Value:   m.Value,
		Headers: append(retryrecord.Carried(m.Headers), retryrecord.Encode(st)...),
		Time:    now,
	}
	if err := g.writeOrStub(w.durable, m, retryrecord.DeadDelivery, st.Kind, msg); err != nil {
		g.log.Error("retry record not moved; it will be read again", "topic", m.Topic, "err", err)
		return false
	}
	return true
}

// deadRecord dead-letters a retry record as it is, with a reason: the
// merchant or endpoint is gone, or the record cannot be read.
func (g *Gateway) deadRecord(w work, m *kafka.Message, kind signer.Kind, reason, detail string) bool {
	now := g.clock.Now()
	hs := retryrecord.Set(m.Headers, retryrecord.Dead(retryrecord.DeadDelivery, reason, detail, now)...)
	msg := kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Value: m.Value, Headers: hs, Time: now}
	if err := g.writeOrStub(w.durable, m, retryrecord.DeadDelivery, kind, msg); err != nil {
		g.log.Error("retry record not dead-lettered; it will be read again", "topic", m.Topic, "err", err)
		return false
	}
	g.log.Warn("retry record dead-lettered", "reason", reason, "topic", m.Topic,
		"partition", m.Partition, "offset", m.Offset)
	g.metrics.DeadLettered(retryrecord.DeadDelivery, kind, reason)
	g.obs.DeadLettered(retryrecord.DeadDelivery, kind, reason)
	return true
}

// badRetryRecord dead-letters a record whose retry headers cannot be read.
func (g *Gateway) badRetryRecord(w work, m *kafka.Message, err error) bool {
	return g.deadRecord(w, m, signer.KindUnknown, pipeline.ReasonBadRetryRecord, err.Error())
}

// kindOf returns the kind of the events of a source topic.
func (g *Gateway) kindOf(topic string) signer.Kind {
	if topic == g.opts.Topics.IPN {
		return signer.KindIPN
	}
	return signer.KindLCN
}
