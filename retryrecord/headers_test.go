package retryrecord

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

func sampleRecord() pipeline.State {
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 890, time.UTC)
	return pipeline.State{
		Attempt: 3, Requests: 7, First: t0, Due: t0.Add(20 * time.Minute), Enqueued: t0.Add(5 * time.Minute),
		Kind: signer.KindIPN, Merchant: "250111206876", Endpoint: "main", MessageID: "123456789",
		EventID: "evt-1", LastReason: "status_5xx", LastStatus: 503, LastError: "503 Service Unavailable",
		Busy: 2,
	}
}

func TestRetryRecordRoundTrip(t *testing.T) {
	want := sampleRecord()
	got, err := Decode(Encode(want))
	if err != nil {
		t.Fatal(err)
	}
	if !got.First.Equal(want.First) || !got.Due.Equal(want.Due) || !got.Enqueued.Equal(want.Enqueued) {
		t.Errorf("times: got %v/%v/%v, want %v/%v/%v", got.First, got.Due, got.Enqueued, want.First, want.Due, want.Enqueued)
	}
	got.First, got.Due, got.Enqueued = want.First, want.Due, want.Enqueued
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestRetryRecordHeaderValues(t *testing.T) {
	h := Map(Encode(sampleRecord()))
	want := map[string]string{
		HeaderAttempt: "3", HeaderRequests: "7", HeaderFirst: "2026-03-04T05:06:07.00000089Z",
		HeaderDue: "2026-03-04T05:26:07.00000089Z", HeaderKind: "ipn", HeaderMerchant: "250111206876",
		HeaderEndpoint: "main", HeaderMessageID: "123456789", HeaderEventID: "evt-1",
		HeaderLastReason: "status_5xx", HeaderLastStatus: "503", HeaderBusy: "2",
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("%s = %q, want %q", k, h[k], v)
		}
	}
}

func TestParseRetryRecordRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(map[string]string)
		field  string
	}{
		{"no attempt", func(h map[string]string) { delete(h, HeaderAttempt) }, HeaderAttempt},
		{"negative attempt", func(h map[string]string) { h[HeaderAttempt] = "-1" }, HeaderAttempt},
		{"bad due", func(h map[string]string) { h[HeaderDue] = "tomorrow" }, HeaderDue},
		{"bad kind", func(h map[string]string) { h[HeaderKind] = "sms" }, HeaderKind},
		{"no endpoint", func(h map[string]string) { delete(h, HeaderEndpoint) }, HeaderEndpoint},
		{"bad busy count", func(h map[string]string) { h[HeaderBusy] = "many" }, HeaderBusy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Map(Encode(sampleRecord()))
			tt.mutate(h)
			var hs []kafka.Header
			for k, v := range h {
				hs = append(hs, Header(k, v))
			}
			_, err := Decode(hs)
			if !errors.Is(err, ErrBad) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want ErrBad naming %s", err, tt.field)
			}
		})
	}
}

// TestRetryRecordWithoutBusy reads a record written before the busy
// count existed: no hand-off in a row.
func TestRetryRecordWithoutBusy(t *testing.T) {
	var hs []kafka.Header
	for _, h := range Encode(sampleRecord()) {
		if h.Key != HeaderBusy {
			hs = append(hs, h)
		}
	}
	r, err := Decode(hs)
	if err != nil || r.Busy != 0 {
		t.Fatalf("busy %d, err %v; want 0, nil", r.Busy, err)
	}
}

func TestCarriedHeaders(t *testing.T) {
	hs := append([]kafka.Header{Header("traceparent", "00-abc"), Header(HeaderSourceTopic, "orders")},
		Encode(sampleRecord())...)
	hs = append(hs, Dead(DeadDelivery, "x", "y", time.Now())...)
	got := Carried(hs)
	if len(got) != 2 || got[0].Key != "traceparent" || got[1].Key != HeaderSourceTopic {
		t.Errorf("carried %v, want traceparent and the source topic", got)
	}
}

// BenchmarkRetryHeaders renders the headers of a retry record, behind the
// source record's own, and reads them back, as a notification's trip
// through a retry tier does.
func BenchmarkRetryHeaders(b *testing.B) {
	rec := sampleRecord()
	src := &kafka.Message{Topic: "lcngw.subscriptions", Partition: 3, Offset: 123456,
		Headers: []kafka.Header{{Key: "loadtest-seq", Value: []byte("42")}}}
	b.ReportAllocs()
	for b.Loop() {
		hs := append(Source(src), Encode(rec)...)
		if _, err := Decode(hs); err != nil {
			b.Fatal(err)
		}
		_ = Carried(hs)
	}
}

