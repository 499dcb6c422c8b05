package kafkaconn_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/kafkaconn"
)

// BenchmarkProduceConsume writes b.N 1 KiB records in batches of 500 and
// reads them back through a partition reader, over plaintext, TLS, and
// TLS with SCRAM-SHA-512, against the in-process broker: the cost TLS adds
// to the gateway's Kafka traffic. Compare ns/op and MB/s across the
// sub-benchmarks of one run, and cpu-ns/op, the CPU the whole process
// (broker and clients) spends per record.
func BenchmarkProduceConsume(b *testing.B) {
	p := newPKI(b)
	trust := &tls.Config{RootCAs: p.ca.Pool()}
	for _, tc := range []struct {
		name string
		kopt []kfake.Opt
		o    kafkaconn.Options
	}{
		{"plaintext", nil, kafkaconn.Options{}},
		{"TLS", []kfake.Opt{kfake.TLS(p.serverTLS(false))}, kafkaconn.Options{TLS: trust}},
		{"TLS+SCRAM-SHA-512", []kfake.Opt{kfake.TLS(p.serverTLS(false)), kfake.EnableSASL(),
			kfake.Superuser(config.SASLScramSHA512, user, password)}, kafkaconn.Options{TLS: trust, SASL: scram512(password)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.SeedTopics(1, "bench")}, tc.kopt...)...)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			tc.o.Brokers = c.ListenAddrs()
			conn, err := kafkaconn.New(tc.o)
			if err != nil {
				b.Fatal(err)
			}
			benchRoundTrip(b, conn)
		})
	}
}

func benchRoundTrip(b *testing.B, conn *kafkaconn.Conn) {
	w := &kafka.Writer{Addr: conn.Addr(), Transport: conn.Transport(), Topic: "bench", RequiredAcks: kafka.RequireAll,
		BatchSize: 500, BatchTimeout: time.Millisecond}
	defer w.Close()
	r := kafka.NewReader(conn.ReaderConfig(kafka.ReaderConfig{Topic: "bench", MaxWait: 50 * time.Millisecond, MaxBytes: 4 << 20}))
	defer r.Close()
	value := make([]byte, 1024)
	batch := make([]kafka.Message, 500)
	for i := range batch {
		batch[i] = kafka.Message{Key: []byte(fmt.Sprint(i)), Value: value}
	}
	ctx := context.Background()
	b.SetBytes(int64(len(value)))
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for sent := 0; sent < b.N; sent += len(batch) {
		n := min(len(batch), b.N-sent)
		if err := w.WriteMessages(ctx, batch[:n]...); err != nil {
			b.Fatal(err)
		}
	}
	for range b.N {
		if _, err := r.ReadMessage(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user and system CPU time: the broker's and
// both clients' work on both ends of every TLS connection. Unlike ns/op it
// does not grow with other processes' load on a shared machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
