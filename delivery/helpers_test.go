package delivery

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/signer"
)

// Vectors from the protocol notes (§8.1): key AABBCCDDEEFF.
var vectorKey = []byte("AABBCCDDEEFF")

const (
	// V5: LCN receipt, official example (MD5).
	lcnReceiptMD5 = `<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>`
	// D2: the same LCN message in SHA-256 and SHA3-256.
	lcnReceiptSHA256 = `<sig algo="sha256" date="20081117145935">cdd64ce75e6cf013a60291229c83063a5d903eae3bfa216e99aae8af65a055e8</sig>`
	lcnReceiptSHA3   = `<sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>`
	// V1: IPN receipt, official example (MD5).
	ipnReceiptMD5 = `<EPAYMENT>20050303123434|7bf97ed39681027d0c45aa45e3ea98f0</EPAYMENT>`
)

// lcnFields is the V5 notification (the fields its receipt signs, plus
// one that is not signed by the receipt).
func lcnFields() signer.Fields {
	var fs signer.Fields
	fs.Add("LICENSE_CODE", "3C343D0FAF")
	fs.Add("EXPIRATION_DATE", "2005-03-03")
	fs.Add("DISPATCH_REASON", "LICENCE_CHANGE")
	return fs
}

// ipnFields is the V1 notification.
func ipnFields() signer.Fields {
	var fs signer.Fields
	fs.AddArray("IPN_PID", "1")
	fs.AddArray("IPN_PNAME", "Software program")
	fs.Add("IPN_DATE", "20050303123434")
	return fs
}

// lcnRequest returns a signed LCN request for ep.
func lcnRequest(ep *Endpoint) *Request {
	fs := lcnFields()
	s := signer.New(ep.Key)
	body := s.AppendSignedForm(nil, fs, signer.SetOf(signer.SHA256, signer.SHA3256))
	return &Request{Endpoint: ep, Kind: signer.KindLCN, Fields: s.SignFields(fs, signer.SetOf(signer.SHA256, signer.SHA3256)), Body: body, Attempt: 1}
}

func testEndpoint(url string) *Endpoint {
	return &Endpoint{Merchant: "M1", Name: "main", URL: url, Key: vectorKey, Timeout: 5 * time.Second}
}

// loopbackConfig allows loopback destinations, as development mode does.
func loopbackConfig() ClientConfig {
	return ClientConfig{Guard: Guard{AllowLoopback: true}}
}

// newServer starts a loopback server closed at the end of the test.
func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// answer returns a handler writing status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// counted wraps h and counts its calls.
func counted(n *atomic.Int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}
}

// scripted answers each request with the next status of seq (the last
// one repeats); 200 answers carry the V5 receipt.
func scripted(seq ...int) http.HandlerFunc {
	var i atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		n := int(i.Add(1)) - 1
		status := seq[min(n, len(seq)-1)]
		body := ""
		if status == http.StatusOK {
			body = lcnReceiptMD5
		}
		answer(status, body)(w, r)
	}
}

// manualClock is a clock tests move by hand.
type manualClock struct{ now atomic.Int64 }

func newManualClock() *manualClock {
	c := &manualClock{}
	c.now.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}

func (c *manualClock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *manualClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// recordingTimer fires at once and records the waits asked for, so quick
// retries run without waiting and their intervals can be asserted.
type recordingTimer struct {
	waits []time.Duration
	c     chan time.Time
}

func newRecordingTimer() *recordingTimer { return &recordingTimer{c: make(chan time.Time, 1)} }

func (t *recordingTimer) Start(d time.Duration) {
	t.waits = append(t.waits, d)
	t.c <- time.Time{}
}
func (t *recordingTimer) Stop()               {}
func (t *recordingTimer) C() <-chan time.Time { return t.c }

// send is a Send with a test context.
func send(t testing.TB, s Sender, req *Request) Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Send(ctx, req)
}

// testMetrics returns the delivery metrics on a fresh registry.
func testMetrics(t testing.TB) (*Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

// metricValue returns the value of one series, written
// name{label="value",...} with labels sorted by name (a histogram's
// sample count as name_count{...}); 0 when absent.
func metricValue(t testing.TB, g prometheus.Gatherer, series string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName()+"="+strconv.Quote(lp.GetValue()))
			}
			key := ""
			if len(labels) > 0 {
				key = "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Histogram != nil && series == mf.GetName()+"_count"+key:
				return float64(m.GetHistogram().GetSampleCount())
			case series != mf.GetName()+key:
			case m.Counter != nil:
				return m.GetCounter().GetValue()
			case m.Gauge != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	return 0
}

// triedFunc is a Watcher of tries only.
type triedFunc func(*Endpoint, Outcome)

func (f triedFunc) Tried(ep *Endpoint, o Outcome)        { f(ep, o) }
func (triedFunc) BreakerChanged(*Endpoint, BreakerState) {}
