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

// registryBench is a merchant registry of many merchants, shared by the
// benchmarks of a process. Their endpoints are spread over a few
// verifying receivers, as merchants' sites share hosting: merchant i's
// two endpoints are /m/<vendor>/lcn and /m/<vendor>/ipn on receiver
// i % len(listeners).
type registryBench struct {
	reg *registry.Registry
	rcv *fastReceiver
	cfg *config.Config
	n   int
}

// benchListeners is the number of receivers (origins) the merchants'
// endpoints are on.
const benchListeners = 64

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
	urls := make([]string, benchListeners)
	for i := range urls {
		urls[i] = httptest.NewServer(rcv).URL
	}
	ms := make([]config.Merchant, n)
	for i := range ms {
		base := urls[i%len(urls)] + "/m/" + benchVendor(i)
		m, err := config.DecodeMerchant(fmt.Appendf(nil, `{"vendor_code": %q, "secret": %q, "endpoints": [
			{"name": "lcn", "url": %q, "kinds": ["lcn"], "max_concurrency": 64},
			{"name": "ipn", "url": %q, "kinds": ["ipn"], "max_concurrency": 64}]}`,
			benchVendor(i), testKey, base+"/lcn", base+"/ipn"))
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
// up in the registry (100,000 merchants of two endpoints by default, on
// 64 receivers), in one process, twice: with every event for one merchant
// ("one"), and with the events spread over all merchants, LCNs to their
// lcn endpoints and IPNs to their ipn endpoints ("spread"; -benchtime
// 200000x reaches all 200,000 endpoints of 100,000 merchants). Each run
// sends b.N events untimed first, then the b.N timed ones, so both are
// measured in steady state: for the spread, every merchant has been
// served once before (as on a long-running instance), and the untimed
// pass's rate is reported as spread-first/s. It reports both rates and
// spread/one, the ratio the registry's scale goal is about.
func BenchmarkPipelineMerchants(b *testing.B) {
	one, _ := runPipelineMerchants(b, false)
	spread, first := runPipelineMerchants(b, true)
	b.ReportMetric(one, "one/s")
	b.ReportMetric(spread, "spread/s")
	b.ReportMetric(first, "spread-first/s")
	if one > 0 {
		b.ReportMetric(spread/one, "spread/one")
	}
}

// runPipelineMerchants delivers 2*b.N events through a gateway of its
// own and returns the delivered/s of the second b.N (timed) and of the
// first.
func runPipelineMerchants(b *testing.B, spread bool) (timed, first float64) {
	rb := benchRegistry(b)
	kc := kafkatest.New(b)
	kc.CreateTopics(8, testTopics.LCN, testTopics.IPN)
	kc.CreateTopics(2, testTopics.Retry+".50ms", testTopics.Retry+".250ms")
	kc.CreateTopics(1, testTopics.DeadLetter)
	base := rb.rcv.delivered.Load()
	msgs := pipelineEvents(b, signer.KindUnknown, 2*b.N)
	seen := map[string]int{} // events of each topic so far
	for i := range msgs {
		v := benchVendor(0)
		if spread {
			j := seen[msgs[i].Topic] % b.N
			seen[msgs[i].Topic]++
			v = benchVendor((j * 7919) % rb.n) // a permutation: 7919 is prime
		}
		old := msgs[i].Value
		msgs[i].Value = bytes.Replace(old, []byte(`"vendor_code":"`+vendor+`"`), []byte(`"vendor_code":"`+v+`"`), 1)
		if bytes.Equal(old, msgs[i].Value) {
			b.Fatal("no vendor code in an event")
		}
	}
	w := kc.Writer()
	w.BatchSize = 1000
	if err := w.WriteMessages(b.Context(), msgs...); err != nil {
		b.Fatal(err)
	}
	e := &env{kc: kc}
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{AllowLoopback: true}})
	b.Cleanup(client.CloseIdleConnections) // the receivers are shared by every run
	opts := e.options(merchantdir.New(rb.reg, rb.cfg, nil), delivery.NewDeliverer(client, delivery.Options{
		Quick: delivery.QuickRetry{Attempts: 2, InitialInterval: 10 * time.Millisecond, MaxInterval: 10 * time.Millisecond, Multiplier: 1},
	}))
	opts.MaxInFlight = 512
	delivered := func() int64 { return rb.rcv.delivered.Load() - base }
	b.ResetTimer()
	run := e.startTB(b, opts)
	kafkatest.Eventually(b, 5*time.Minute, "nothing delivered", func() bool { return delivered() > 0 })
	t0, n0 := time.Now(), delivered()
	kafkatest.Eventually(b, 10*time.Minute, "first pass not delivered", func() bool { return delivered() >= int64(b.N) })
	t1, n1 := time.Now(), delivered()
	kafkatest.Eventually(b, 10*time.Minute, "backlog not delivered", func() bool { return delivered() >= int64(2*b.N) })
	t2, n2 := time.Now(), delivered()
	b.StopTimer()
	run.stopWithin(b, 30*time.Second)
	if f := rb.rcv.failed.Load(); f > 0 {
		b.Fatalf("%d deliveries rejected by the endpoint", f)
	}
	if n := kc.Count(testTopics.DeadLetter); n > 0 {
		b.Fatalf("%d dead letters", n)
	}
	if n1 > n0 {
		first = float64(n1-n0) / t1.Sub(t0).Seconds()
	}
	if n2 > n1 {
		timed = float64(n2-n1) / t2.Sub(t1).Seconds()
	}
	return timed, first
}
