//go:build unix

package console

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/kafkaconn"
)

var searchRows = flag.Int("search-rows", 0, "BenchmarkSearch: attempts in the view searched (0 skips it; 10000000 for the stated figure); the database is built once in the temp dir and kept")

// ingestBatch returns n encoded attempt records: 4 merchants, 2 endpoints
// each, 3 attempts per notification.
func ingestBatch(n, offset int) [][]byte {
	out := make([][]byte, n)
	for i := range n {
		x := offset + i
		r := attempt(fmt.Sprintf("M%d", x%4), fmt.Sprintf("e%d", x%2), fmt.Sprint(x/3), x%3+1, attemptlog.ResultRetry, time.Duration(x)*time.Millisecond)
		if x%3 == 2 {
			r.Result, r.Reason, r.NextDue = attemptlog.ResultDelivered, "ok", time.Time{}
		}
		out[i] = r.AppendJSON(nil)
	}
	return out
}

// BenchmarkIngest measures the view's ingestion: decoding attempt records
// and applying them in batches of 5000, as Follow does.
func BenchmarkIngest(b *testing.B) {
	const batch = 5000
	s := newStore(b)
	ctx := context.Background()
	var total int
	cpu0 := cpuTime(b)
	for b.Loop() {
		b.StopTimer()
		raw := ingestBatch(batch, total)
		b.StartTimer()
		recs := make([]attemptlog.Record, 0, batch)
		for _, v := range raw {
			r, err := attemptlog.Parse(v)
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, r)
		}
		if err := s.Apply(ctx, &Batch{Attempts: recs, Offsets: []Offset{{"a", 0, int64(total)}}}); err != nil {
			b.Fatal(err)
		}
		total += batch
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "attempts/s")
	// On a shared machine wall time includes waiting for a core; the rate
	// per second of this process's CPU time does not.
	b.ReportMetric(float64(total)/(cpuTime(b)-cpu0).Seconds(), "attempts/cpu-s")
}

// cpuTime is the process's user and system CPU time so far (the batches'
// generation, outside the timer, included: the figure is conservative).
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSearch measures searches over a view of -search-rows attempts
// (3 per notification, 20 merchants, 1 ms apart).
func BenchmarkSearch(b *testing.B) {
	rows := *searchRows
	if rows <= 0 {
		b.Skip("set -search-rows (e.g. 10000000) to build the view and run it")
	}
	s := bigStore(b, rows)
	ctx := context.Background()
	mid := rows / 3 / 2
	span := time.Duration(rows) * time.Millisecond
	since, until := t0.Add(span/2), t0.Add(span/2+span/20) // 5% of the attempts, in the middle
	for _, bc := range []struct {
		name string
		q    Query
		want int
	}{
		{"message_id", Query{Text: fmt.Sprint(mid)}, 1},
		{"license_code", Query{Text: fmt.Sprintf("LIC%08d", mid)}, 1},
		{"merchant_and_range", Query{Merchant: "M7", Since: since, Until: until}, 50},
		{"range", Query{Since: since, Until: until}, 50},
		{"merchant_latest", Query{Merchant: "M3"}, 50},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := s.Search(ctx, bc.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(res) == 0 || len(res) > bc.want {
					b.Fatalf("%d results, want 1 to %d", len(res), bc.want)
				}
			}
		})
	}
}

// bigStore opens the benchmark view of rows attempts, building it the
// first time (indexes after the rows, which is faster).
func bigStore(b *testing.B, rows int) *Store {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("lcngw-console-bench-%d.db", rows))
	_, err := os.Stat(path)
	build := os.IsNotExist(err)
	ctx := context.Background()
	s, err := OpenStore(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if !build {
		return s
	}
	b.Logf("building %d attempts in %s (once)", rows, path)
	start := time.Now()
	for _, stmt := range []string{
		`DROP INDEX attempts_message`, `DROP INDEX attempts_key`, `DROP INDEX attempts_merchant_time`, `DROP INDEX attempts_time`,
		fmt.Sprintf(`WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < %d)
		INSERT INTO attempts (merchant, endpoint, kind, message_id, event_id, key, attempt, result, reason, status,
			duration_us, time, next_due, receipt)
		SELECT 'M' || ((x / 3) %% 20), 'e' || ((x / 3) %% 3), 'lcn', CAST(x / 3 AS TEXT), 'ev-' || (x / 3),
			printf('LIC%%08d', x / 3), x %% 3 + 1,
			CASE WHEN x %% 3 = 2 THEN 'delivered' ELSE 'retry' END, CASE WHEN x %% 3 = 2 THEN 'ok' ELSE 'status_5xx' END,
			CASE WHEN x %% 3 = 2 THEN 200 ELSE 503 END, 1500, %d + x * 1000,
			CASE WHEN x %% 3 = 2 THEN 0 ELSE %d + x * 1000 + 60000000 END, x %% 3 = 2 FROM c`, rows, micros(t0), micros(t0)),
		fmt.Sprintf(`WITH RECURSIVE c(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM c WHERE y + 1 < %d)
		INSERT INTO notifications SELECT 'M' || (y %% 20), 'e' || (y %% 3), CAST(y AS TEXT), 'lcn', printf('LIC%%08d', y),
			'delivered', 3, 'ok', %d + y * 3000, %d + y * 3000 + 2000, 0 FROM c`, (rows+2)/3, micros(t0), micros(t0)),
		schema,
	} {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	}
	b.Logf("built in %v", time.Since(start).Round(time.Second))
	return s
}

// BenchmarkFollow measures the whole ingestion path: Follow reading
// 50,000 attempt records from an in-process Kafka (4 partitions) into a
// new view, each iteration from the first record.
func BenchmarkFollow(b *testing.B) {
	const n = 50000
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(4, "attempts", "dead"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	w := &kafka.Writer{Addr: kafka.TCP(c.ListenAddrs()...), Topic: "attempts", Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchSize: 1000, BatchTimeout: time.Millisecond}
	defer w.Close()
	raw := ingestBatch(n, 0)
	msgs := make([]kafka.Message, n)
	for i, v := range raw {
		msgs[i] = kafka.Message{Key: fmt.Appendf(nil, "M%d", i%4), Value: v}
	}
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		b.Fatal(err)
	}
	conn := kafkaconn.Plain(c.ListenAddrs()...)
	var total int
	for b.Loop() {
		b.StopTimer()
		s := newStore(b)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		b.StartTimer()
		go func() {
			done <- Follow(ctx, s, FollowOptions{Conn: conn, AttemptTopic: "attempts", DeadLetterTopic: "dead"})
		}()
		for count(b, s, "attempts") < n {
			time.Sleep(5 * time.Millisecond)
		}
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		total += n
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "attempts/s")
}
