package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/merchantdir"
	"github.com/lcngw/lcngw/registry"
	"github.com/lcngw/lcngw/signer"
)

// registryBench is a merchant registry of many merchants, all delivering
// to one verifying receiver, shared by the benchmarks of a process.
type registryBench struct {
	reg *registry.Registry
	rcv *fastReceiver
	cfg *config.Config
	n   int
}

var (
	registryBenchOnce sync.Once
	registryBenchEnv  *registryBench
	registryBenchErr  error
)

// benchRegistry returns the shared registry of $LCNGW_BENCH_MERCHANTS
// merchants (default 100,000) of two endpoints each, loaded.
func benchRegistry(b *testing.B) *registryBench {
	registryBenchOnce.Do(func() { registryBenchEnv, registryBenchErr = newRegistryBench(b) })
	if registryBenchErr != nil {
		b.Fatal(registryBenchErr)
	}
	return registryBenchEnv
}

func newRegistryBench(b *testing.B) (*registryBench, error) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("LCNGW_BENCH_MERCHANTS")); err == nil && v > 0 {
		n = v
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return nil, err
	}
	brokers := c.ListenAddrs()
	const topic = "bench.merchants"
	if err := registry.EnsureTopic(context.Background(), brokers, nil, topic, 1); err != nil {
		return nil, err
	}
	keys, err := registry.ParseKeyring(config.NewSecret([]byte("k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
	if err != nil {
		return nil, err
	}
	reg, err := registry.New(registry.Options{Brokers: brokers, Topic: topic, Keys: keys})
	if err != nil {
		return nil, err
	}
	go func() { _ = reg.Run(context.Background()) }()
	if err := reg.WaitLoaded(context.Background()); err != nil {
		return nil, err
	}
	rcv := newFastReceiver()
	srv := httptest.NewServer(rcv)
	ms := make([]config.Merchant, n)
	for i := range ms {
		m, err := config.DecodeMerchant(fmt.Appendf(nil, `{"vendor_code": %q, "secret": %q, "endpoints": [
			{"name": "lcn", "url": %q, "kinds": ["lcn"], "max_concurrency": 64},
			{"name": "ipn", "url": %q, "kinds": ["ipn"], "max_concurrency": 64}]}`,
			benchVendor(i), testKey, srv.URL+"/lcn", srv.URL+"/ipn"))
		if err != nil {
			return nil, err
		}
		ms[i] = m
	}
	if _, err := reg.PutMany(context.Background(), ms, nil, nil); err != nil {
		return nil, err
	}
	for reg.Len() < n {
		time.Sleep(10 * time.Millisecond)
	}
	cfg := config.Default()
	cfg.Delivery.MaxInFlight = 512
	return &registryBench{reg: reg, rcv: rcv, cfg: cfg, n: n}, nil
}

func benchVendor(i int) string { return fmt.Sprintf("B%07d", i) }

// BenchmarkPipelineMerchants runs the whole pipeline with merchants looked
// up in the registry (100,000 merchants of two endpoints by default), in
// the same process: every event for one merchant ("one"); events spread
// over as many merchants as there are events, each seen for the first
// time ("spread-cold": a new connection and new per-merchant state every
// time); and the same spread once every merchant has been served before
// ("spread-warm": b.N events warm them up untimed, the next b.N for the
// same merchants are timed). Compare the delivered/s.
func BenchmarkPipelineMerchants(b *testing.B) {
	b.Run("one", func(b *testing.B) { runPipelineMerchants(b, false, false) })
	b.Run("spread-cold", func(b *testing.B) { runPipelineMerchants(b, true, false) })
	b.Run("spread-warm", func(b *testing.B) { runPipelineMerchants(b, true, true) })
}

func runPipelineMerchants(b *testing.B, spread, warm bool) {
	rb := benchRegistry(b)
	kc := kafkatest.New(b)
	kc.CreateTopics(8, testTopics.LCN, testTopics.IPN)
	kc.CreateTopics(2, testTopics.Retry+".50ms", testTopics.Retry+".250ms")
	kc.CreateTopics(1, testTopics.DeadLetter)
	base := rb.rcv.delivered.Load()
	n := b.N
	if warm {
		n = 2 * b.N
	}
	msgs := pipelineEvents(b, signer.KindLCN, n)
	for i := range msgs {
		v := benchVendor(0)
		if spread {
			v = benchVendor(((i % b.N) * 7919) % rb.n)
		}
		msgs[i].Value = bytes.Replace(msgs[i].Value, []byte(`"vendor_code":"`+vendor+`"`), []byte(`"vendor_code":"`+v+`"`), 1)
	}
	w := kc.Writer()
	w.BatchSize = 1000
	if err := w.WriteMessages(b.Context(), msgs...); err != nil {
		b.Fatal(err)
	}
	e := &env{kc: kc}
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{AllowLoopback: true}})
	b.Cleanup(client.CloseIdleConnections) // the receiver is shared by every run
	opts := e.options(merchantdir.New(rb.reg, rb.cfg, nil), delivery.NewDeliverer(client, delivery.Options{
		Quick: delivery.QuickRetry{Attempts: 2, InitialInterval: 10 * time.Millisecond, MaxInterval: 10 * time.Millisecond, Multiplier: 1},
	}))
	opts.MaxInFlight = 512
	b.ResetTimer()
	run := e.startTB(b, opts)
	from := int64(0)
	if warm {
		from = int64(b.N)
	}
	kafkatest.Eventually(b, 5*time.Minute, "nothing delivered", func() bool { return rb.rcv.delivered.Load()-base > from })
	t0 := time.Now()
	n0 := rb.rcv.delivered.Load()
	kafkatest.Eventually(b, 5*time.Minute, "backlog not delivered", func() bool { return rb.rcv.delivered.Load()-base >= int64(n) })
	t1 := time.Now()
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)
	if f := rb.rcv.failed.Load(); f > 0 {
		b.Fatalf("%d deliveries rejected by the endpoint", f)
	}
	if n := kc.Count(testTopics.DeadLetter); n > 0 {
		b.Fatalf("%d dead letters", n)
	}
	if d := rb.rcv.delivered.Load() - n0; d > 0 {
		b.ReportMetric(float64(d)/t1.Sub(t0).Seconds(), "delivered/s")
	}
}
