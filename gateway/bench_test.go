package gateway_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/signer"
)

// stampReceiver verifies every notification like a merchant would and
// records when each MESSAGE_ID was first delivered.
type stampReceiver struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (s *stampReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	fs, err := signer.ParseForm(body)
	sg := signer.New(testKey)
	var res signer.Result
	if err == nil {
		res, err = sg.Verify(fs, signer.Policy{})
	}
	if err != nil {
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	kind := signer.DetectKind(fs)
	mid, _ := fs.Get("MESSAGE_ID")
	receipt, _ := sg.AppendReceipt(nil, kind, fs, res.Strongest, signer.ReceiptDate(time.Now()))
	s.mu.Lock()
	if _, ok := s.seen[kind.String()+mid]; !ok {
		s.seen[kind.String()+mid] = time.Now()
	}
	s.mu.Unlock()
	_, _ = w.Write(receipt)
}

func (s *stampReceiver) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// BenchmarkBacklog measures end-to-end throughput: b.N events already in
// Kafka, every one with its own key, one verifying endpoint taking both
// kinds (SHA-256 + SHA3-256).
func BenchmarkBacklog(b *testing.B) {
	backlog(b, uniqueKeys(sampleEvents(b, fmt.Sprintf("bench-%d", b.N), b.N)))
}

// BenchmarkBacklogHotKeys is BenchmarkBacklog with only seven keys: the
// price of per-key order, as each key's events are processed one at a time.
func BenchmarkBacklogHotKeys(b *testing.B) {
	backlog(b, sampleEvents(b, fmt.Sprintf("hot-%d", b.N), b.N))
}

func backlog(b *testing.B, msgs []kafka.Message) {
	e, rcv := benchEnv(b)
	w := e.kc.Writer()
	w.BatchSize = 1000
	if err := w.WriteMessages(b.Context(), msgs...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	run := e.startB(b)
	kafkatest.Eventually(b, 5*time.Minute, "backlog not delivered", func() bool { return rcv.count() == b.N })
	elapsed := time.Since(start)
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "notifications/s")
}

// BenchmarkLatency measures produce-to-delivery latency at a paced rate of
// 500 events/s.
func BenchmarkLatency(b *testing.B) {
	e, rcv := benchEnv(b)
	run := e.startB(b)
	w := e.kc.Writer()
	msgs := uniqueKeys(sampleEvents(b, fmt.Sprintf("lat-%d", b.N), b.N))
	sent := make(map[string]time.Time, b.N)
	b.ResetTimer()
	tick := time.NewTicker(2 * time.Millisecond)
	for i, m := range msgs {
		<-tick.C
		k := signer.KindLCN
		if m.Topic == testTopics.IPN {
			k = signer.KindIPN
		}
		sent[k.String()+idOf(fmt.Sprintf("lat-%d-%d", b.N, i))] = time.Now()
		if err := w.WriteMessages(b.Context(), m); err != nil {
			b.Fatal(err)
		}
	}
	tick.Stop()
	kafkatest.Eventually(b, time.Minute, "not delivered", func() bool { return rcv.count() == b.N })
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)
	var lat []time.Duration
	rcv.mu.Lock()
	for k, t0 := range sent {
		lat = append(lat, rcv.seen[k].Sub(t0))
	}
	rcv.mu.Unlock()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// uniqueKeys gives every event its own key, as license codes and order
// references are in production (few keys would serialise the key lanes).
func uniqueKeys(msgs []kafka.Message) []kafka.Message {
	for i := range msgs {
		msgs[i].Key = fmt.Appendf(nil, "sub-%d", i)
	}
	return msgs
}

func benchEnv(b *testing.B) (*env, *stampReceiver) {
	kc := kafkatest.New(b)
	kc.CreateTopics(8, testTopics.LCN, testTopics.IPN)
	kc.CreateTopics(2, testTopics.Retry+".50ms", testTopics.Retry+".250ms")
	kc.CreateTopics(1, testTopics.DeadLetter)
	rcv := &stampReceiver{seen: map[string]time.Time{}}
	srv := httptest.NewServer(rcv)
	b.Cleanup(srv.Close)
	return &env{kc: kc, benchURL: srv.URL}, rcv
}

func (e *env) startB(b *testing.B) *running {
	dir := merchants(endpoint("main", e.benchURL+"/", config.BothKinds, signer.SetOf(signer.SHA256, signer.SHA3256)))
	dir[vendor].Endpoints[0].MaxConcurrency = 64
	opts := e.options(dir, sender())
	opts.MaxInFlight = 512
	return e.startTB(b, opts)
}
