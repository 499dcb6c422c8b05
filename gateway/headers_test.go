package gateway

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/signer"
)

func sampleRecord() retryRecord {
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 890, time.UTC)
	return retryRecord{
		Attempt: 3, Requests: 7, First: t0, Due: t0.Add(20 * time.Minute), Enqueued: t0.Add(5 * time.Minute),
		Kind: signer.KindIPN, Merchant: "250111206876", Endpoint: "main", MessageID: "123456789",
		EventID: "evt-1", LastReason: "status_5xx", LastStatus: 503, LastError: "503 Service Unavailable",
	}
}

func TestRetryRecordRoundTrip(t *testing.T) {
	want := sampleRecord()
	got, err := parseRetryRecord(want.headers())
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
	h := headerMap(sampleRecord().headers())
	want := map[string]string{
		HeaderAttempt: "3", HeaderRequests: "7", HeaderFirst: "2026-03-04T05:06:07.00000089Z",
		HeaderDue: "2026-03-04T05:26:07.00000089Z", HeaderKind: "ipn", HeaderMerchant: "250111206876",
		HeaderEndpoint: "main", HeaderMessageID: "123456789", HeaderEventID: "evt-1",
		HeaderLastReason: "status_5xx", HeaderLastStatus: "503",
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := headerMap(sampleRecord().headers())
			tt.mutate(h)
			var hs []kafka.Header
			for k, v := range h {
				hs = append(hs, header(k, v))
			}
			_, err := parseRetryRecord(hs)
			if !errors.Is(err, errBadRetryRecord) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want errBadRetryRecord naming %s", err, tt.field)
			}
		})
	}
}

func TestCarriedHeaders(t *testing.T) {
	hs := append([]kafka.Header{header("traceparent", "00-abc"), header(HeaderSourceTopic, "orders")},
		sampleRecord().headers()...)
	hs = append(hs, deadHeaders(DeadDelivery, "x", "y", time.Now())...)
	got := carriedHeaders(hs)
	if len(got) != 2 || got[0].Key != "traceparent" || got[1].Key != HeaderSourceTopic {
		t.Errorf("carried %v, want traceparent and the source topic", got)
	}
}

func TestClipText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"line\none\x00", 20, "line one "},
		{"héllo wörld", 2, "h…"}, // never cuts inside é
		{"héllo wörld", 3, "hé…"},
		{"bad\xffutf8", 20, "bad?utf8"},
	}
	for _, tt := range tests {
		if got := clipText(tt.in, tt.n); got != tt.want {
			t.Errorf("clipText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
