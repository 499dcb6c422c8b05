package registry_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/registry"
)

// benchMerchants is the registry size of the benchmarks:
// $LCNGW_BENCH_MERCHANTS, default 100,000 merchants of two endpoints.
func benchMerchants() int {
	if n, err := strconv.Atoi(os.Getenv("LCNGW_BENCH_MERCHANTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var (
	seedOnce    sync.Once
	seedBrokers []string
	seedErr     error
)

// seeded returns the brokers of an in-process cluster whose registry topic
// holds benchMerchants() merchants, written once per process.
func seeded(b *testing.B) []string {
	seedOnce.Do(func() {
		c, err := kfake.NewCluster(kfake.NumBrokers(1))
		if err != nil {
			seedErr = err
			return
		}
		seedBrokers = c.ListenAddrs()
		if seedErr = registry.EnsureTopic(context.Background(), seedBrokers, nil, topic, 1); seedErr != nil {
			return
		}
		r, err := registry.New(registry.Options{Brokers: seedBrokers, Topic: topic, Keys: testKeys(b, key1)})
		if err != nil {
			seedErr = err
			return
		}
		defer r.Close()
		n := benchMerchants()
		ms := make([]config.Merchant, n)
		for i := range ms {
			ms[i] = benchMerchant(b, i, "v1")
		}
		start := time.Now()
		_, seedErr = r.PutMany(context.Background(), ms, nil, nil)
		b.Logf("wrote %d merchants in %s", n, time.Since(start).Round(time.Millisecond))
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedBrokers
}

func benchMerchant(b testing.TB, i int, version string) config.Merchant {
	m, err := config.DecodeMerchant(fmt.Appendf(nil, `{"vendor_code": "V%07d", "secret": "secret-%d",
		"endpoints": [{"name": "main", "url": "https://m%d.example/%s/lcn"}, {"name": "ipn", "url": "https://m%d.example/%s/ipn", "kinds": ["ipn"]}]}`,
		i, i, i, version, i, version))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkRegistryLoad reads the whole registry topic (100,000 merchants
// of two endpoints by default) as an instance does at start: one op is
// one load to the end. It reports the heap the loaded registry holds.
func BenchmarkRegistryLoad(b *testing.B) {
	brokers := seeded(b)
	keys := testKeys(b, key1)
	var heap float64
	b.ResetTimer()
	for range b.N {
		r, err := registry.New(registry.Options{Brokers: brokers, Topic: topic, Keys: keys})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		if err := r.WaitLoaded(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if r.Len() != benchMerchants() {
			b.Fatalf("loaded %d merchants", r.Len())
		}
		heap = heapMB(func() {}) // r is still referenced below
		cancel()
		<-done
		r.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(float64(benchMerchants()), "merchants")
}

// heapMB returns the live heap after a collection, in MB.
func heapMB(keep func()) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	keep()
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkRegistryPropagation changes one merchant's URL on one instance
// and waits until a second instance serves the new URL: one op is one
// change. It reports the median and 99th percentile of that delay.
func BenchmarkRegistryPropagation(b *testing.B) {
	brokers := seeded(b)
	keys := testKeys(b, key1)
	var regs [2]*registry.Registry
	for i := range regs {
		r, err := registry.New(registry.Options{Brokers: brokers, Topic: topic, Keys: keys})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		b.Cleanup(func() { cancel(); <-done; r.Close() })
		if err := r.WaitLoaded(ctx); err != nil {
			b.Fatal(err)
		}
		regs[i] = r
	}
	delays := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		m := benchMerchant(b, i%benchMerchants(), fmt.Sprintf("v%d", i+2))
		want := m.Endpoints[0].URL
		start := time.Now()
		if _, err := regs[0].Put(context.Background(), m, nil, registry.PutOptions{}); err != nil {
			b.Fatal(err)
		}
		for {
			if got, ok := regs[1].Merchant(m.VendorCode); ok && got.Endpoints[0].URL == want {
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		delays = append(delays, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(delays)
	b.ReportMetric(float64(delays[len(delays)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(delays[(len(delays)*99)/100])/1e6, "p99-ms")
}
