package console

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
)

func TestStoreSearchAndTotals(t *testing.T) {
	s := newStore(t)
	apply(t, s,
		attempt("M1", "main", "1", 1, attemptlog.ResultRetry, 0),
		attempt("M1", "main", "2", 1, attemptlog.ResultDelivered, time.Second),
		attempt("M2", "orders", "3", 1, attemptlog.ResultDead, 2*time.Second),
	)
	apply(t, s, attempt("M1", "main", "1", 2, attemptlog.ResultDelivered, time.Minute))
	ctx := t.Context()
	for _, tt := range []struct {
		name string
		q    Query
		want []string
	}{
		{"by message id", Query{Text: "1"}, []string{"M1/main/1:delivered:2"}},
		{"by license code", Query{Text: "LIC-3"}, []string{"M2/orders/3:dead:1"}},
		{"by merchant", Query{Merchant: "M1"}, []string{"M1/main/1:delivered:2", "M1/main/2:delivered:1"}},
		{"by time", Query{Since: t0.Add(time.Second), Until: t0.Add(3 * time.Second)}, []string{"M2/orders/3:dead:1", "M1/main/2:delivered:1"}},
		{"text and wrong merchant", Query{Text: "1", Merchant: "M2"}, nil},
		{"unknown", Query{Text: "nope"}, nil},
	} {
		got, err := s.Search(ctx, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, ids(got), tt.want)
		}
	}
	totals, err := s.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Totals{{Merchant: "M1", Delivered: 2}, {Merchant: "M2", Dead: 1}}
	if !slices.Equal(totals, want) {
		t.Fatalf("totals %+v, want %+v", totals, want)
	}
	eps, err := s.Endpoints(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 2 || eps[0].Delivered != 2 || eps[0].Failed != 1 || !eps[0].LastSuccess.Equal(t0.Add(time.Minute)) || eps[0].Pending != 0 {
		t.Fatalf("endpoints %+v", eps)
	}
	pts, err := s.Series(ctx, "", t0, t0.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || pts[0].Delivered != 1 || pts[0].Failed != 2 || pts[1].Delivered != 1 {
		t.Fatalf("series %+v", pts)
	}
}

func TestStorePendingAndDeadLetters(t *testing.T) {
	s := newStore(t)
	apply(t, s, attempt("M1", "main", "1", 1, attemptlog.ResultWaiting, 0), attempt("M1", "main", "2", 1, attemptlog.ResultRetry, time.Second))
	ctx := t.Context()
	eps, err := s.Endpoints(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 1 || eps[0].Pending != 2 || !eps[0].OldestPending.Equal(t0) || eps[0].Failed != 1 {
		t.Fatalf("endpoints %+v", eps)
	}
	d := DeadLetter{Partition: 1, Offset: 7, DeadKind: "delivery", Kind: "lcn", Merchant: "M1", Endpoint: "main",
		MessageID: "2", Reason: "retries_exhausted", Detail: "no attempt left", FailedAt: t0}
	for range 2 { // a record read twice is kept once
		if err := s.Apply(ctx, &Batch{Dead: []DeadLetter{d}, Offsets: []Offset{{"dl", 1, 8}}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.DeadLetters(ctx, DeadQuery{Merchant: "M1"})
	if err != nil || len(got) != 1 || got[0].ID() != (LetterID{1, 7}) || got[0].Detail != d.Detail {
		t.Fatalf("dead letters %+v %v", got, err)
	}
	if err := s.MarkReplayed(ctx, []LetterID{{1, 7}}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.DeadLetters(ctx, DeadQuery{})
	if !got[0].ReplayedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("replayed at %v", got[0].ReplayedAt)
	}
	offs, err := s.Offsets(ctx, "dl")
	if err != nil || offs[1] != 8 {
		t.Fatalf("offsets %v %v", offs, err)
	}
}

func TestParseLetterID(t *testing.T) {
	id, err := ParseLetterID(LetterID{3, 42}.String())
	if err != nil || id != (LetterID{3, 42}) {
		t.Fatalf("%v %v", id, err)
	}
	for _, bad := range []string{"", "3", "a-1", "1-b", "-1-2", "1--2"} {
		if _, err := ParseLetterID(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestStoreOneBatchManyRows(t *testing.T) {
	s := newStore(t)
	var recs []attemptlog.Record
	for i := range 150 { // more than one multi-row statement, a notification's attempts in one
		id := fmt.Sprint(i / 2)
		result := attemptlog.ResultRetry
		if i%2 == 1 {
			result = attemptlog.ResultDelivered
		}
		recs = append(recs, attempt("M1", "main", id, i%2+1, result, time.Duration(i)*time.Second))
	}
	apply(t, s, recs...)
	totals, err := s.Totals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := []Totals{{Merchant: "M1", Delivered: 75}}; !slices.Equal(totals, want) {
		t.Fatalf("totals %+v, want %+v", totals, want)
	}
	got, err := s.Search(t.Context(), Query{Text: "74"})
	if err != nil || len(got) != 1 || len(got[0].Attempts) != 2 || got[0].Attempts[1].Result != attemptlog.ResultDelivered {
		t.Fatalf("notification 74: %+v %v", got, err)
	}
}

func TestPrune(t *testing.T) {
	s := newStore(t)
	apply(t, s,
		attempt("M1", "main", "old", 1, attemptlog.ResultDelivered, 0),
		attempt("M1", "main", "new", 1, attemptlog.ResultRetry, 2*time.Hour))
	if err := s.Apply(t.Context(), &Batch{Dead: []DeadLetter{{Partition: 0, Offset: 1, Merchant: "M1", FailedAt: t0}}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(t.Context(), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 { // an attempt, a notification, a minute, a dead letter
		t.Fatalf("pruned %d rows, want 4", n)
	}
	totals, _ := s.Totals(t.Context())
	if want := []Totals{{Merchant: "M1", Retrying: 1}}; !slices.Equal(totals, want) {
		t.Fatalf("totals %+v, want %+v", totals, want)
	}
	if got, _ := s.Search(t.Context(), Query{Merchant: "M1"}); len(got) != 1 || got[0].MessageID != "new" {
		t.Fatalf("left %+v", got)
	}
}
