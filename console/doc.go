// Package console serves lcngw's operator web page: which notifications
// were delivered, which wait and which are dead, answered from a view that
// the console builds in an embedded SQLite database by reading the attempt
// log and dead-letter topics from their first record. The view is a cache:
// deleting the database rebuilds it from Kafka, so several consoles can
// run side by side and none is the system of record.
//
// The page shows identifiers only (merchant, endpoint, MESSAGE_ID, license
// code or order reference), never a notification's body. Every page and
// API needs the admin token's session, and every write is checked against
// cross-site requests and carries a per-session CSRF token.
package console
