package gateway_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/signer"
)

// fastReceiver is a tuned merchant endpoint: it verifies every signature
// with pooled decoders and signers and answers a SHA3-256 read receipt, so
// that the gateway, not the receiver, dominates a pipeline benchmark.
type fastReceiver struct {
	pool      sync.Pool // *verifier
	delivered atomic.Int64
	failed    atomic.Int64
	first     atomic.Int64 // unix nanoseconds of the first delivery
	// stamps, when set, records when each MESSAGE_ID was first delivered.
	mu     sync.Mutex
	stamps map[string]time.Time
}

type verifier struct {
	body    bytes.Buffer
	dec     signer.Decoder
	signer  *signer.Signer
	receipt []byte
}

func newFastReceiver() *fastReceiver {
	r := &fastReceiver{}
	r.pool.New = func() any { return &verifier{signer: signer.New(testKey)} }
	return r
}

func (r *fastReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	v := r.pool.Get().(*verifier)
	defer r.pool.Put(v)
	v.body.Reset()
	if _, err := v.body.ReadFrom(req.Body); err != nil {
		r.fail(w)
		return
	}
	fs, err := v.dec.Decode(v.body.Bytes())
	if err != nil {
		r.fail(w)
		return
	}
	res, err := v.signer.Verify(fs, signer.Policy{})
	if err != nil {
		r.fail(w)
		return
	}
	now := time.Now()
	v.receipt, err = v.signer.AppendReceipt(v.receipt[:0], signer.DetectKind(fs), fs, res.Strongest, signer.ReceiptDate(now))
	if err != nil {
		r.fail(w)
		return
	}
	r.first.CompareAndSwap(0, now.UnixNano())
	r.delivered.Add(1)
	if r.stamps != nil {
		mid, _ := fs.Get("MESSAGE_ID") // valid until the decoder's next body
		r.mu.Lock()
		if _, ok := r.stamps[mid]; !ok {
			r.stamps[strings.Clone(mid)] = now
		}
		r.mu.Unlock()
	}
	_, _ = w.Write(v.receipt)
}

func (r *fastReceiver) fail(w http.ResponseWriter) {
	r.failed.Add(1)
	http.Error(w, "rejected", http.StatusForbidden)
}

// cpuNow returns the process's user+system CPU time.
func cpuNow(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPipeline measures the whole path on an in-process cluster: b.N
// events already in Kafka (every one with its own key), decoded, built,
// signed, delivered to a verifying endpoint whose read receipts are
// checked, and their offsets committed. The clock starts at the first
// delivery, so joining the group is left out. It reports deliveries per
// second, the rate until every offset is committed, and the process CPU
// (gateway, cluster and endpoint together) per notification.
func BenchmarkPipeline(b *testing.B) {
	b.Run("lcn", func(b *testing.B) { runPipeline(b, signer.KindLCN) })
	b.Run("mixed", func(b *testing.B) { runPipeline(b, signer.KindUnknown) })
}

func runPipeline(b *testing.B, only signer.Kind) {
	kc := kafkatest.New(b)
	kc.CreateTopics(8, testTopics.LCN, testTopics.IPN)
	kc.CreateTopics(2, testTopics.Retry+".50ms", testTopics.Retry+".250ms")
	kc.CreateTopics(1, testTopics.DeadLetter)
	rcv := newFastReceiver()
	srv := httptest.NewServer(rcv)
	b.Cleanup(srv.Close)
	e := &env{kc: kc, benchURL: srv.URL}

	w := kc.Writer()
	w.BatchSize = 1000
	if err := w.WriteMessages(b.Context(), pipelineEvents(b, only, b.N)...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	run := e.startPipeline(b)
	kafkatest.Eventually(b, time.Minute, "nothing delivered", func() bool { return rcv.delivered.Load() > 0 })
	cpu0, n0 := cpuNow(b), rcv.delivered.Load()
	t0 := time.Unix(0, rcv.first.Load())
	kafkatest.Eventually(b, 5*time.Minute, "backlog not delivered", func() bool { return rcv.delivered.Load() >= int64(b.N) })
	t1, cpu1 := time.Now(), cpuNow(b)
	waitAllCommitted(b, kc, "gw", testTopics.LCN, testTopics.IPN)
	t2 := time.Now()
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)
	if f := rcv.failed.Load(); f > 0 {
		b.Fatalf("%d deliveries rejected by the endpoint", f)
	}
	if n := kc.Count(testTopics.DeadLetter); n > 0 {
		b.Fatalf("%d dead letters", n)
	}
	b.ReportMetric(float64(b.N)/t1.Sub(t0).Seconds(), "delivered/s")
	b.ReportMetric(float64(b.N)/t2.Sub(t0).Seconds(), "committed/s")
	if n := int64(b.N) - n0; n > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n)/1e3, "cpu-µs/notif")
	}
}

