package console

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
)

// EndpointStats is what the view knows of one endpoint.
type EndpointStats struct {
	Merchant string `json:"merchant"`
	Endpoint string `json:"endpoint"`
	// Delivered and Failed count attempts in the window asked for.
	Delivered   int       `json:"delivered"`
	Failed      int       `json:"failed"`
	LastSuccess time.Time `json:"last_success"`
	LastAttempt time.Time `json:"last_attempt"`
	LastReason  string    `json:"last_reason"`
	// OldestPending is when the oldest notification still retrying first
	// went out (zero: none pending).
	OldestPending time.Time `json:"oldest_pending"`
	Pending       int       `json:"pending"`
}

// Ratio is the share of attempts in the window that delivered, or -1
// when there were none.
func (e EndpointStats) Ratio() float64 {
	if e.Delivered+e.Failed == 0 {
		return -1
	}
	return float64(e.Delivered) / float64(e.Delivered+e.Failed)
}

// Endpoints returns every endpoint the view has seen, with its attempts
// since since.
func (s *Store) Endpoints(ctx context.Context, since time.Time) ([]EndpointStats, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.merchant, e.endpoint, e.last_success, e.last_attempt, e.last_reason,
		COALESCE((SELECT sum(delivered) FROM minutes m WHERE m.merchant = e.merchant AND m.endpoint = e.endpoint AND m.minute >= ?), 0),
		COALESCE((SELECT sum(failed) FROM minutes m WHERE m.merchant = e.merchant AND m.endpoint = e.endpoint AND m.minute >= ?), 0),
		COALESCE((SELECT min(first) FROM notifications n WHERE n.merchant = e.merchant AND n.endpoint = e.endpoint AND n.state = 'retrying'), 0),
		(SELECT count(*) FROM notifications n WHERE n.merchant = e.merchant AND n.endpoint = e.endpoint AND n.state = 'retrying')
		FROM endpoints e ORDER BY e.merchant, e.endpoint`, since.Unix()/60, since.Unix()/60)
	if err != nil {
		return nil, fmt.Errorf("console: endpoints: %w", err)
	}
	defer rows.Close()
	var out []EndpointStats
	for rows.Next() {
		var e EndpointStats
		var ls, la, op int64
		if err := rows.Scan(&e.Merchant, &e.Endpoint, &ls, &la, &e.LastReason, &e.Delivered, &e.Failed, &op, &e.Pending); err != nil {
			return nil, fmt.Errorf("console: endpoints: %w", err)
		}
		e.LastSuccess, e.LastAttempt, e.OldestPending = fromMicros(ls), fromMicros(la), fromMicros(op)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Totals counts notifications per state ("delivered", "retrying",
// "dead") for one merchant.
type Totals struct {
	Merchant  string `json:"merchant"`
	Delivered int    `json:"delivered"`
	Retrying  int    `json:"retrying"`
	Dead      int    `json:"dead"`
}

// Totals returns the notification counts of every merchant.
func (s *Store) Totals(ctx context.Context) ([]Totals, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT merchant, state, n FROM totals ORDER BY merchant`)
	if err != nil {
		return nil, fmt.Errorf("console: totals: %w", err)
	}
	defer rows.Close()
	var out []Totals
	for rows.Next() {
		var m, st string
		var n int
		if err := rows.Scan(&m, &st, &n); err != nil {
			return nil, fmt.Errorf("console: totals: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Merchant != m {
			out = append(out, Totals{Merchant: m})
		}
		t := &out[len(out)-1]
		switch st {
		case "delivered":
			t.Delivered = n
		case "retrying":
			t.Retrying = n
		case "dead":
			t.Dead = n
		}
	}
	return out, rows.Err()
}

// Point is one minute of a chart.
type Point struct {
	Minute            time.Time
	Delivered, Failed int
}

// Series returns attempts per minute from since on, of one merchant or
// (merchant "") all, one point per minute with zeros filled in.
func (s *Store) Series(ctx context.Context, merchant string, since, until time.Time) ([]Point, error) {
	from, to := since.Unix()/60, until.Unix()/60
	rows, err := s.db.QueryContext(ctx, `SELECT minute, sum(delivered), sum(failed) FROM minutes
		WHERE minute BETWEEN ? AND ? AND (? = '' OR merchant = ?) GROUP BY minute`, from, to, merchant, merchant)
	if err != nil {
		return nil, fmt.Errorf("console: series: %w", err)
	}
	defer rows.Close()
	out := make([]Point, to-from+1)
	for i := range out {
		out[i].Minute = time.Unix((from+int64(i))*60, 0).UTC()
	}
	for rows.Next() {
		var m int64
		var d, f int
		if err := rows.Scan(&m, &d, &f); err != nil {
			return nil, fmt.Errorf("console: series: %w", err)
		}
		out[m-from].Delivered, out[m-from].Failed = d, f
	}
	return out, rows.Err()
}