// TestHeadersRender: the headers the gateway writes are, key by key and
// byte for byte, the plain renderings of their values, whatever buffer
// they were rendered in.
func TestHeadersRender(t *testing.T) {
	rec := sampleRecord()
	rec.LastError = "line one\nline two \xff" // clipped and cleaned
	unpublished := rec
	rec.Published = rec.First.Add(-time.Second)
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600))
	src := &kafka.Message{Topic: "lcngw.orders", Partition: 7, Offset: 1 << 40, Headers: []kafka.Header{
		{Key: "trace", Value: []byte("t-1")}, {Key: HeaderAttempt, Value: []byte("9")}, {Key: "b", Value: nil}}}
	want := func(r pipeline.State) []kafka.Header {
		return []kafka.Header{
			Header(HeaderAttempt, strconv.Itoa(r.Attempt)), Header(HeaderRequests, strconv.Itoa(r.Requests)),
			Header(HeaderFirst, formatTime(r.First)), Header(HeaderDue, formatTime(r.Due)),
			Header(HeaderEnqueued, formatTime(r.Enqueued)), Header(HeaderPublished, formatTime(r.Published)),
			Header(HeaderKind, r.Kind.String()), Header(HeaderMerchant, r.Merchant),
			Header(HeaderEndpoint, r.Endpoint), Header(HeaderMessageID, r.MessageID),
			Header(HeaderEventID, r.EventID), Header(HeaderLastReason, r.LastReason),
			Header(HeaderLastStatus, strconv.Itoa(r.LastStatus)),
			Header(HeaderLastError, pipeline.Clip(r.LastError, MaxText)),
			Header(HeaderBusy, strconv.Itoa(r.Busy)),
		}
	}
	tests := []struct {
		name      string
		got, want []kafka.Header
	}{
		{"retry record", Encode(rec), want(rec)},
		{"retry record, unpublished", Encode(unpublished), want(unpublished)},
		{"source", Source(src), []kafka.Header{src.Headers[0], src.Headers[2],
			Header(HeaderSourceTopic, "lcngw.orders"), Header(HeaderSourcePartition, "7"),
			Header(HeaderSourceOffset, "1099511627776")}},
		{"dead letter", Dead(DeadDelivery, pipeline.ReasonExhausted, "every attempt\tfailed", now), []kafka.Header{
			Header(HeaderDeadLetter, DeadDelivery), Header(HeaderReason, pipeline.ReasonExhausted),
			Header(HeaderDetail, "every attempt failed"), Header(HeaderFailedAt, "2026-03-04T04:06:07Z")}},
	}
	for _, tt := range tests {
		if len(tt.got) != len(tt.want) {
			t.Errorf("%s: %d headers, want %d", tt.name, len(tt.got), len(tt.want))
			continue
		}
		for i := range tt.want {
			if g, w := tt.got[i], tt.want[i]; g.Key != w.Key || string(g.Value) != string(w.Value) {
				t.Errorf("%s: header %d is %s=%q, want %s=%q", tt.name, i, g.Key, g.Value, w.Key, w.Value)
			}
		}
	}
}

// TestParseRetryRecordLastWins: of repeated headers, the last counts, and
// headers that are not the gateway's are ignored.
func TestParseRetryRecordLastWins(t *testing.T) {
	hs := append([]kafka.Header{Header("trace", "x")}, Encode(sampleRecord())...)
	hs = append(hs, Header(HeaderAttempt, "5"), Header(HeaderMerchant, "OTHER"), Header("lcngw-unknown", "y"))
	rec, err := Decode(hs)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Attempt != 5 || rec.Merchant != "OTHER" || rec.Endpoint != "main" {
		t.Errorf("got attempt %d merchant %q endpoint %q, want 5, OTHER, main", rec.Attempt, rec.Merchant, rec.Endpoint)
	}
}

// TestPublishedTravelsWithRetries: the source timestamp survives a retry
// record's headers, and records without it still parse.
func TestPublishedTravelsWithRetries(t *testing.T) {
	pub := time.Date(2026, 11, 22, 11, 59, 58, 123456789, time.UTC)
	r := pipeline.State{Attempt: 1, First: pub.Add(time.Second), Published: pub, Due: pub.Add(time.Minute),
		Enqueued: pub.Add(2 * time.Second), Kind: 1, Merchant: "m", Endpoint: "e"}
	got, err := Decode(Encode(r))
	if err != nil || !got.Published.Equal(pub) {
		t.Fatalf("Published = %v, %v; want %v", got.Published, err, pub)
	}
	var without []kafka.Header
	for _, h := range Encode(r) {
		if h.Key != HeaderPublished {
			without = append(without, h)
		}
	}
	got, err = Decode(without)
	if err != nil || !got.Published.IsZero() {
		t.Fatalf("without header: Published = %v, %v", got.Published, err)
	}
}
