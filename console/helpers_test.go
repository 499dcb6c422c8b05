package console

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
)

var t0 = time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := OpenStore(context.Background(), filepath.Join(t.TempDir(), "view.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// attempt returns the record of attempt n of message id at t0+at.
func attempt(merchant, endpoint, id string, n int, result string, at time.Duration) attemptlog.Record {
	r := attemptlog.Record{Merchant: merchant, Endpoint: endpoint, Kind: "lcn", MessageID: id, EventID: "ev-" + id,
		Key: "LIC-" + id, Attempt: n, Result: result, Reason: "ok", Status: 200, Duration: time.Millisecond,
		Time: t0.Add(at)}
	switch result {
	case attemptlog.ResultDelivered:
		r.Receipt = true
	case attemptlog.ResultRetry, attemptlog.ResultWaiting:
		r.Reason, r.Status, r.NextDue = "status_5xx", 503, r.Time.Add(time.Minute)
	default:
		r.Reason, r.Status = "status_410", 410
	}
	return r
}

func apply(t testing.TB, s *Store, recs ...attemptlog.Record) {
	t.Helper()
	if err := s.Apply(context.Background(), &Batch{Attempts: recs}); err != nil {
		t.Fatal(err)
	}
}

func ids(ns []Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s/%s/%s:%s:%d", n.Merchant, n.Endpoint, n.MessageID, n.State, len(n.Attempts)))
	}
	return out
}
