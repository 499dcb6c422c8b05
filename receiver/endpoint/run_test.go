package endpoint_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/receiver/endpoint"
	"github.com/lcngw/lcngw/signer"
)

// TestRunLoopback sends every test notification twice over real loopback
// HTTP into Run: each answer carries a receipt that checks out, each
// notification is written and forwarded once, in wire order, and the
// admin listener reports it.
func TestRunLoopback(t *testing.T) {
	sink := &forwardSink{}
	fwd := httptest.NewServer(sink)
	defer fwd.Close()
	reg := newRegistry()
	s := start(t, endpoint.Options{ForwardURL: fwd.URL + "/hook?token=secret-token", Registry: reg})
	ns := notifications(t)
	if len(ns) < 3 {
		t.Fatalf("only %d notifications", len(ns))
	}
	if status, body := do(t, "GET", s.url+"/any/path", nil); status != 200 || body != "OK" {
		t.Errorf("URL check: %d %q", status, body)
	}
	for round := range 2 {
		for _, n := range ns {
			status, body := do(t, "POST", s.url+"/ipn-or-lcn", n.body)
			if status != 200 {
				t.Fatalf("%s round %d: status %d %q", n.name, round, status, body)
			}
			if _, err := signer.New(n.key).CheckReceipt([]byte(body), signer.DetectKind(n.fields), n.fields, signer.AllAlgorithms); err != nil {
				t.Errorf("%s round %d: receipt %q: %v", n.name, round, body, err)
			}
		}
	}
	tampered := bytes.Replace(ns[0].body, []byte("COMPLETE"), []byte("COMPLETF"), 1)
	if status, body := do(t, "POST", s.url+"/", tampered); status != 403 || body != "invalid signature" {
		t.Errorf("tampered: %d %q", status, body)
	}
	metrics := scrape(t, s.admin)
	for _, path := range []string{"/livez", "/readyz"} {
		if status, body := do(t, "GET", s.admin+path, nil); status != 200 || body != "ok\n" {
			t.Errorf("%s: %d %q", path, status, body)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}

	// Retries are handled once; D5 carries no MESSAGE_ID, so each of its
	// deliveries is new.
	expected := append([]notification(nil), ns...)
	for _, n := range ns {
		if n.fields.Index("MESSAGE_ID") < 0 {
			expected = append(expected, n)
		}
	}
	recs, fwds := readLines(t, s.out.String()), sink.received()
	if len(recs) != len(expected) || len(fwds) != len(expected) {
		t.Fatalf("%d lines, %d forwards for %d notifications", len(recs), len(fwds), len(expected))
	}
	for i, n := range expected {
		r := recs[i]
		if r.Duplicate || r.Kind != signer.DetectKind(n.fields).String() || r.ReceivedAt.IsZero() {
			t.Errorf("%s: record header %+v", n.name, r)
		}
		if got, want := signer.AppendForm(nil, fieldsOf(r).Unsigned()), signer.AppendForm(nil, n.fields); !bytes.Equal(got, want) {
			t.Errorf("%s: recorded fields differ from those sent", n.name)
		}
		var fr endpoint.Record
		if err := json.Unmarshal([]byte(fwds[i]), &fr); err != nil || fr.MessageID != r.MessageID || len(fr.Fields) != len(r.Fields) {
			t.Errorf("%s: forwarded %q (%v)", n.name, fwds[i], err)
		}
	}
	want := []string{
		`lcngw_receiver_duplicates_total{kind="lcn"}`,
		`lcngw_receiver_verifications_total{algorithm="sha3-256",kind="ipn",result="invalid"} 1`,
		`lcngw_receiver_request_duration_seconds_count`,
	}
	for _, w := range want {
		if !strings.Contains(metrics, w) {
			t.Errorf("metrics lack %s", w)
		}
	}
	for _, leak := range []string{"secret-token", string(testKey), "customer@", "Jürgen"} {
		if strings.Contains(s.logs.String(), leak) {
			t.Errorf("log contains %q", leak)
		}
	}
}

func scrape(t *testing.T, admin string) string {
	t.Helper()
	status, body := do(t, "GET", admin+"/metrics", nil)
	if status != 200 {
		t.Fatalf("/metrics: %d", status)
	}
	return body
}

// TestForwardFailureIsRetried: when forwarding fails the platform gets no
// receipt and nothing is recorded; its retry is then processed.
func TestForwardFailureIsRetried(t *testing.T) {
	sink := &forwardSink{fail: 1}
	fwd := httptest.NewServer(sink)
	defer fwd.Close()
	s := start(t, endpoint.Options{ForwardURL: fwd.URL})
	n := notifications(t)[1]
	if status, body := do(t, "POST", s.url, n.body); status != 502 || strings.Contains(body, "<sig") {
		t.Errorf("failed forward: %d %q", status, body)
	}
	if s.out.String() != "" {
		t.Errorf("recorded despite failure: %q", s.out.String())
	}
	for range 2 {
		if status, _ := do(t, "POST", s.url, n.body); status != 200 {
			t.Errorf("retry: %d", status)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if recs, fwds := readLines(t, s.out.String()), sink.received(); len(recs) != 1 || len(fwds) != 1 {
		t.Errorf("%d records, %d forwards; want 1 each", len(recs), len(fwds))
	}
}

// TestRecordDuplicates: retries are written marked as duplicates and not
// forwarded.
func TestRecordDuplicates(t *testing.T) {
	sink := &forwardSink{}
	fwd := httptest.NewServer(sink)
	defer fwd.Close()
	s := start(t, endpoint.Options{ForwardURL: fwd.URL, RecordDuplicates: true})
	n := notifications(t)[1]
	for range 3 {
		if status, _ := do(t, "POST", s.url, n.body); status != 200 {
			t.Fatalf("status %d", status)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	recs := readLines(t, s.out.String())
	if len(recs) != 3 || recs[0].Duplicate || !recs[1].Duplicate || !recs[2].Duplicate {
		t.Errorf("records: %+v", recs)
	}
	if len(sink.received()) != 1 {
		t.Errorf("%d forwards", len(sink.received()))
	}
}

// TestBodyLimit: the server refuses bodies over MaxBodySize with 413 and
// counts them.
func TestBodyLimit(t *testing.T) {
	s := start(t, endpoint.Options{MaxBodySize: 1024})
	if status, body := do(t, "POST", s.url, bytes.Repeat([]byte("A"), 4096)); status != 413 || strings.Contains(body, "<sig") {
		t.Errorf("large body: %d %q", status, body)
	}
	metrics := scrape(t, s.admin)
	if !strings.Contains(metrics, `lcngw_receiver_verifications_total{algorithm="none",kind="unknown",result="too_large"} 1`) {
		t.Errorf("too_large not counted:\n%s", metrics)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestOptionsValidation(t *testing.T) {
	for name, opts := range map[string]endpoint.Options{
		"no key":               {},
		"relative forward URL": {Secrets: [][]byte{testKey}, ForwardURL: "/hook"},
		"ftp forward URL":      {Secrets: [][]byte{testKey}, ForwardURL: "ftp://example.com/"},
		"bad listen address":   {Secrets: [][]byte{testKey}, Listen: "127.0.0.1:-1"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := endpoint.Run(t.Context(), opts); err == nil {
				t.Error("Run succeeded")
			}
		})
	}
}

// TestForwardErrorsRedactURL: a transport error is logged without the
// forward URL, which may carry credentials.
func TestForwardErrorsRedactURL(t *testing.T) {
	dead := httptest.NewServer(nil)
	target := dead.URL + "/hook?token=secret-token"
	dead.Close()
	s := start(t, endpoint.Options{ForwardURL: target})
	if status, _ := do(t, "POST", s.url, notifications(t)[1].body); status != 502 {
		t.Errorf("status %d", status)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "forward failed") || !strings.Contains(logs, "<redacted>") || strings.Contains(logs, "secret-token") {
		t.Errorf("logs: %s", logs)
	}
}

// TestServeFailureStopsRun: when the notification listener fails, Run
// returns the error and stops the admin listener too.
func TestServeFailureStopsRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	aln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // serving on a closed listener fails at once
	done := make(chan error, 1)
	go func() {
		done <- endpoint.Run(t.Context(), endpoint.Options{Secrets: [][]byte{testKey}, Listener: ln, AdminListener: aln})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "endpoint: serve") {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}
