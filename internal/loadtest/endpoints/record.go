package endpoints

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"sync"
	"time"
)

// Record kinds: the first byte of each line of the stream.
const (
	// Listening: "L <endpoint> <host:port>", once per endpoint at start.
	Listening byte = 'L'
	// Ready: "R", once every endpoint listens.
	Ready byte = 'R'
	// Delivered: "D <endpoint> <MESSAGE_ID> <unix nanoseconds>", for every
	// notification answered with a valid read receipt, when it was answered.
	Delivered byte = 'D'
	// Faulted: "F <endpoint> <fault>", for every request answered wrongly on
	// purpose.
	Faulted byte = 'F'
	// Rejected: "X <endpoint> <HTTP status>", for every request the
	// middleware refused (a bad or missing signature, an unknown vendor).
	Rejected byte = 'X'
)

// Fault names on Faulted records.
const (
	Fault5xx          = "5xx"
	FaultHang         = "hang"
	FaultReset        = "reset"
	FaultWrongReceipt = "wrong_receipt"
)

// Record is one line of the stream.
type Record struct {
	Kind      byte
	Endpoint  int
	MessageID uint64 // Delivered
	At        int64  // Delivered: unix nanoseconds
	Addr      string // Listening
	Fault     string // Faulted
	Status    int    // Rejected
}

// Append appends r as one line.
func (r Record) Append(dst []byte) []byte {
	dst = append(dst, r.Kind)
	if r.Kind == Ready {
		return append(dst, '\n')
	}
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(r.Endpoint), 10)
	dst = append(dst, ' ')
	switch r.Kind {
	case Listening:
		dst = append(dst, r.Addr...)
	case Delivered:
		dst = strconv.AppendUint(dst, r.MessageID, 10)
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, r.At, 10)
	case Faulted:
		dst = append(dst, r.Fault...)
	case Rejected:
		dst = strconv.AppendInt(dst, int64(r.Status), 10)
	}
	return append(dst, '\n')
}

// errRecord reports a line that is not a record.
var errRecord = errors.New("endpoints: malformed record")

// ParseRecord parses one line (without its newline).
func ParseRecord(line []byte) (Record, error) {
	if len(line) == 0 {
		return Record{}, errRecord
	}
	r := Record{Kind: line[0]}
	if r.Kind == Ready {
		if len(line) != 1 {
			return Record{}, errRecord
		}
		return r, nil
	}
	f := bytes.Fields(line[1:])
	want := fieldCount(r.Kind)
	if want == 0 || len(f) != want || len(line) < 2 || line[1] != ' ' {
		return Record{}, errRecord
	}
	ep, err := strconv.Atoi(string(f[0]))
	if err != nil || ep < 0 {
		return Record{}, errRecord
	}
	r.Endpoint = ep
	return r, r.parseRest(f[1:])
}

// fieldCount is the number of fields after the kind; 0 for unknown kinds.
func fieldCount(kind byte) int {
	switch kind {
	case Delivered:
		return 3
	case Listening, Faulted, Rejected:
		return 2
	}
	return 0
}

func (r *Record) parseRest(f [][]byte) error {
	var err error
	switch r.Kind {
	case Listening:
		r.Addr = string(f[0])
	case Delivered:
		var errAt error
		r.MessageID, err = strconv.ParseUint(string(f[0]), 10, 64)
		r.At, errAt = strconv.ParseInt(string(f[1]), 10, 64)
		err = errors.Join(err, errAt)
	case Faulted:
		r.Fault = string(f[0])
	case Rejected:
		r.Status, err = strconv.Atoi(string(f[0]))
	}
	if err != nil {
		return errRecord
	}
	return nil
}

// Stream writes records to w, buffered; Run flushes it periodically.
type Stream struct {
	mu  sync.Mutex
	w   *bufio.Writer
	buf []byte
}

// NewStream returns a stream writing to w.
func NewStream(w io.Writer) *Stream { return &Stream{w: bufio.NewWriterSize(w, 64<<10)} }

// Emit writes one record; write errors surface on Flush.
func (s *Stream) Emit(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = r.Append(s.buf[:0])
	_, _ = s.w.Write(s.buf)
}

// Flush writes what is buffered.
func (s *Stream) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Flush()
}

// Run flushes every interval until ctx ends, then once more.
func (s *Stream) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return s.Flush()
		case <-t.C:
			if err := s.Flush(); err != nil {
				return err
			}
		}
	}
}
