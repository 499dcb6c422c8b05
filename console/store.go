package console

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is the console's view in an embedded SQLite database. Writes come
// from one Ingest at a time; reads run concurrently.
type Store struct {
	db *sql.DB
}

// OpenStore opens (creating if needed) the view database at path. The
// view is rebuildable from Kafka, so it trades durability for speed: no
// fsync.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(OFF)", "busy_timeout(10000)",
		"temp_store(MEMORY)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("console: open view %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("console: create view schema in %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// micros converts t to the view's time unit (0 for the zero time).
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros converts back (zero time for 0).
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// Offsets returns the next offset to read of each partition of topic.
func (s *Store) Offsets(ctx context.Context, topic string) (map[int]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT part, next FROM offsets WHERE topic = ?`, topic)
	if err != nil {
		return nil, fmt.Errorf("console: read offsets: %w", err)
	}
	defer rows.Close()
	out := map[int]int64{}
	for rows.Next() {
		var p int
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("console: read offsets: %w", err)
		}
		out[p] = n
	}
	return out, rows.Err()
}
