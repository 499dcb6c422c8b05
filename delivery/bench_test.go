package delivery

import (
	"context"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process CPU time (client and in-process server
// together) per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N)/1e3, "cpu-µs/op")
}

// receiptServer answers every POST with the V5 read receipt, like a
// trivial merchant listener.
func receiptServer(b testing.TB) string {
	srv := newServer(b, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, lcnReceiptMD5)
	})
	return srv.URL
}

// BenchmarkClientSend is one attempt over loopback keep-alive: request,
// response, receipt check. The caller's context is either one that never
// ends or, as in the pipeline, one that can be canceled.
func BenchmarkClientSend(b *testing.B) {
	for _, cancelable := range []bool{false, true} {
		b.Run(map[bool]string{false: "ctx=background", true: "ctx=cancelable"}[cancelable], func(b *testing.B) {
			c := NewClient(loopbackConfig())
			req := lcnRequest(testEndpoint(receiptServer(b)))
			ctx := context.Background()
			if cancelable {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
			}
			b.ReportAllocs()
			start := cpuTime(b)
			for b.Loop() {
				if o := c.Send(ctx, req); o.Result != Delivered {
					b.Fatalf("outcome %+v", o)
				}
			}
			reportCPU(b, start)
		})
	}
}

// BenchmarkClientSendParallel sends from GOMAXPROCS×4 goroutines at once,
// with a cancelable context.
func BenchmarkClientSendParallel(b *testing.B) {
	c := NewClient(loopbackConfig())
	req := lcnRequest(testEndpoint(receiptServer(b)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	b.SetParallelism(4)
	start := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if o := c.Send(ctx, req); o.Result != Delivered {
				b.Errorf("outcome %+v", o)
				return
			}
		}
	})
	reportCPU(b, start)
}

// BenchmarkDelivererSend adds the breaker, the limiter and the round.
func BenchmarkDelivererSend(b *testing.B) {
	d := NewDeliverer(NewClient(loopbackConfig()), Options{
		Quick:   DefaultQuickRetry(),
		Breaker: BreakerConfig{Failures: 5},
	})
	ep := testEndpoint(receiptServer(b))
	ep.MaxConcurrency = 64
	req := lcnRequest(ep)
	ctx := context.Background()
	b.ReportAllocs()
	start := cpuTime(b)
	for b.Loop() {
		if o := d.Send(ctx, req); o.Result != Delivered {
			b.Fatalf("outcome %+v", o)
		}
	}
	reportCPU(b, start)
}
