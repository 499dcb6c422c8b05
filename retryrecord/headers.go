package retryrecord

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// Headers of retry and dead-letter records. Times are RFC 3339 in UTC with
// nanoseconds; numbers are decimal.
const (
	HeaderAttempt    = "lcngw-attempt"       // scheduled attempts made so far
	HeaderRequests   = "lcngw-requests"      // HTTP requests made so far, quick retries included
	HeaderFirst      = "lcngw-first-attempt" // when the first attempt started
	HeaderDue        = "lcngw-due"           // when the next attempt is due
	HeaderEnqueued   = "lcngw-enqueued"      // when the record was written to its retry tier
	HeaderPublished  = "lcngw-published"     // the source record's timestamp (optional)
	HeaderKind       = "lcngw-kind"          // lcn or ipn
	HeaderMerchant   = "lcngw-merchant"      // vendor code
	HeaderEndpoint   = "lcngw-endpoint"      // endpoint name
	HeaderMessageID  = "lcngw-message-id"    // MESSAGE_ID of the notification
	HeaderEventID    = "lcngw-event-id"      // event_id of the source event
	HeaderLastReason = "lcngw-last-reason"   // delivery.Reason of the last attempt
	HeaderLastStatus = "lcngw-last-status"   // HTTP status of the last attempt (0: none)
	HeaderLastError  = "lcngw-last-error"    // what went wrong, without URL query or secrets
	HeaderBusy       = "lcngw-busy"          // hand-offs in a row because the endpoint was saturated (optional)

	HeaderDeadLetter      = "lcngw-dead-letter"      // "input" or "delivery"
	HeaderReason          = "lcngw-reason"           // bounded reason: a param.Reason or delivery reason
	HeaderDetail          = "lcngw-detail"           // human explanation, no personal data
	HeaderFailedAt        = "lcngw-failed-at"        // when the record was dead-lettered
	HeaderSourceTopic     = "lcngw-source-topic"     // where the event was read
	HeaderSourcePartition = "lcngw-source-partition" //
	HeaderSourceOffset    = "lcngw-source-offset"    //
	HeaderSize            = "lcngw-size"             // bytes of a record no topic could hold (reason too_large)
)

// Dead-letter kinds (HeaderDeadLetter).
const (
	DeadInput    = "input"    // the source event could not be turned into a notification
	DeadDelivery = "delivery" // a notification could not be delivered
	// DeadReplayed marks a replay mark, not a dead letter: a record with
	// no value whose HeaderReplayOf names the dead letter a replay wrote
	// back. Readers of the dead-letter topic skip it.
	DeadReplayed = "replayed"
)

// HeaderReplayOf, on a replay mark, names the dead letter replayed as
// "partition/offset" in the dead-letter topic.
const HeaderReplayOf = "lcngw-replay-of"

// Prefix marks lcngw's own headers.
const Prefix = "lcngw-"

// MaxText bounds free-text header values (errors, details).
const MaxText = 512

// Encode renders a notification's state as record headers.
func Encode(r pipeline.State) []kafka.Header {
	lastErr := pipeline.Clip(r.LastError, MaxText)
	kind := r.Kind.String()
	v := newHeaderValues(15, 4*timeSize+4*20+len(kind)+len(r.Merchant)+len(r.Endpoint)+len(r.MessageID)+
		len(r.EventID)+len(r.LastReason)+len(lastErr))
	v.int(HeaderAttempt, int64(r.Attempt))
	v.int(HeaderRequests, int64(r.Requests))
	v.time(HeaderFirst, r.First)
	v.time(HeaderDue, r.Due)
	v.time(HeaderEnqueued, r.Enqueued)
	v.time(HeaderPublished, r.Published)
	v.str(HeaderKind, kind)
	v.str(HeaderMerchant, r.Merchant)
	v.str(HeaderEndpoint, r.Endpoint)
	v.str(HeaderMessageID, r.MessageID)
	v.str(HeaderEventID, r.EventID)
	v.str(HeaderLastReason, r.LastReason)
	v.int(HeaderLastStatus, int64(r.LastStatus))
	v.str(HeaderLastError, lastErr)
	v.int(HeaderBusy, int64(r.Busy))
	return v.hs
}

// ErrBad reports a retry record whose headers cannot be read.
var ErrBad = errors.New("bad retry record")

