package console

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
)

// DeadLetter is what the view keeps of a dead-letter record: its
// coordinates and headers, never its value (the notification's body or the
// event, both holding personal data).
type DeadLetter struct {
	Partition int   `json:"partition"`
	Offset    int64 `json:"offset"`
	// DeadKind is "delivery" (a notification that failed for good) or
	// "input" (an event that could not be turned into one).
	DeadKind  string    `json:"dead_kind"`
	Kind      string    `json:"kind"`
	Merchant  string    `json:"merchant"`
	Endpoint  string    `json:"endpoint"`
	MessageID string    `json:"message_id"`
	EventID   string    `json:"event_id"`
	Reason    string    `json:"reason"`
	Detail    string    `json:"detail"`
	FailedAt  time.Time `json:"failed_at"`
	// ReplayedAt is when this console last replayed it (zero: never).
	ReplayedAt time.Time `json:"replayed_at,omitzero"`
}

// Offset is the next offset to read from a topic's partition.
type Offset struct {
	Topic     string
	Partition int
	Next      int64
}

// Batch is what Apply writes in one transaction.
type Batch struct {
	Attempts []attemptlog.Record
	Dead     []DeadLetter
	Offsets  []Offset
}

// Len is the number of records in b.
func (b *Batch) Len() int { return len(b.Attempts) + len(b.Dead) }

