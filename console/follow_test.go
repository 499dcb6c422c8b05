package console

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/retryrecord"
)

// follow runs Follow into the view at path until it holds want attempts
// and one dead letter, then stops it.
func follow(t *testing.T, conn *kafkaconn.Conn, path string, want int) *Store {
	t.Helper()
	s, err := OpenStore(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- Follow(ctx, s, FollowOptions{Conn: conn, AttemptTopic: "attempts", DeadLetterTopic: "dead",
			Linger: 10 * time.Millisecond})
	}()
	for {
		var n, d int
		s.db.QueryRow(`SELECT count(*) FROM attempts`).Scan(&n)
		s.db.QueryRow(`SELECT count(*) FROM dead_letters`).Scan(&d)
		if n >= want && d >= 1 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("follow ended: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t testing.TB, s *Store, table string) int {
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFollowRebuildsAndResumes: two views built from the same topics hold
// the same records; a view reopened resumes where it stopped, reading
// nothing twice; a record that is not an attempt is skipped.
func TestFollowRebuildsAndResumes(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "attempts", "dead"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := &kafka.Writer{Addr: kafka.TCP(c.ListenAddrs()...), RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	defer w.Close()
	var msgs []kafka.Message
	for i := range 20 {
		r := attempt("M1", "main", "n"+string(rune('a'+i)), 1, attemptlog.ResultDelivered, time.Duration(i)*time.Second)
		msgs = append(msgs, kafka.Message{Topic: "attempts", Key: []byte(r.Merchant), Value: r.AppendJSON(nil)})
	}
	msgs = append(msgs, kafka.Message{Topic: "attempts", Key: []byte("M1"), Value: []byte("not an attempt")},
		kafka.Message{Topic: "dead", Key: []byte("k"), Value: []byte(`{"vendor_code":"M1","customer":{"email":"a@example.com"}}`),
			Headers: []kafka.Header{{Key: retryrecord.HeaderDeadLetter, Value: []byte("delivery")}, {Key: retryrecord.HeaderMessageID, Value: []byte("na")},
				{Key: retryrecord.HeaderEndpoint, Value: []byte("main")}, {Key: retryrecord.HeaderReason, Value: []byte("status_410")},
				{Key: retryrecord.HeaderFailedAt, Value: []byte("2026-12-07T02:00:00Z")}}})
	if err := w.WriteMessages(t.Context(), msgs...); err != nil {
		t.Fatal(err)
	}
	conn := kafkaconn.Plain(c.ListenAddrs()...)
	dir := t.TempDir()
	a := follow(t, conn, filepath.Join(dir, "a.db"), 20)
	b := follow(t, conn, filepath.Join(dir, "b.db"), 20)
	for _, s := range []*Store{a, b} {
		if n, d := count(t, s, "attempts"), count(t, s, "dead_letters"); n != 20 || d != 1 {
			t.Fatalf("view holds %d attempts and %d dead letters, want 20 and 1", n, d)
		}
	}
	dl, err := a.DeadLetters(t.Context(), DeadQuery{})
	if err != nil || len(dl) != 1 || dl[0].Merchant != "M1" || dl[0].Reason != "status_410" || !dl[0].FailedAt.Equal(t0) {
		t.Fatalf("dead letter %+v %v", dl, err)
	}
	var leaked int
	if err := a.db.QueryRow(`SELECT count(*) FROM dead_letters WHERE detail LIKE '%@%' OR reason LIKE '%@%' OR merchant LIKE '%@%'`).Scan(&leaked); err != nil || leaked != 0 {
		t.Fatalf("the dead letter's value reached the view (%d rows, %v)", leaked, err)
	}
	b.Close()
	more := attempt("M1", "main", "late", 1, attemptlog.ResultDelivered, time.Hour)
	if err := w.WriteMessages(t.Context(), kafka.Message{Topic: "attempts", Key: []byte("M1"), Value: more.AppendJSON(nil)}); err != nil {
		t.Fatal(err)
	}
	b = follow(t, conn, filepath.Join(dir, "b.db"), 21)
	if n := count(t, b, "attempts"); n != 21 {
		t.Fatalf("reopened view holds %d attempts, want 21 (nothing read twice)", n)
	}
	a.Close()
	b.Close()
}
