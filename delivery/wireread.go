package delivery

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Errors of a malformed response; the connection is closed after them.
var (
	errMalformedResponse = errors.New("malformed HTTP response")
	errHeaderTooLarge    = errors.New("response headers too large")
)

// maxInterim bounds the 1xx responses skipped before the final one.
const maxInterim = 5

// response is what the client keeps of an answer's head.
type response struct {
	status     int
	retryAfter string // the first Retry-After value
	length     int64  // Content-Length; -1 when unknown
	chunked    bool
	close      bool // the connection cannot carry another request
}

// readResponse reads the status line and headers of the final response,
// skipping interim 1xx responses (101 Switching Protocols is final), with
// at most maxHeader bytes of head each.
func readResponse(br *bufio.Reader, maxHeader int) (response, error) {
	for range maxInterim + 1 {
		r, err := readHead(br, maxHeader)
		if err != nil || r.status >= 200 || r.status == 101 {
			return r, err
		}
	}
	return response{}, fmt.Errorf("%w: too many 1xx responses", errMalformedResponse)
}

// readHead reads one status line and its headers.
func readHead(br *bufio.Reader, maxHeader int) (response, error) {
	budget := maxHeader
	line, err := readLine(br, &budget)
	if err != nil {
		return response{}, err
	}
	r := response{length: -1}
	var http10 bool
	if r.status, http10, err = parseStatusLine(line); err != nil {
		return response{}, err
	}
	r.close = http10
	for {
		line, err := readLine(br, &budget)
		if err != nil {
			return response{}, err
		}
		if len(line) == 0 {
			break
		}
		if err := r.header(line); err != nil {
			return response{}, err
		}
	}
	if http10 {
		r.chunked = false // chunked is HTTP/1.1: an HTTP/1.0 body is taken as sent
	}
	if r.status < 200 || r.status == 204 || r.status == 304 {
		r.length, r.chunked = 0, false // no body, whatever the headers say
	}
	return r, nil
}

// parseStatusLine parses "HTTP/1.x NNN reason"; an HTTP/1.0 answer closes
// the connection.
func parseStatusLine(line []byte) (status int, http10 bool, err error) {
	proto, rest, _ := bytes.Cut(line, []byte(" "))
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		http10 = true
	default:
		return 0, false, errMalformedResponse
	}
	code, _, _ := bytes.Cut(rest, []byte(" "))
	if len(code) != 3 || !isDigits(string(code)) {
		return 0, false, errMalformedResponse
	}
	status, _ = strconv.Atoi(string(code))
	if status < 100 {
		return 0, false, errMalformedResponse
	}
	return status, http10, nil
}

// header records the headers the client uses: the body's framing,
// Connection: close and Retry-After.
func (r *response) header(line []byte) error {
	if line[0] == ' ' || line[0] == '\t' {
		return nil // obsolete line folding: a continuation of a header the client ignores
	}
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return errMalformedResponse
	}
	value = bytes.TrimSpace(value)
	switch {
	case asciiEqualFold(name, "content-length"):
		n, err := strconv.ParseInt(string(value), 10, 64)
		if err != nil || n < 0 || r.length >= 0 && n != r.length {
			return fmt.Errorf("%w: bad Content-Length", errMalformedResponse)
		}
		r.length = n
	case asciiEqualFold(name, "transfer-encoding"):
		switch {
		case asciiEqualFold(value, "chunked"):
			r.chunked = true
		case !asciiEqualFold(value, "identity"):
			return fmt.Errorf("%w: unsupported transfer encoding", errMalformedResponse)
		}
	case asciiEqualFold(name, "connection"):
		for tok := range bytes.SplitSeq(value, []byte(",")) {
			if asciiEqualFold(bytes.TrimSpace(tok), "close") {
				r.close = true
			}
		}
	case asciiEqualFold(name, "retry-after") && r.retryAfter == "":
		r.retryAfter = string(value)
	}
	return nil
}

// readLine reads one CRLF- or LF-terminated line without its terminator,
// charging its length to budget.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return readLongLine(br, line, budget)
	}
	if err != nil {
		return nil, err
	}
	if *budget -= len(line); *budget < 0 {
		return nil, errHeaderTooLarge
	}
	return trimEOL(line), nil
}

// readLongLine finishes a line longer than the reader's buffer.
func readLongLine(br *bufio.Reader, first []byte, budget *int) ([]byte, error) {
	long := append([]byte(nil), first...)
	for {
		if *budget -= len(first); *budget < 0 {
			return nil, errHeaderTooLarge
		}
		more, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			long, first = append(long, more...), more
		case err != nil:
			return nil, err
		default:
			if *budget -= len(more); *budget < 0 {
				return nil, errHeaderTooLarge
			}
			return trimEOL(append(long, more...)), nil
		}
	}
}

func trimEOL(line []byte) []byte {
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// asciiEqualFold compares b and the lower-case ASCII s, ignoring case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if b[i]|0x20 != s[i] && b[i] != s[i] {
			return false
		}
	}
	return true
}