// pipelineEvents returns n valid events with unique IDs and keys: LCN
// only, or LCN and IPN alternating when only is KindUnknown. Each example
// is encoded once and its ID replaced, so preparing a large backlog is
// cheap.
func pipelineEvents(b *testing.B, only signer.Kind, n int) []kafka.Message {
	const placeholder = "PIPELINE-EVENT-ID"
	type tmpl struct {
		kind  signer.Kind
		topic string
		doc   []byte
	}
	var ts []tmpl
	for _, k := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
		if only != signer.KindUnknown && k != only {
			continue
		}
		topic := testTopics.LCN
		if k == signer.KindIPN {
			topic = testTopics.IPN
		}
		for _, name := range examples[k] {
			ts = append(ts, tmpl{k, topic, eventJSON(b, k, name, placeholder)})
		}
	}
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		t := ts[i%len(ts)]
		id := pipelineID(n, i)
		msgs[i] = kafka.Message{Topic: t.topic, Key: fmt.Appendf(nil, "sub-%d", i),
			Value: bytes.Replace(t.doc, []byte(placeholder), []byte(id), 1)}
	}
	return msgs
}

// pipelineID is the event ID of the i-th of n pipeline events.
func pipelineID(n, i int) string { return fmt.Sprintf("pipe-%d-%d", n, i) }

func (e *env) startPipeline(b *testing.B) *running {
	dir := merchants(endpoint("main", e.benchURL+"/", config.BothKinds, signer.SetOf(signer.SHA256, signer.SHA3256)))
	dir[vendor].Endpoints[0].MaxConcurrency = 64
	opts := e.options(dir, sender())
	opts.MaxInFlight = 512
	return e.startTB(b, opts)
}

// waitAllCommitted waits until group has committed every record of topics.
func waitAllCommitted(b *testing.B, kc *kafkatest.Cluster, group string, topics ...string) {
	for _, topic := range topics {
		end := kc.EndOffsets(topic)
		kafkatest.Eventually(b, time.Minute, "group "+group+" did not commit all of "+topic, func() bool {
			got := kc.Committed(group, topic)
			for p, o := range end {
				if o > 0 && got[p] != o {
					return false
				}
			}
			return true
		})
	}
}

// BenchmarkPipelineLatency paces LCN events into Kafka at a fixed rate
// while the gateway runs and reports the latency from the write to the
// verified delivery (median and 99th percentile), the rate achieved and
// the process CPU (gateway, cluster, producer and endpoint together) per
// notification, which grows as the rate falls.
func BenchmarkPipelineLatency(b *testing.B) {
	for _, rate := range []int{1000, 4000, 8000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) { paced(b, rate) })
	}
}

func paced(b *testing.B, rate int) {
	kc := kafkatest.New(b)
	kc.CreateTopics(8, testTopics.LCN, testTopics.IPN)
	kc.CreateTopics(2, testTopics.Retry+".50ms", testTopics.Retry+".250ms")
	kc.CreateTopics(1, testTopics.DeadLetter)
	rcv := newFastReceiver()
	rcv.stamps = make(map[string]time.Time, b.N+1)
	srv := httptest.NewServer(rcv)
	b.Cleanup(srv.Close)
	e := &env{kc: kc, benchURL: srv.URL}
	msgs := pipelineEvents(b, signer.KindLCN, b.N+1)
	w := kc.Writer()
	w.BatchTimeout = 200 * time.Microsecond
	run := e.startPipeline(b)
	if err := w.WriteMessages(b.Context(), msgs[0]); err != nil { // the gateway joins and warms up
		b.Fatal(err)
	}
	kafkatest.Eventually(b, time.Minute, "warm-up event not delivered", func() bool { return rcv.delivered.Load() == 1 })
	msgs = msgs[1:]

	b.ResetTimer()
	cpu0 := cpuNow(b)
	sent := paceWrites(b, w, msgs, rate)
	kafkatest.Eventually(b, time.Minute, "paced events not delivered", func() bool { return rcv.delivered.Load() >= int64(b.N+1) })
	cpu1 := cpuNow(b)
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)

	lat := make([]time.Duration, 0, b.N)
	rcv.mu.Lock()
	for i := range msgs {
		at, ok := rcv.stamps[idOf(pipelineID(b.N+1, i+1))]
		if !ok {
			b.Fatalf("event %d not delivered", i+1)
		}
		lat = append(lat, at.Sub(sent[i]))
	}
	rcv.mu.Unlock()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N)/sent[len(sent)-1].Sub(sent[0]).Seconds(), "sent/s")
	b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e3, "cpu-µs/notif")
}

// paceWrites writes msgs at rate per second, one batch per millisecond
// from several writers, and returns when each message was handed over.
func paceWrites(b *testing.B, w *kafka.Writer, msgs []kafka.Message, rate int) []time.Time {
	sent := make([]time.Time, len(msgs))
	batches := make(chan []int, 64)
	var wg sync.WaitGroup
	for range 16 { // a write waits for its acknowledgement: enough writers to keep pace
		wg.Go(func() {
			for idx := range batches {
				batch := make([]kafka.Message, len(idx))
				for j, i := range idx {
					batch[j] = msgs[i]
				}
				if err := w.WriteMessages(b.Context(), batch...); err != nil {
					b.Error(err)
				}
			}
		})
	}
	start := time.Now()
	for next := 0; next < len(msgs); {
		due := int(float64(rate) * time.Since(start).Seconds())
		var idx []int
		for ; next < len(msgs) && next < due; next++ {
			idx = append(idx, next)
		}
		if len(idx) > 0 {
			now := time.Now()
			for _, i := range idx {
				sent[i] = now
			}
			batches <- idx
		}
		time.Sleep(time.Millisecond)
	}
	close(batches)
	wg.Wait()
	return sent
}
