// Package registry provides the merchant registry: merchants and their
// endpoints as live data in a compacted Kafka topic (default
// "lcngw.merchants"), read by every gateway instance.
//
// # Records
//
// The key of a record is the vendor code; the value is the merchant
// document (the fields of a merchant in the configuration file, as JSON)
// with the registry's state: a revision counting changes, the time of the
// change, the names of paused endpoints, and the secret sealed with
// AES-256-GCM under a key-encryption key named by its id (see [Keyring]).
// No plaintext secret is ever written to the topic. A tombstone (an empty
// value) deletes the merchant.
//
// # Rules
//
//   - An instance reads the topic to its end before it consumes events
//     (Loaded, Ready), and follows it after: a change reaches every
//     instance within the fetch wait (DefaultMaxWait) plus the broker's
//     round trip, well inside 2 s, without a restart.
//   - A notification already in flight finishes with the merchant and
//     endpoint it started with. Every later attempt, a retry included,
//     looks the merchant up again and goes to its current endpoint.
//   - A retry whose endpoint was removed becomes a dead letter with reason
//     unknown_endpoint; an event or retry of a deleted merchant, one with
//     reason unknown_merchant. Both can be replayed once the merchant is
//     back.
//   - A paused endpoint's notifications wait in the retry path, using no
//     attempt; nothing is dropped, and resuming releases them.
//   - A record that cannot be read (a key missing from the keyring, a
//     damaged value) removes the merchant rather than serve a stale copy,
//     and is logged with its vendor code and offset.
//   - Writes read the change back before they return, so a client sees its
//     own write on the instance it wrote through.
package registry
