package delivery

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"testing"
)

// FuzzReadResponse: the answer reader never panics or loops on any input,
// and where net/http reads the same bytes, both find the same status and
// the same body.
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte(ok))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("ab", "cde")))
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 503 x\r\nRetry-After: 5\r\n\r\nbody"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var buf bytes.Buffer
		r, err := readResponse(bufio.NewReaderSize(bytes.NewReader(data), 64), 1<<10)
		if err != nil {
			return
		}
		br := bufio.NewReaderSize(bytes.NewReader(data), 64)
		_, _ = readResponse(br, 1<<10)
		if _, err := readBodyInto(br, r, &buf, 1<<10); err != nil {
			return
		}
		want, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), nil)
		if err != nil || want.StatusCode < 200 || want.StatusCode == 101 {
			return // net/http is stricter about some heads
		}
		body, err := io.ReadAll(io.LimitReader(want.Body, 1<<10))
		if err != nil {
			return
		}
		if want.StatusCode != r.status || !bytes.Equal(body, buf.Bytes()) {
			t.Fatalf("status %d body %q; net/http: %d %q", r.status, buf.Bytes(), want.StatusCode, body)
		}
	})
}
