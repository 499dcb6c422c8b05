package gateway

import (
	"fmt"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// handleRetry makes the next scheduled attempt of a due retry record. The
// body is sent exactly as it was signed the first time. It reports whether
// the record is settled.
func (g *Gateway) handleRetry(w work, m *kafka.Message, rec retryRecord) bool {
	mer, ok := g.opts.Merchants.Merchant(rec.Merchant)
	if !ok {
		return g.deadRecord(w, m, rec.Kind, string(param.ReasonUnknownVendor), "the merchant is no longer configured")
	}
	ep, ok := mer.endpoint(rec.Endpoint)
	if !ok {
		return g.deadRecord(w, m, rec.Kind, ReasonUnknownEnd, "the endpoint is no longer configured")
	}
	fields, err := signer.ParseForm(m.Value)
	if err != nil {
		return g.deadRecord(w, m, rec.Kind, ReasonBadRetryRecord, "the body is not a form: "+err.Error())
	}
	n := &notification{
		kind: rec.Kind, merchant: mer, endpoint: ep, key: m.Key, body: m.Value, fields: fields,
		messageID: rec.MessageID, eventID: rec.EventID, attempt: rec.Attempt + 1,
		requests: rec.Requests, busy: rec.Busy, first: rec.First, published: rec.Published, carried: carriedHeaders(m.Headers),
	}
	return g.attempt(w, n)
}

// reroute moves a ready retry record that is not yet due to the tier for
// the time it still has to wait.
func (g *Gateway) reroute(w work, m *kafka.Message, rec retryRecord, to Tier) bool {
	now := g.clock.Now()
	rec.Enqueued = now
	msg := kafka.Message{
		Topic:   to.Topic,
		Key:     m.Key,
		Value:   m.Value,
		Headers: append(carriedHeaders(m.Headers), rec.headers()...),
		Time:    now,
	}
	if err := g.prod.write(w.durable, msg); err != nil {
		g.log.Error("retry record not moved; it will be read again", "topic", m.Topic, "err", err)
		return false
	}
	return true
}

// deadRecord dead-letters a retry record as it is, with a reason: the
// merchant or endpoint is gone, or the record cannot be read.
func (g *Gateway) deadRecord(w work, m *kafka.Message, kind signer.Kind, reason, detail string) bool {
	now := g.clock.Now()
	hs := setHeaders(m.Headers, deadHeaders(DeadDelivery, reason, detail, now)...)
	msg := kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Value: m.Value, Headers: hs, Time: now}
	if err := g.prod.write(w.durable, msg); err != nil {
		g.log.Error("retry record not dead-lettered; it will be read again", "topic", m.Topic, "err", err)
		return false
	}
	g.log.Warn("retry record dead-lettered", "reason", reason, "topic", m.Topic,
		"partition", m.Partition, "offset", m.Offset)
	g.obs.DeadLettered(DeadDelivery, kind, reason)
	return true
}

// badRetryRecord dead-letters a record whose retry headers cannot be read.
func (g *Gateway) badRetryRecord(w work, m *kafka.Message, err error) bool {
	return g.deadRecord(w, m, signer.KindUnknown, ReasonBadRetryRecord, fmt.Sprint(err))
}
