package gateway

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// Reasons of the dead letters that stand for a record no topic would take.
const (
	// ReasonTooLarge: the record is larger than the topic (or the
	// producer) accepts; the dead letter holds its size and where to fetch
	// it, not its value.
	ReasonTooLarge = "too_large"
	// ReasonUnwritable: the topic refused the record for good for another
	// reason (an invalid record, an unsupported format).
	ReasonUnwritable = "unwritable"
)

// permanentError is a write that can never succeed: retrying it would
// block its partition for good.
type permanentError struct {
	err error
}

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// isPermanent reports whether a write error is permanent: the record is too
// large for the producer or the topic, invalid, or of a format the topic
// does not take. Everything else (unreachable brokers, leader changes,
// timeouts, authorization, which an operator can fix while the gateway
// waits) is transient. A batch error is permanent when every failed
// message failed permanently.
func isPermanent(err error) bool {
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return true
	}
	var we kafka.WriteErrors
	if errors.As(err, &we) {
		for _, e := range we {
			if e != nil && !isPermanent(e) {
				return false
			}
		}
		return we.Count() > 0
	}
	var ke kafka.Error
	if errors.As(err, &ke) {
		switch ke {
		case kafka.MessageSizeTooLarge, kafka.RecordListTooLarge, kafka.InvalidRecord,
			kafka.InvalidTopic, kafka.UnsupportedForMessageFormat:
			return true
		}
	}
	return false
}

// isTooLarge reports whether a permanent error refuses a record for its
// size.
func isTooLarge(err error) bool {
	var tooLarge kafka.MessageTooLargeError
	return errors.As(err, &tooLarge) || errors.Is(err, kafka.MessageSizeTooLarge) || errors.Is(err, kafka.RecordListTooLarge)
}

// writeOrStub writes msgs. When a write fails for good, it writes the
// messages one by one and replaces each that is refused for good by a
// stub dead letter (see stub), so that no record can block its partition.
// src is the record being handled, deadKind the kind of dead letter
// (retryrecord.DeadInput or DeadDelivery) the stubs are. It fails only when
// ctx ends or a stub itself cannot be written.
func (g *Gateway) writeOrStub(ctx context.Context, src *kafka.Message, deadKind string, kind signer.Kind, msgs ...kafka.Message) error {
	err := g.prod.write(ctx, msgs...)
	var pe *permanentError
	if !errors.As(err, &pe) {
		return err
	}
	for _, m := range msgs {
		err := g.prod.write(ctx, m)
		if !errors.As(err, &pe) {
			if err != nil {
				return err
			}
			continue
		}
		s := g.stub(src, m, deadKind, pe.err)
		if err := g.prod.write(ctx, s); err != nil {
			return fmt.Errorf("dead letter for a record refused for good (%v): %w", pe.err, err)
		}
		reason := headerValue(s.Headers, retryrecord.HeaderReason)
		g.log.Warn("record refused for good; dead-lettered without its value", "reason", reason,
			"size", recordSize(m), "topic", m.Topic, "source_topic", src.Topic,
			"source_partition", src.Partition, "source_offset", src.Offset)
		g.obs.DeadLettered(deadKind, kind, reason)
	}
	return nil
}

// stub is the dead letter that stands for m when no topic takes it: the
// headers m carries (see stubHeaders), the reason (too_large or unwritable), m's size
// and the coordinates of src, where the content can be fetched, but not
// m's value or foreign headers.
func (g *Gateway) stub(src *kafka.Message, m kafka.Message, deadKind string, cause error) kafka.Message {
	now := g.clock.Now()
	reason, detail := ReasonUnwritable, "the topic refused the record for good: "+cause.Error()
	if isTooLarge(cause) {
		reason = ReasonTooLarge
		detail = "the record is larger than the topic accepts; fetch the content at the source coordinates"
	}
	hs := stubHeaders(m.Headers)
	hs = retryrecord.Set(hs, retryrecord.Dead(deadKind, reason, detail, now)...)
	hs = retryrecord.Set(hs,
		retryrecord.Header(retryrecord.HeaderSourceTopic, src.Topic),
		retryrecord.Header(retryrecord.HeaderSourcePartition, strconv.Itoa(src.Partition)),
		retryrecord.Header(retryrecord.HeaderSourceOffset, strconv.FormatInt(src.Offset, 10)),
		retryrecord.Header(retryrecord.HeaderSize, strconv.Itoa(recordSize(m))),
	)
	return kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Headers: hs, Time: now}
}

// maxStubHeaderBytes bounds the foreign headers a stub keeps.
const maxStubHeaderBytes = 16 << 10

// stubHeaders returns hs when they are small, else only lcngw's own: the
// headers may be what made the record too large.
func stubHeaders(hs []kafka.Header) []kafka.Header {
	size := 0
	for _, h := range hs {
		size += len(h.Key) + len(h.Value)
	}
	var out []kafka.Header
	for _, h := range hs {
		if size <= maxStubHeaderBytes || strings.HasPrefix(h.Key, "lcngw-") {
			out = append(out, h)
		}
	}
	return out
}

// recordSize is the value's size in bytes, the part that makes a record
// large.
func recordSize(m kafka.Message) int { return len(m.Value) }

// headerValue returns the last value of header k.
func headerValue(hs []kafka.Header, k string) string {
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Key == k {
			return string(hs[i].Value)
		}
	}
	return ""
}
