package retryrecord

import (
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
)

// headerValues builds a record's headers with their values rendered into
// one buffer: one allocation for every value rather than one or two each.
// Each value is capped, so none can be appended to over the next.
type headerValues struct {
	hs  []kafka.Header
	buf []byte
}

// timeSize is the longest formatTime result.
const timeSize = len("2006-01-02T15:04:05.999999999Z")

// newHeaderValues returns a builder for n headers (those appended with
// add included) whose rendered values take about size bytes.
func newHeaderValues(n, size int) headerValues {
	return headerValues{hs: make([]kafka.Header, 0, n), buf: make([]byte, 0, size)}
}

// add appends headers as they are.
func (v *headerValues) add(hs ...kafka.Header) { v.hs = append(v.hs, hs...) }

// str appends the header key: value.
func (v *headerValues) str(key, value string) {
	start := len(v.buf)
	v.buf = append(v.buf, value...)
	v.end(key, start)
}

// int appends the header key: n in decimal.
func (v *headerValues) int(key string, n int64) {
	start := len(v.buf)
	v.buf = strconv.AppendInt(v.buf, n, 10)
	v.end(key, start)
}

// time appends the header key: t as formatTime renders it.
func (v *headerValues) time(key string, t time.Time) {
	start := len(v.buf)
	v.buf = t.UTC().AppendFormat(v.buf, time.RFC3339Nano)
	v.end(key, start)
}

func (v *headerValues) end(key string, start int) {
	n := len(v.buf)
	v.hs = append(v.hs, kafka.Header{Key: key, Value: v.buf[start:n:n]})
}
