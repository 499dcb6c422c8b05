// Package kafkaconn builds every Kafka connection lcngw makes: it turns the
// Kafka configuration (brokers, client ID, TLS, SASL) into segmentio/kafka-go
// Dialers, Transports and Clients, so that every command and tool connects
// the same way, and it turns connection failures into one line that names
// the broker and what failed.
//
// Check probes the brokers before a command starts its work: a wrong
// password, an unknown mechanism, an untrusted certificate, or a TLS and
// plaintext mismatch fail there, within a bounded time, instead of as the
// "unexpected EOF" kafka-go reports much later. Authorize checks the ACLs a
// command needs and names each missing permission.
package kafkaconn
