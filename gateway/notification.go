package gateway

import (
	"context"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// work carries the contexts of one unit of work: delivery attempts stop
// when deliver ends (the drain deadline), retry and dead-letter writes when
// durable ends (the hand-off deadline).
type work struct {
	deliver context.Context
	durable context.Context
}

// notification is one signed notification on its way to one endpoint.
type notification struct {
	kind      signer.Kind
	merchant  *Merchant
	endpoint  *Endpoint
	key       []byte
	body      []byte        // the signed form body, identical on every attempt
	fields    signer.Fields // body's fields, signatures included
	messageID string
	eventID   string
	attempt   int            // this scheduled attempt, 1-based
	requests  int            // HTTP requests made before this attempt
	busy      int            // hand-offs in a row as endpoint_busy
	first     time.Time      // when the first attempt started
	published time.Time      // the source record's timestamp (zero if unknown)
	carried   []kafka.Header // see carry
	source    *kafka.Message // the source record, while a first attempt runs
	req       delivery.Request
	buf       *[]byte // the pooled buffer body is in, if any (see bodyPool)
	kept      bool    // body went to the Kafka writer: never reuse buf
}

// carry returns the headers n carries to a retry or dead-letter record:
// those of its retry record, or, for a first attempt, the source record's
// foreign headers and coordinates, computed only when needed.
func (n *notification) carry() []kafka.Header {
	if n.carried == nil && n.source != nil {
		n.carried = sourceHeaders(n.source)
	}
	return n.carried
}

// record returns the retry state after an attempt that ended in out.
func (n *notification) record(out delivery.Outcome, due, now time.Time) retryRecord {
	r := retryRecord{
		Attempt:    n.attempt,
		Requests:   n.requests + out.Attempts,
		First:      n.first,
		Published:  n.published,
		Due:        due,
		Enqueued:   now,
		Kind:       n.kind,
		Merchant:   n.merchant.VendorCode,
		Endpoint:   n.endpoint.Name,
		MessageID:  n.messageID,
		EventID:    n.eventID,
		LastReason: string(out.Reason),
		LastStatus: out.Status,
		Busy:       n.busy,
	}
	if out.Err != nil {
		r.LastError = out.Err.Error()
	}
	return r
}

// attemptInfo describes the attempt for the observer.
func (n *notification) attemptInfo(out delivery.Outcome, now time.Time) Attempt {
	return Attempt{
		Kind:      n.kind,
		Merchant:  n.merchant.VendorCode,
		Endpoint:  n.endpoint.Name,
		MessageID: n.messageID,
		Number:    n.attempt,
		Outcome:   out,
		Since:     now.Sub(n.first),
		Queued:    queued(n.published, n.first),
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

// sourceHeaders are the headers a notification carries from its source
// record: the record's own (foreign) headers and where it was read.
func sourceHeaders(m *kafka.Message) []kafka.Header {
	v := newHeaderValues(len(m.Headers)+3, len(m.Topic)+2*20)
	for _, h := range m.Headers {
		if !strings.HasPrefix(h.Key, headerPrefix) {
			v.add(h)
		}
	}
	v.str(HeaderSourceTopic, m.Topic)
	v.int(HeaderSourcePartition, int64(m.Partition))
	v.int(HeaderSourceOffset, m.Offset)
	return v.hs
}

// stateKeys are the headers rewritten on every retry or dead-letter write.
var stateKeys = map[string]bool{
	HeaderAttempt: true, HeaderRequests: true, HeaderFirst: true, HeaderDue: true,
	HeaderEnqueued: true, HeaderPublished: true, HeaderKind: true, HeaderMerchant: true, HeaderEndpoint: true,
	HeaderMessageID: true, HeaderEventID: true, HeaderLastReason: true,
	HeaderLastStatus: true, HeaderLastError: true, HeaderBusy: true, HeaderDeadLetter: true,
	HeaderReason: true, HeaderDetail: true, HeaderFailedAt: true,
}

// carriedHeaders returns the headers of a retry record that travel on
// unchanged: foreign headers and the source coordinates.
func carriedHeaders(hs []kafka.Header) []kafka.Header {
	var out []kafka.Header
	for _, h := range hs {
		if !stateKeys[h.Key] {
			out = append(out, h)
		}
	}
	return out
}