// retryHeaders are the values of the retry headers of a record, the
// last of each (nil when absent).
type retryHeaders struct {
	attempt, requests, status, first, due, enqueued, published, kind []byte
	merchant, endpoint, messageID, eventID, lastReason, lastError    []byte
	busy                                                             []byte
}

// field returns where the value of the retry header key goes, or nil.
func (h *retryHeaders) field(key string) *[]byte {
	switch key {
	case HeaderAttempt:
		return &h.attempt
	case HeaderRequests:
		return &h.requests
	case HeaderLastStatus:
		return &h.status
	case HeaderFirst:
		return &h.first
	case HeaderDue:
		return &h.due
	case HeaderEnqueued:
		return &h.enqueued
	case HeaderPublished:
		return &h.published
	case HeaderKind:
		return &h.kind
	case HeaderMerchant:
		return &h.merchant
	case HeaderEndpoint:
		return &h.endpoint
	case HeaderMessageID:
		return &h.messageID
	case HeaderEventID:
		return &h.eventID
	case HeaderLastReason:
		return &h.lastReason
	case HeaderLastError:
		return &h.lastError
	case HeaderBusy:
		return &h.busy
	}
	return nil
}

// Decode reads the retry headers of a record; errors wrap ErrBad.
func Decode(hs []kafka.Header) (pipeline.State, error) {
	var h retryHeaders
	for _, x := range hs {
		if f := h.field(x.Key); f != nil {
			*f = x.Value
		}
	}
	var r pipeline.State
	var errs []string
	num := func(name string, v []byte, dst *int) {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 0 {
			errs = append(errs, name)
		}
		*dst = n
	}
	tm := func(name string, v []byte, dst *time.Time) {
		t, err := time.Parse(time.RFC3339Nano, string(v))
		if err != nil {
			errs = append(errs, name)
		}
		*dst = t
	}
	num(HeaderAttempt, h.attempt, &r.Attempt)
	num(HeaderRequests, h.requests, &r.Requests)
	num(HeaderLastStatus, h.status, &r.LastStatus)
	tm(HeaderFirst, h.first, &r.First)
	tm(HeaderDue, h.due, &r.Due)
	tm(HeaderEnqueued, h.enqueued, &r.Enqueued)
	if len(h.busy) > 0 { // optional: older records lack it
		num(HeaderBusy, h.busy, &r.Busy)
	}
	if len(h.published) > 0 { // optional: older records lack it
		r.Published, _ = time.Parse(time.RFC3339Nano, string(h.published))
	}
	var ok bool
	if r.Kind, ok = signer.ParseKind(string(h.kind)); !ok {
		errs = append(errs, HeaderKind)
	}
	r.Merchant, r.Endpoint = string(h.merchant), string(h.endpoint)
	if r.Merchant == "" || r.Endpoint == "" {
		errs = append(errs, HeaderMerchant+"/"+HeaderEndpoint)
	}
	r.MessageID, r.EventID = string(h.messageID), string(h.eventID)
	r.LastReason, r.LastError = string(h.lastReason), string(h.lastError)
	if len(errs) > 0 {
		return r, fmt.Errorf("%w: missing or invalid %s", ErrBad, strings.Join(errs, ", "))
	}
	return r, nil
}

// Header returns the header k: v.
func Header(k, v string) kafka.Header { return kafka.Header{Key: k, Value: []byte(v)} }

// Map returns the last value of every header.
func Map(hs []kafka.Header) map[string]string {
	m := make(map[string]string, len(hs))
	for _, h := range hs {
		m[h.Key] = string(h.Value)
	}
	return m
}

// Foreign returns the headers that are not lcngw's own.
func Foreign(hs []kafka.Header) []kafka.Header {
	var out []kafka.Header
	for _, h := range hs {
		if !strings.HasPrefix(h.Key, Prefix) {
			out = append(out, h)
		}
	}
	return out
}

// Set returns hs with every header of set replacing a header of the
// same key (or appended).
func Set(hs []kafka.Header, set ...kafka.Header) []kafka.Header {
	out := make([]kafka.Header, 0, len(hs)+len(set))
	keys := make(map[string]bool, len(set))
	for _, h := range set {
		keys[h.Key] = true
	}
	for _, h := range hs {
		if !keys[h.Key] {
			out = append(out, h)
		}
	}
	return append(out, set...)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
