package console

// schema creates the view's tables. Times are Unix microseconds in UTC
// (0: none).
const schema = `
CREATE TABLE IF NOT EXISTS attempts (
	id          INTEGER PRIMARY KEY,
	merchant    TEXT NOT NULL,
	endpoint    TEXT NOT NULL,
	kind        TEXT NOT NULL,
	message_id  TEXT NOT NULL,
	event_id    TEXT NOT NULL,
	key         TEXT NOT NULL,
	attempt     INTEGER NOT NULL,
	result      TEXT NOT NULL,
	reason      TEXT NOT NULL,
	status      INTEGER NOT NULL,
	duration_us INTEGER NOT NULL,
	time        INTEGER NOT NULL,
	next_due    INTEGER NOT NULL,
	receipt     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_message ON attempts (message_id);
CREATE INDEX IF NOT EXISTS attempts_key ON attempts (key) WHERE key <> '';
CREATE INDEX IF NOT EXISTS attempts_merchant_time ON attempts (merchant, time);
CREATE INDEX IF NOT EXISTS attempts_time ON attempts (time);

CREATE TABLE IF NOT EXISTS notifications (
	merchant   TEXT NOT NULL,
	endpoint   TEXT NOT NULL,
	message_id TEXT NOT NULL,
	kind       TEXT NOT NULL,
	key        TEXT NOT NULL,
	state      TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	reason     TEXT NOT NULL,
	first      INTEGER NOT NULL,
	last       INTEGER NOT NULL,
	next_due   INTEGER NOT NULL,
	PRIMARY KEY (merchant, endpoint, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS notifications_pending ON notifications (merchant, endpoint, state, first);

CREATE TABLE IF NOT EXISTS totals (
	merchant TEXT NOT NULL,
	state    TEXT NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (merchant, state)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS totals_insert AFTER INSERT ON notifications BEGIN
	INSERT INTO totals VALUES (NEW.merchant, NEW.state, 1)
		ON CONFLICT (merchant, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS totals_update AFTER UPDATE OF state ON notifications
WHEN OLD.state <> NEW.state BEGIN
	UPDATE totals SET n = n - 1 WHERE merchant = OLD.merchant AND state = OLD.state;
	INSERT INTO totals VALUES (NEW.merchant, NEW.state, 1)
		ON CONFLICT (merchant, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS totals_delete AFTER DELETE ON notifications BEGIN
	UPDATE totals SET n = n - 1 WHERE merchant = OLD.merchant AND state = OLD.state;
END;
CREATE INDEX IF NOT EXISTS notifications_last ON notifications (last);

CREATE TABLE IF NOT EXISTS minutes (
	merchant  TEXT NOT NULL,
	endpoint  TEXT NOT NULL,
	minute    INTEGER NOT NULL,
	delivered INTEGER NOT NULL,
	failed    INTEGER NOT NULL,
	PRIMARY KEY (merchant, endpoint, minute)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS endpoints (
	merchant     TEXT NOT NULL,
	endpoint     TEXT NOT NULL,
	last_success INTEGER NOT NULL,
	last_attempt INTEGER NOT NULL,
	last_reason  TEXT NOT NULL,
	PRIMARY KEY (merchant, endpoint)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS dead_letters (
	part        INTEGER NOT NULL,
	off         INTEGER NOT NULL,
	dead_kind   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	merchant    TEXT NOT NULL,
	endpoint    TEXT NOT NULL,
	message_id  TEXT NOT NULL,
	event_id    TEXT NOT NULL,
	reason      TEXT NOT NULL,
	detail      TEXT NOT NULL,
	failed_at   INTEGER NOT NULL,
	replayed_at INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (part, off)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dead_letters_failed ON dead_letters (failed_at);

CREATE TABLE IF NOT EXISTS offsets (
	topic TEXT NOT NULL,
	part  INTEGER NOT NULL,
	next  INTEGER NOT NULL,
	PRIMARY KEY (topic, part)
) WITHOUT ROWID;
`
