// Package signer implements the 2Checkout (Verifone, ex-Avangate) webhook
// signature scheme used by IPN and LCN notifications.
//
// A notification is an ordered list of form fields ([Fields]); array fields are
// sent as repeated NAME[] keys. Every value except the three signature fields
// (HASH, SIGNATURE_SHA2_256, SIGNATURE_SHA3_256) is serialized in wire order as
// its decimal UTF-8 byte length followed by the value itself ([AppendMessage]),
// and that one message is signed with HMAC-MD5, HMAC-SHA-256 and
// HMAC-SHA3-256 under the merchant's secret key ([Signer]).
//
// The package also builds and checks the read receipts a merchant endpoint
// answers with (<EPAYMENT>DATE|HASH</EPAYMENT> or <sig algo=… date=…>HASH</sig>),
// encodes and decodes form bodies without losing field order, and verifies
// incoming notifications under a [Policy].
//
// The package depends only on the standard library and golang.org/x/crypto, so
// a merchant can import it without pulling in Kafka or an HTTP framework.
package signer