const (
	insertAttempt = `INSERT INTO attempts (merchant, endpoint, kind, message_id, event_id, key, attempt,
		result, reason, status, duration_us, time, next_due, receipt) VALUES `
	attemptRow         = `(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	upsertNotification = `INSERT INTO notifications (merchant, endpoint, message_id, kind, key, state,
		attempts, reason, first, last, next_due) VALUES `
	notificationRow      = `(?,?,?,?,?,?,1,?,?,?,?)`
	notificationConflict = ` ON CONFLICT (merchant, endpoint, message_id) DO UPDATE SET state = excluded.state,
		attempts = attempts + 1, reason = excluded.reason, last = excluded.last,
		next_due = excluded.next_due, key = CASE WHEN excluded.key <> '' THEN excluded.key ELSE key END`
	upsertMinute = `INSERT INTO minutes VALUES (?,?,?,?,?) ON CONFLICT (merchant, endpoint, minute)
		DO UPDATE SET delivered = delivered + excluded.delivered, failed = failed + excluded.failed`
	upsertEndpoint = `INSERT INTO endpoints VALUES (?,?,?,?,?) ON CONFLICT (merchant, endpoint) DO UPDATE SET
		last_success = max(last_success, excluded.last_success),
		last_reason = CASE WHEN excluded.last_attempt >= last_attempt THEN excluded.last_reason ELSE last_reason END,
		last_attempt = max(last_attempt, excluded.last_attempt)`
	insertDead = `INSERT INTO dead_letters (part, off, dead_kind, kind, merchant, endpoint, message_id,
		event_id, reason, detail, failed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`
	upsertOffset = `INSERT INTO offsets VALUES (?,?,?) ON CONFLICT (topic, part) DO UPDATE SET next = excluded.next`
)

// endpointKey names an endpoint in a batch's aggregates.
type endpointKey struct{ merchant, endpoint string }

type minuteKey struct {
	endpointKey
	minute int64
}

type minuteCounts struct{ delivered, failed int }

type endpointSeen struct {
	lastSuccess, lastAttempt int64
	lastReason               string
}

// Apply writes b in one transaction: its attempts, the notifications'
// states, per-minute counts, endpoints' last success, dead letters and the
// offsets read.
func (s *Store) Apply(ctx context.Context, b *Batch) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("console: begin ingest: %w", err)
	}
	defer tx.Rollback()
	if err := applyAttempts(ctx, tx, b.Attempts); err != nil {
		return err
	}
	if err := applyRows(ctx, tx, insertDead, len(b.Dead), func(i int) []any {
		d := &b.Dead[i]
		return []any{d.Partition, d.Offset, d.DeadKind, d.Kind, d.Merchant, d.Endpoint, d.MessageID,
			d.EventID, d.Reason, d.Detail, micros(d.FailedAt)}
	}); err != nil {
		return err
	}
	if err := applyRows(ctx, tx, upsertOffset, len(b.Offsets), func(i int) []any {
		return []any{b.Offsets[i].Topic, b.Offsets[i].Partition, b.Offsets[i].Next}
	}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("console: commit ingest: %w", err)
	}
	return nil
}

// applyAttempts inserts the attempts and updates what depends on them.
func applyAttempts(ctx context.Context, tx *sql.Tx, recs []attemptlog.Record) error {
	minutes := map[minuteKey]minuteCounts{}
	seen := map[endpointKey]endpointSeen{}
	if err := applyMulti(ctx, tx, multi{insertAttempt, attemptRow, ""}, len(recs), func(i int, args []any) []any {
		r := &recs[i]
		tally(minutes, seen, r)
		return append(args, r.Merchant, r.Endpoint, r.Kind, r.MessageID, r.EventID, r.Key, r.Attempt, r.Result,
			r.Reason, r.Status, r.Duration.Microseconds(), micros(r.Time), micros(r.NextDue), r.Receipt)
	}); err != nil {
		return err
	}
	if err := applyMulti(ctx, tx, multi{upsertNotification, notificationRow, notificationConflict}, len(recs), func(i int, args []any) []any {
		r := &recs[i]
		t := micros(r.Time)
		return append(args, r.Merchant, r.Endpoint, r.MessageID, r.Kind, r.Key, r.State(), r.Reason, t, t, micros(r.NextDue))
	}); err != nil {
		return err
	}
	mk := keys(minutes)
	if err := applyRows(ctx, tx, upsertMinute, len(mk), func(i int) []any {
		c := minutes[mk[i]]
		return []any{mk[i].merchant, mk[i].endpoint, mk[i].minute, c.delivered, c.failed}
	}); err != nil {
		return err
	}
	ek := keys(seen)
	return applyRows(ctx, tx, upsertEndpoint, len(ek), func(i int) []any {
		e := seen[ek[i]]
		return []any{ek[i].merchant, ek[i].endpoint, e.lastSuccess, e.lastAttempt, e.lastReason}
	})
}

// tally adds r to the batch's per-minute and per-endpoint aggregates. A
// record of a paused endpoint (no attempt made) counts in neither column.
func tally(minutes map[minuteKey]minuteCounts, seen map[endpointKey]endpointSeen, r *attemptlog.Record) {
	ek := endpointKey{r.Merchant, r.Endpoint}
	t := micros(r.Time)
	e := seen[ek]
	if t >= e.lastAttempt {
		e.lastAttempt, e.lastReason = t, r.Reason
	}
	mk := minuteKey{ek, r.Time.Unix() / 60}
	c := minutes[mk]
	switch r.Result {
	case attemptlog.ResultDelivered:
		c.delivered++
		e.lastSuccess = max(e.lastSuccess, t)
	case attemptlog.ResultWaiting:
	default:
		c.failed++
	}
	minutes[mk] = c
	seen[ek] = e
}

// applyRows runs stmt once per row with the arguments args(i).
func applyRows(ctx context.Context, tx *sql.Tx, stmt string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, stmt)
	if err != nil {
		return fmt.Errorf("console: prepare ingest: %w", err)
	}
	defer st.Close()
	for i := range n {
		if _, err := st.ExecContext(ctx, args(i)...); err != nil {
			return fmt.Errorf("console: ingest: %w", err)
		}
	}
	return nil
}

// multi is a statement of several rows: head, row repeated, tail.
type multi struct{ head, row, tail string }

// rowsPerStatement is how many rows one multi-row statement writes (well
// under SQLite's limit of 32766 parameters).
const rowsPerStatement = 64

// sql returns the statement for n rows.
func (m multi) sql(n int) string {
	return m.head + strings.Repeat(m.row+",", n-1) + m.row + m.tail
}

// applyMulti writes n rows, rowsPerStatement at a time, appending the
// arguments of row i with args. Rows keep their order.
func applyMulti(ctx context.Context, tx *sql.Tx, m multi, n int, args func(i int, dst []any) []any) error {
	var full *sql.Stmt
	buf := make([]any, 0, 16*rowsPerStatement)
	for start := 0; start < n; start += rowsPerStatement {
		k := min(rowsPerStatement, n-start)
		buf = buf[:0]
		for i := start; i < start+k; i++ {
			buf = args(i, buf)
		}
		var err error
		if k == rowsPerStatement {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, m.sql(k)); err != nil {
					return fmt.Errorf("console: prepare ingest: %w", err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, buf...)
		} else {
			_, err = tx.ExecContext(ctx, m.sql(k), buf...)
		}
		if err != nil {
			return fmt.Errorf("console: ingest: %w", err)
		}
	}
	return nil
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
