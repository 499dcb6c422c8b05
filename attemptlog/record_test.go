package attemptlog

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

func sampleRecord() Record {
	return Record{
		Merchant: "MERCH1", Endpoint: "orders", Kind: "lcn", MessageID: "MSG-1",
		EventID: "ev-1", Key: "AD42B977BE", Attempt: 2, Result: ResultRetry,
		Reason: "status_5xx", Status: 503, Duration: 1500 * time.Microsecond,
		Time:    time.Date(2026, 12, 7, 2, 3, 4, 5000, time.UTC),
		NextDue: time.Date(2026, 12, 7, 2, 8, 4, 0, time.UTC),
	}
}

func TestRecordRoundTrip(t *testing.T) {
	delivered := sampleRecord()
	delivered.Result, delivered.Reason, delivered.Status, delivered.NextDue, delivered.Receipt = ResultDelivered, "ok", 200, time.Time{}, true
	odd := sampleRecord()
	odd.Key, odd.EventID, odd.Endpoint = "quote\" back\\slash \x01 ctl \xff bad é ü", "", "line\nbreak"
	minimal := Record{Merchant: "M", Endpoint: "e", MessageID: "m", Time: time.Unix(1, 0).UTC(), Result: ResultDead}
	for name, r := range map[string]Record{"retry": sampleRecord(), "delivered": delivered, "odd": odd, "minimal": minimal} {
		t.Run(name, func(t *testing.T) {
			b := r.AppendJSON(nil)
			if !json.Valid(b) {
				t.Fatalf("not JSON: %s", b)
			}
			got, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			want := r
			if name == "odd" {
				want.Key = "quote\" back\\slash \x01 ctl \ufffd bad é ü"
			}
			if !got.Time.Equal(want.Time) || !got.NextDue.Equal(want.NextDue) {
				t.Fatalf("times: got %v %v want %v %v", got.Time, got.NextDue, want.Time, want.NextDue)
			}
			got.Time, got.NextDue, want.Time, want.NextDue = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if got != want {
				t.Fatalf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestRecordState(t *testing.T) {
	r := sampleRecord()
	if s := r.State(); s != "retrying" {
		t.Fatalf("retry with next due: %s", s)
	}
	r.NextDue = time.Time{}
	if s := r.State(); s != "dead" {
		t.Fatalf("retry without next due: %s", s)
	}
	r.Result = ResultDelivered
	if s := r.State(); s != "delivered" {
		t.Fatalf("delivered: %s", s)
	}
}

func TestParseRejects(t *testing.T) {
	for name, in := range map[string]string{
		"not json":    `{"merchant":`,
		"no merchant": `{"endpoint":"e","message_id":"m","time":"2026-12-07T00:00:00Z"}`,
		"no time":     `{"merchant":"M","endpoint":"e","message_id":"m"}`,
		"bad time":    `{"merchant":"M","endpoint":"e","message_id":"m","time":"yesterday"}`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestRecordHasNoBody(t *testing.T) {
	var fields map[string]any
	r := sampleRecord()
	if err := json.Unmarshal(r.AppendJSON(nil), &fields); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"merchant": true, "endpoint": true, "kind": true, "message_id": true,
		"event_id": true, "key": true, "attempt": true, "result": true, "reason": true, "status": true,
		"duration_us": true, "time": true, "next_due": true, "receipt_verified": true}
	for k := range fields {
		if !allowed[k] {
			t.Errorf("unexpected field %q", k)
		}
	}
}

func TestFromAttempt(t *testing.T) {
	due := time.Unix(100, 0)
	for _, tt := range []struct {
		result pipeline.Verdict
		reason string
		due    time.Time
		want   string
		state  string
	}{
		{pipeline.Delivered, "ok", time.Time{}, ResultDelivered, "delivered"},
		{pipeline.Retry, "status_5xx", due, ResultRetry, "retrying"},
		{pipeline.Retry, pipeline.ReasonPaused, due, ResultWaiting, "retrying"},
		{pipeline.Dead, "status_410", time.Time{}, ResultDead, "dead"},
		{pipeline.Dead, pipeline.ReasonExhausted, time.Time{}, ResultDead, "dead"},
	} {
		a := pipeline.Attempt{Merchant: "M", Endpoint: "e", Kind: signer.KindLCN, MessageID: "1", Key: "AD42",
			Number: 3, Result: tt.result, Reason: tt.reason, NextDue: tt.due, Time: time.Unix(50, 0)}
		r := FromAttempt(&a)
		if r.Result != tt.want || r.State() != tt.state || r.Kind != "lcn" || r.Key != "AD42" || r.Attempt != 3 || r.Reason != tt.reason {
			t.Errorf("%v/%s: %+v", tt.result, tt.reason, r)
		}
	}
}
