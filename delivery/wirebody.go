package delivery

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
)

// errBadChunk reports a malformed chunked body; the connection is closed.
var errBadChunk = errors.New("malformed chunked encoding")

// readBodyInto reads at most max bytes of r's body into buf and drains up
// to drainBytes more. It reports whether the connection may carry another
// request: the body ended within the bound and r does not close it.
func readBodyInto(br *bufio.Reader, r response, buf *bytes.Buffer, max int) (reusable bool, err error) {
	if !r.chunked && r.length >= 0 && r.length <= int64(max) {
		return readShortBody(br, r, buf)
	}
	var body io.Reader
	switch {
	case r.chunked:
		body = &chunkedReader{br: br}
	case r.length >= 0:
		body = io.LimitReader(br, r.length)
	default:
		body, r.close = br, true // until the server closes the connection
	}
	if _, err := buf.ReadFrom(io.LimitReader(body, int64(max))); err != nil {
		return false, err
	}
	switch _, err := io.CopyN(io.Discard, body, drainBytes+1); {
	case err == io.EOF:
		return !r.close, nil
	case err != nil:
		return false, err
	}
	return false, nil // longer than the drain bound: not worth reading
}

// readShortBody is readBodyInto for a body of known length within the
// bound, the common case, without the readers that wrap the general one:
// it reads the body whole into buf, or what arrives of it before the
// stream ends (a short body is then classified as it is).
func readShortBody(br *bufio.Reader, r response, buf *bytes.Buffer) (reusable bool, err error) {
	n := int(r.length)
	buf.Grow(n)
	p := buf.AvailableBuffer()[:n]
	read := 0
	for read < n {
		m, err := br.Read(p[read:])
		read += m
		if err == io.EOF {
			break
		}
		if err != nil {
			buf.Write(p[:read])
			return false, err
		}
	}
	buf.Write(p[:read])
	return !r.close, nil
}

// chunkedReader decodes a chunked body (RFC 9112 §7.1): hex size lines
// (extensions ignored), data, CRLF, a zero-size last chunk and trailers
// up to an empty line, all consumed so the connection can be reused.
type chunkedReader struct {
	br   *bufio.Reader
	left int64 // of the current chunk
	done bool
}

// maxChunkLine bounds a chunk-size line and each trailer line.
const maxChunkLine = 4 << 10

func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		if err := c.next(); err != nil {
			return 0, err
		}
		if c.done {
			return 0, io.EOF
		}
	}
	n, err := c.br.Read(p[:min(int64(len(p)), c.left)])
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		err = c.crlf()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// next reads a chunk-size line; after the last chunk, the trailers.
func (c *chunkedReader) next() error {
	budget := maxChunkLine
	line, err := readLine(c.br, &budget)
	if err != nil {
		return chunkErr(err)
	}
	size, _, _ := bytes.Cut(line, []byte(";"))
	size = bytes.TrimSpace(size)
	if len(size) == 0 || len(size) > 15 {
		return errBadChunk
	}
	n, err := strconv.ParseInt(string(size), 16, 64)
	if err != nil || n < 0 {
		return errBadChunk
	}
	if n > 0 {
		c.left = n
		return nil
	}
	for { // trailers
		budget = maxChunkLine
		line, err := readLine(c.br, &budget)
		if err != nil {
			return chunkErr(err)
		}
		if len(line) == 0 {
			c.done = true
			return nil
		}
	}
}

// crlf consumes the line break after a chunk's data.
func (c *chunkedReader) crlf() error {
	b, err := c.br.ReadByte()
	if err == nil && b == '\r' {
		b, err = c.br.ReadByte()
	}
	if err != nil {
		return chunkErr(err)
	}
	if b != '\n' {
		return errBadChunk
	}
	return nil
}

func chunkErr(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	if errors.Is(err, errHeaderTooLarge) {
		return errBadChunk
	}
	return err
}
