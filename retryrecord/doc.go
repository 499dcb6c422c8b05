// Package retryrecord is the codec of the headers lcngw's retry and
// dead-letter records carry: a notification's [pipeline.State] (attempt
// counts, times, merchant, endpoint, message id, last failure), the source
// record's coordinates and foreign headers, and a dead letter's kind,
// reason and detail. A record's value is the signed form body, byte for
// byte as first sent. Times are RFC 3339 in UTC with nanoseconds; numbers
// are decimal; free text is clipped to MaxText bytes of valid UTF-8 on one
// line.
package retryrecord