// Query selects notifications for Search. Empty fields match anything.
type Query struct {
	// Text is a MESSAGE_ID, license code or order reference.
	Text     string
	Merchant string
	// Since and Until bound the attempts' times; zero leaves a side open.
	Since, Until time.Time
	// Limit bounds the notifications returned; default 50.
	Limit int
}

// Notification is one notification to one endpoint with its attempts,
// oldest first.
type Notification struct {
	Merchant  string              `json:"merchant"`
	Endpoint  string              `json:"endpoint"`
	MessageID string              `json:"message_id"`
	Kind      string              `json:"kind"`
	Key       string              `json:"key"`
	State     string              `json:"state"`
	Reason    string              `json:"reason"`
	First     time.Time           `json:"first"`
	Last      time.Time           `json:"last"`
	NextDue   time.Time           `json:"next_due,omitzero"`
	Attempts  []attemptlog.Record `json:"attempts"`
}

// Search returns the notifications with an attempt matching q, the latest
// first, each with its attempts.
func (s *Store) Search(ctx context.Context, q Query) ([]Notification, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	where, args := q.filter()
	rows, err := s.db.QueryContext(ctx, `SELECT merchant, endpoint, message_id, max(time) AS t FROM attempts
		WHERE `+where+` GROUP BY merchant, endpoint, message_id ORDER BY t DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("console: search: %w", err)
	}
	var out []Notification
	for rows.Next() {
		var n Notification
		var t int64
		if err := rows.Scan(&n.Merchant, &n.Endpoint, &n.MessageID, &t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("console: search: %w", err)
		}
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("console: search: %w", err)
	}
	for i := range out {
		if err := s.fill(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// searchScan bounds how many attempts a search without text examines.
const searchScan = 5000

// filter returns the WHERE clause of q. Text searches use the message id
// and key indexes; merchant and time searches the newest searchScan
// attempts of the (merchant, time) or time index.
func (q Query) filter() (string, []any) {
	var conds []string
	var args []any
	if q.Text != "" {
		conds = append(conds, "id IN (SELECT id FROM attempts WHERE message_id = ? UNION SELECT id FROM attempts WHERE key = ? AND key <> '')")
		args = append(args, q.Text, q.Text)
	}
	if q.Merchant != "" {
		conds = append(conds, "merchant = ?")
		args = append(args, q.Merchant)
	}
	if !q.Since.IsZero() {
		conds = append(conds, "time >= ?")
		args = append(args, micros(q.Since))
	}
	if !q.Until.IsZero() {
		conds = append(conds, "time < ?")
		args = append(args, micros(q.Until))
	}
	if len(conds) == 0 {
		conds = append(conds, "1")
	}
	where := strings.Join(conds, " AND ")
	if q.Text == "" {
		where = fmt.Sprintf("id IN (SELECT id FROM attempts WHERE %s ORDER BY time DESC LIMIT %d)", where, searchScan)
	}
	return where, args
}

// fill loads n's state and attempts. The message id index is named:
// without statistics the planner may prefer (merchant, time), which scans
// every attempt of the merchant.
func (s *Store) fill(ctx context.Context, n *Notification) error {
	var first, last, due int64
	err := s.db.QueryRowContext(ctx, `SELECT kind, key, state, reason, first, last, next_due FROM notifications
		WHERE merchant = ? AND endpoint = ? AND message_id = ?`, n.Merchant, n.Endpoint, n.MessageID).
		Scan(&n.Kind, &n.Key, &n.State, &n.Reason, &first, &last, &due)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("console: notification %s: %w", n.MessageID, err)
	}
	n.First, n.Last, n.NextDue = fromMicros(first), fromMicros(last), fromMicros(due)
	rows, err := s.db.QueryContext(ctx, `SELECT kind, event_id, key, attempt, result, reason, status, duration_us,
		time, next_due, receipt FROM attempts INDEXED BY attempts_message
		WHERE message_id = ? AND merchant = ? AND endpoint = ? ORDER BY time, id`,
		n.MessageID, n.Merchant, n.Endpoint)
	if err != nil {
		return fmt.Errorf("console: attempts of %s: %w", n.MessageID, err)
	}
	defer rows.Close()
	for rows.Next() {
		r := attemptlog.Record{Merchant: n.Merchant, Endpoint: n.Endpoint, MessageID: n.MessageID}
		var dur, t, d int64
		if err := rows.Scan(&r.Kind, &r.EventID, &r.Key, &r.Attempt, &r.Result, &r.Reason, &r.Status, &dur, &t, &d, &r.Receipt); err != nil {
			return fmt.Errorf("console: attempts of %s: %w", n.MessageID, err)
		}
		r.Duration, r.Time, r.NextDue = time.Duration(dur)*time.Microsecond, fromMicros(t), fromMicros(d)
		n.Attempts = append(n.Attempts, r)
	}
	return rows.Err()
}
