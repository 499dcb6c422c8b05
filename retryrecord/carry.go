package retryrecord

import (
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/pipeline"
)

// Source returns the headers a notification carries from its source
// record: the record's own (foreign) headers and where it was read.
func Source(m *kafka.Message) []kafka.Header {
	v := newHeaderValues(len(m.Headers)+3, len(m.Topic)+2*20)
	for _, h := range m.Headers {
		if !strings.HasPrefix(h.Key, Prefix) {
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

// Carried returns the headers of a retry record that travel on
// unchanged: foreign headers and the source coordinates.
func Carried(hs []kafka.Header) []kafka.Header {
	var out []kafka.Header
	for _, h := range hs {
		if !stateKeys[h.Key] {
			out = append(out, h)
		}
	}
	return out
}

// Dead returns the headers every dead letter carries: its kind
// (DeadInput, DeadDelivery), bounded reason, detail (clipped to MaxText)
// and when it failed.
func Dead(deadKind, reason, detail string, now time.Time) []kafka.Header {
	detail = pipeline.Clip(detail, MaxText)
	v := newHeaderValues(4, len(deadKind)+len(reason)+len(detail)+timeSize)
	v.str(HeaderDeadLetter, deadKind)
	v.str(HeaderReason, reason)
	v.str(HeaderDetail, detail)
	v.time(HeaderFailedAt, now)
	return v.hs
}
