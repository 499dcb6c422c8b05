package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
)

// CeilingOptions configures Ceiling.
type CeilingOptions struct {
	// Duration is the measured time; Warmup runs before it, unmeasured.
	Duration, Warmup time.Duration
	// Concurrency is the number of requests in flight.
	Concurrency int
}

// CeilingResult is what a bare signing sender achieved against the
// endpoints: the machine's reference for the gateway's throughput.
type CeilingResult struct {
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	// Requests counts receipts verified in the measured time; Failures
	// requests without one.
	Requests int64            `json:"requests"`
	Failures int64            `json:"failures"`
	PerSec   float64          `json:"per_sec"`
	Latency  Latency          `json:"latency"`
	Usage    map[string]Usage `json:"cpu"`
}

// ceilingAlgorithms are the signatures sent, the gateway's default.
var ceilingAlgorithms = signer.SetOf(signer.SHA256, signer.SHA3256)

// Ceiling runs a bare signing sender against the run's endpoints (before
// the gateway starts): Concurrency goroutines, each signing every request
// afresh with signer.AppendSignedForm and posting it over a keep-alive
// net/http client, round robin over the endpoints, checking every receipt.
func (h *Harness) Ceiling(ctx context.Context, o CeilingOptions) (CeilingResult, error) {
	bases, err := h.ceilingFields()
	if err != nil {
		return CeilingResult{}, err
	}
	urls := URLs(h.Collector.Addrs())
	tr := &http.Transport{MaxIdleConns: 4 * o.Concurrency, MaxIdleConnsPerHost: 4 * o.Concurrency, DisableCompression: true}
	defer tr.CloseIdleConnections()
	s := &ceilingRun{client: &http.Client{Transport: tr, Timeout: 10 * time.Second}, urls: urls, bases: bases, h: h}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Go(func() { s.loop(ctx) })
	}
	time.Sleep(o.Warmup)
	before := h.Snapshot()
	s.measuring.Store(true)
	time.Sleep(o.Duration)
	s.measuring.Store(false)
	after := h.Snapshot()
	cancel()
	wg.Wait()
	secs := after.At.Sub(before.At).Seconds()
	return CeilingResult{Concurrency: o.Concurrency, Seconds: round(secs, 3), Requests: s.ok.Load(),
		Failures: s.failed.Load(), PerSec: round(float64(s.ok.Load())/secs, 1), Latency: Summarize(s.latencies),
		Usage: UsageBetween(before, after)}, nil
}

// ceilingBase is one merchant's notification of one kind, ready to sign.
type ceilingBase struct {
	kind   signer.Kind
	key    []byte
	fields signer.Fields
}

// ceilingFields builds, per endpoint, an LCN and an IPN notification of
// its merchant from the run's example events.
func (h *Harness) ceilingFields() ([][2]ceilingBase, error) {
	var out [][2]ceilingBase
	for _, r := range h.Topo.Flat() {
		mer := h.Topo.Merchants[r.Merchant]
		var pair [2]ceilingBase
		for i, kind := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
			fs, err := buildExample(h.Events, kind, mer.Vendor)
			if err != nil {
				return nil, err
			}
			pair[i] = ceilingBase{kind: kind, key: []byte(mer.Key), fields: fs}
		}
		out = append(out, pair)
	}
	return out, nil
}

// buildExample builds the first example of kind for vendor as the gateway
// would with the default layout and time zone.
func buildExample(e *Events, kind signer.Kind, vendor string) (signer.Fields, error) {
	ts := e.lcn
	if kind == signer.KindIPN {
		ts = e.ipn
	}
	data := ts[0].render(nil, e.RunID+"-ceiling", vendor)
	if kind == signer.KindLCN {
		ev, err := lcn.Decode(data)
		if err == nil {
			err = ev.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("loadtest: ceiling notification: %w", err)
		}
		return lcn.Build(ev, lcn.Options{})
	}
	ev, err := ipn.Decode(data)
	if err == nil {
		err = ev.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("loadtest: ceiling notification: %w", err)
	}
	return ipn.Build(ev, ipn.Options{})
}

// ceilingRun is the shared state of the sender's goroutines.
type ceilingRun struct {
	h         *Harness
	client    *http.Client
	urls      []string
	bases     [][2]ceilingBase
	seq       atomic.Int64
	measuring atomic.Bool
	ok        atomic.Int64
	failed    atomic.Int64
	mu        sync.Mutex
	latencies []int64
}

// loop sends until ctx ends; requests are numbered across goroutines, so
// MESSAGE_IDs never repeat.
func (s *ceilingRun) loop(ctx context.Context) {
	type prepared struct {
		fields signer.Fields
		signer *signer.Signer
		kind   signer.Kind
	}
	mine := make([][2]prepared, len(s.bases))
	for i, pair := range s.bases {
		for k, b := range pair {
			mine[i][k] = prepared{fields: b.fields.Clone(), signer: signer.New(b.key), kind: b.kind}
		}
	}
	var body, resp []byte
	for ctx.Err() == nil {
		n := int(s.seq.Add(1))
		ep := n % len(s.urls)
		p := mine[ep][0]
		if s.h.Events.Kind(n) == signer.KindIPN {
			p = mine[ep][1]
		}
		p.fields.Set("MESSAGE_ID", strconv.Itoa(1_000_000_000+n))
		body = p.signer.AppendSignedForm(body[:0], p.fields, ceilingAlgorithms)
		start := time.Now()
		var err error
		resp, err = s.post(ctx, s.urls[ep], body, resp[:0])
		if err == nil {
			_, err = p.signer.CheckReceipt(resp, p.kind, p.fields, ceilingAlgorithms)
		}
		s.count(err, time.Since(start))
	}
}

func (s *ceilingRun) count(err error, took time.Duration) {
	if !s.measuring.Load() {
		return
	}
	if err != nil {
		s.failed.Add(1)
		return
	}
	s.ok.Add(1)
	s.mu.Lock()
	s.latencies = append(s.latencies, int64(took))
	s.mu.Unlock()
}

// post sends body and appends the response body to dst.
func (s *ceilingRun) post(ctx context.Context, url string, body, dst []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return dst, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return dst, err
	}
	defer resp.Body.Close()
	buf := bytes.NewBuffer(dst)
	_, err = buf.ReadFrom(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return buf.Bytes(), err
}
