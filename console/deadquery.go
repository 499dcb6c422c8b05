package console

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DeadQuery selects dead letters. Empty fields match anything.
type DeadQuery struct {
	Merchant     string
	Since, Until time.Time
	// Limit bounds the dead letters returned; default 100.
	Limit int
}

// LetterID names a dead letter by its place in the dead-letter topic.
type LetterID struct {
	Partition int
	Offset    int64
}

// String renders id as "partition-offset", the form ParseLetterID reads.
func (id LetterID) String() string { return fmt.Sprintf("%d-%d", id.Partition, id.Offset) }

// ParseLetterID reads a LetterID written by String.
func ParseLetterID(s string) (LetterID, error) {
	var id LetterID
	p, o, ok := strings.Cut(s, "-")
	if !ok {
		return id, fmt.Errorf("console: dead letter id %q: want partition-offset", s)
	}
	if _, err := fmt.Sscan(p, &id.Partition); err != nil || id.Partition < 0 {
		return id, fmt.Errorf("console: dead letter id %q: bad partition", s)
	}
	if _, err := fmt.Sscan(o, &id.Offset); err != nil || id.Offset < 0 {
		return id, fmt.Errorf("console: dead letter id %q: bad offset", s)
	}
	return id, nil
}

// ID returns d's LetterID.
func (d DeadLetter) ID() LetterID { return LetterID{d.Partition, d.Offset} }

// DeadLetters returns the dead letters matching q, the latest first.
func (s *Store) DeadLetters(ctx context.Context, q DeadQuery) ([]DeadLetter, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	conds, args := []string{"1"}, []any{}
	if q.Merchant != "" {
		conds, args = append(conds, "merchant = ?"), append(args, q.Merchant)
	}
	if !q.Since.IsZero() {
		conds, args = append(conds, "failed_at >= ?"), append(args, micros(q.Since))
	}
	if !q.Until.IsZero() {
		conds, args = append(conds, "failed_at < ?"), append(args, micros(q.Until))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT part, off, dead_kind, kind, merchant, endpoint, message_id, event_id,
		reason, detail, failed_at, replayed_at FROM dead_letters WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY failed_at DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("console: dead letters: %w", err)
	}
	defer rows.Close()
	var out []DeadLetter
	for rows.Next() {
		var d DeadLetter
		var f, r int64
		if err := rows.Scan(&d.Partition, &d.Offset, &d.DeadKind, &d.Kind, &d.Merchant, &d.Endpoint, &d.MessageID,
			&d.EventID, &d.Reason, &d.Detail, &f, &r); err != nil {
			return nil, fmt.Errorf("console: dead letters: %w", err)
		}
		d.FailedAt, d.ReplayedAt = fromMicros(f), fromMicros(r)
		out = append(out, d)
	}
	return out, rows.Err()
}

// MarkReplayed records that the dead letters ids were replayed at t.
func (s *Store) MarkReplayed(ctx context.Context, ids []LetterID, t time.Time) error {
	for _, id := range ids {
		if _, err := s.db.ExecContext(ctx, `UPDATE dead_letters SET replayed_at = ? WHERE part = ? AND off = ?`,
			micros(t), id.Partition, id.Offset); err != nil {
			return fmt.Errorf("console: mark %s replayed: %w", id, err)
		}
	}
	return nil
}
