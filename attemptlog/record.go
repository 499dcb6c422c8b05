package attemptlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// DefaultTopic is the attempt log's default topic.
const DefaultTopic = "lcngw.attempts"

// DefaultRetention is how long the attempt log topic keeps records when
// lcngw creates it.
const DefaultRetention = 7 * 24 * time.Hour

// Results of an attempt (Record.Result).
const (
	ResultDelivered = "delivered" // a verified receipt arrived
	ResultRetry     = "retry"     // failed; NextDue says when it is tried again
	ResultDead      = "dead"      // failed for good: dead-lettered
	ResultWaiting   = "waiting"   // not attempted (endpoint paused); NextDue set
)

// Record is one attempt's outcome. It carries identifiers only: never the
// notification's body or any customer data.
type Record struct {
	Merchant  string `json:"merchant"`
	Endpoint  string `json:"endpoint"`
	Kind      string `json:"kind"`
	MessageID string `json:"message_id"`
	EventID   string `json:"event_id,omitempty"`
	// Key is the license code (LCN) or order reference (IPN).
	Key string `json:"key,omitempty"`
	// Attempt is the scheduled attempt, 1 for the first.
	Attempt int    `json:"attempt"`
	Result  string `json:"result"`
	// Reason is the bounded delivery reason ("ok", "timeout", ...).
	Reason string `json:"reason"`
	// Status is the HTTP status, 0 when no response arrived.
	Status int `json:"status,omitempty"`
	// Duration is how long the attempt took.
	Duration time.Duration `json:"duration_us"`
	// Time is when the attempt ended.
	Time time.Time `json:"time"`
	// NextDue is when the next attempt is due; zero when none follows
	// (delivered, or dead-lettered).
	NextDue time.Time `json:"next_due,omitzero"`
	// Receipt tells whether the endpoint's read receipt was verified.
	Receipt bool `json:"receipt_verified"`
}

// State is what the attempt left the notification in: "delivered",
// "retrying" (another attempt is due, or it waits for a paused endpoint)
// or "dead".
func (r *Record) State() string {
	switch {
	case r.Result == ResultDelivered:
		return "delivered"
	case !r.NextDue.IsZero():
		return "retrying"
	default:
		return "dead"
	}
}

// AppendJSON appends r's JSON form to dst. It is what the log writes, and
// costs no reflection.
func (r *Record) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"merchant":`...)
	dst = appendQuoted(dst, r.Merchant)
	dst = appendField(dst, "endpoint", r.Endpoint)
	dst = appendField(dst, "kind", r.Kind)
	dst = appendField(dst, "message_id", r.MessageID)
	if r.EventID != "" {
		dst = appendField(dst, "event_id", r.EventID)
	}
	if r.Key != "" {
		dst = appendField(dst, "key", r.Key)
	}
	dst = append(dst, `,"attempt":`...)
	dst = strconv.AppendInt(dst, int64(r.Attempt), 10)
	dst = appendField(dst, "result", r.Result)
	dst = appendField(dst, "reason", r.Reason)
	if r.Status != 0 {
		dst = append(dst, `,"status":`...)
		dst = strconv.AppendInt(dst, int64(r.Status), 10)
	}
	dst = append(dst, `,"duration_us":`...)
	dst = strconv.AppendInt(dst, r.Duration.Microseconds(), 10)
	dst = append(dst, `,"time":"`...)
	dst = r.Time.UTC().AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, '"')
	if !r.NextDue.IsZero() {
		dst = append(dst, `,"next_due":"`...)
		dst = r.NextDue.UTC().AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"receipt_verified":`...)
	dst = strconv.AppendBool(dst, r.Receipt)
	return append(dst, '}')
}

// appendQuoted appends s as a JSON string, invalid UTF-8 replaced by
// U+FFFD (jsontext.AppendQuote; the error only reports that replacement).
func appendQuoted(dst []byte, s string) []byte {
	dst, _ = jsontext.AppendQuote(dst, s)
	return dst
}

// appendField appends ,"name":"value" with value as a JSON string.
func appendField(dst []byte, name, v string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendQuoted(dst, v)
}

// recordJSON is Record's wire form for decoding.
type recordJSON struct {
	Merchant   string    `json:"merchant"`
	Endpoint   string    `json:"endpoint"`
	Kind       string    `json:"kind"`
	MessageID  string    `json:"message_id"`
	EventID    string    `json:"event_id"`
	Key        string    `json:"key"`
	Attempt    int       `json:"attempt"`
	Result     string    `json:"result"`
	Reason     string    `json:"reason"`
	Status     int       `json:"status"`
	DurationUS int64     `json:"duration_us"`
	Time       time.Time `json:"time"`
	NextDue    time.Time `json:"next_due"`
	Receipt    bool      `json:"receipt_verified"`
}

// Parse decodes a record written by AppendJSON. It fails on malformed
// JSON and on a record without merchant, endpoint, message id or time.
func Parse(b []byte) (Record, error) {
	var j recordJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Record{}, fmt.Errorf("attemptlog: decode record: %w", err)
	}
	if j.Merchant == "" || j.Endpoint == "" || j.MessageID == "" || j.Time.IsZero() {
		return Record{}, errors.New("attemptlog: record lacks merchant, endpoint, message_id or time")
	}
	return Record{
		Merchant: j.Merchant, Endpoint: j.Endpoint, Kind: j.Kind, MessageID: j.MessageID,
		EventID: j.EventID, Key: j.Key, Attempt: j.Attempt, Result: j.Result, Reason: j.Reason,
		Status: j.Status, Duration: time.Duration(j.DurationUS) * time.Microsecond,
		Time: j.Time, NextDue: j.NextDue, Receipt: j.Receipt,
	}, nil
}

// MarshalJSON encodes r as AppendJSON does (durations in microseconds).
func (r Record) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }
