package endpoints

import (
	"errors"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/lcngw/lcngw/signer"
)

func healthy() Endpoint { return Endpoint{Vendor: vendor, SecretEnv: secretEnv} }

// TestAcknowledgedNotificationIsReported posts a signed LCN: the answer is
// a receipt that verifies, and the stream reports its MESSAGE_ID with a
// time taken while the request was in flight.
func TestAcknowledgedNotificationIsReported(t *testing.T) {
	urls, out := serveSpec(t, &Spec{Endpoints: []Endpoint{healthy(), healthy()}})
	fs := notification(t)
	before := time.Now().UnixNano()
	status, body, err := post(t, http.DefaultClient, urls[1], signedBody(testKey, fs))
	after := time.Now().UnixNano()
	if err != nil || status != http.StatusOK {
		t.Fatalf("status %d, error %v", status, err)
	}
	if _, err := signer.New(testKey).CheckReceipt(body, signer.KindLCN, fs, signer.AllAlgorithms); err != nil {
		t.Fatalf("receipt %q: %v", body, err)
	}
	mid, _ := fs.Get("MESSAGE_ID")
	want, _ := strconv.ParseUint(mid, 10, 64)
	r := waitRecord(t, out, Delivered)
	if r.Endpoint != 1 || r.MessageID != want || r.At < before || r.At > after {
		t.Fatalf("record %+v; want endpoint 1, MESSAGE_ID %d, time within the request", r, want)
	}
}

// TestRejections covers what the middleware refuses: no receipt, a
// Rejected record with the status, never a Delivered one.
func TestRejections(t *testing.T) {
	urls, out := serveSpec(t, &Spec{Endpoints: []Endpoint{healthy()}})
	fs := notification(t)
	other := fs.Clone()
	other.Set("VENDOR_CODE", "SOMEONE-ELSE")
	tests := []struct {
		name string
		body []byte
	}{
		{"wrong key", signedBody([]byte("another key"), fs)},
		{"unsigned", signer.AppendForm(nil, fs)},
		{"unknown vendor", signedBody(testKey, other)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, err := post(t, http.DefaultClient, urls[0], tt.body)
			if err != nil || status != http.StatusForbidden {
				t.Fatalf("status %d, error %v; want 403", status, err)
			}
		})
	}
	deadline := time.Now().Add(2 * time.Second)
	for count(out.records(t), Rejected) < len(tests) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	recs := out.records(t)
	if n := count(recs, Rejected); n != len(tests) {
		t.Fatalf("%d rejections reported, want %d", n, len(tests))
	}
	if n := count(recs, Delivered); n != 0 {
		t.Fatalf("%d deliveries reported for refused requests", n)
	}
}

// TestFaults makes each fault certain in turn and checks what a sender
// sees and what the stream reports.
func TestFaults(t *testing.T) {
	fs := notification(t)
	client := &http.Client{Timeout: 300 * time.Millisecond}
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, status int, body []byte, err error)
	}{
		{Fault5xx, Faults{Status5xx: 1}, wantStatus(http.StatusServiceUnavailable)},
		{FaultHang, Faults{Hang: 1, HangFor: 600 * time.Millisecond}, wantTimeout},
		{FaultReset, Faults{Reset: 1}, wantReset},
		{FaultWrongReceipt, Faults{WrongReceipt: 1}, func(t *testing.T, status int, body []byte, err error) {
			wantStatus(http.StatusOK)(t, status, body, err)
			_, err = signer.New(testKey).CheckReceipt(body, signer.KindLCN, fs, signer.AllAlgorithms)
			if !errors.Is(err, signer.ErrReceiptMismatch) {
				t.Fatalf("receipt check: %v, want a mismatch", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := healthy()
			ep.Faults = tt.faults
			urls, out := serveSpec(t, &Spec{Endpoints: []Endpoint{ep}})
			status, body, err := post(t, client, urls[0], signedBody(testKey, fs))
			tt.check(t, status, body, err)
			if r := waitRecord(t, out, Faulted); r.Fault != tt.name {
				t.Fatalf("fault %q reported, want %q", r.Fault, tt.name)
			}
			if n := count(out.records(t), Delivered); n != 0 {
				t.Fatalf("a faulted request was reported delivered")
			}
		})
	}
}

func TestLatencyDelaysTheReceipt(t *testing.T) {
	ep := healthy()
	ep.Latency = 150 * time.Millisecond
	urls, _ := serveSpec(t, &Spec{Endpoints: []Endpoint{ep}})
	start := time.Now()
	status, _, err := post(t, http.DefaultClient, urls[0], signedBody(testKey, notification(t)))
	if err != nil || status != http.StatusOK {
		t.Fatalf("status %d, error %v", status, err)
	}
	if took := time.Since(start); took < ep.Latency {
		t.Fatalf("answered after %v, before the latency of %v", took, ep.Latency)
	}
}

func wantStatus(want int) func(*testing.T, int, []byte, error) {
	return func(t *testing.T, status int, _ []byte, err error) {
		t.Helper()
		if err != nil || status != want {
			t.Fatalf("status %d, error %v; want %d", status, err, want)
		}
	}
}

func wantTimeout(t *testing.T, _ int, _ []byte, err error) {
	t.Helper()
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatalf("error %v, want a client timeout", err)
	}
}

func wantReset(t *testing.T, status int, _ []byte, err error) {
	t.Helper()
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("status %d, error %v; want a connection reset", status, err)
	}
}

func count(recs []Record, kind byte) int {
	n := 0
	for _, r := range recs {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// waitRecord waits for the first record of kind.
func waitRecord(t *testing.T, out *lockedBuffer, kind byte) Record {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range out.records(t) {
			if r.Kind == kind {
				return r
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %q record", kind)
	return Record{}
}
