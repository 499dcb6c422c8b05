package console

import (
	"context"
	"fmt"
	"time"
)

// pruneBatch bounds the rows one delete statement removes, so that
// readers are never held up for long.
const pruneBatch = 10000

// Prune deletes what happened before before: attempts, notifications
// whose last attempt is older, per-minute counts and dead letters. The
// attempt log's topic forgets them too (its retention), so a rebuilt view
// would not have them either.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	us := micros(before)
	var total int64
	for _, stmt := range []struct {
		sql string
		arg int64
	}{
		{`DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE time < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, us},
		{`DELETE FROM notifications WHERE (merchant, endpoint, message_id) IN (SELECT merchant, endpoint, message_id
			FROM notifications WHERE last < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, us},
		{`DELETE FROM minutes WHERE (merchant, endpoint, minute) IN (SELECT merchant, endpoint, minute
			FROM minutes WHERE minute < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, before.Unix() / 60},
		{`DELETE FROM dead_letters WHERE (part, off) IN (SELECT part, off
			FROM dead_letters WHERE failed_at < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, us},
	} {
		for {
			res, err := s.db.ExecContext(ctx, stmt.sql, stmt.arg)
			if err != nil {
				return total, fmt.Errorf("console: prune: %w", err)
			}
			n, _ := res.RowsAffected()
			total += n
			if n < pruneBatch {
				break
			}
		}
	}
	return total, nil
}
