package delivery

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// rawServer answers every request with the bytes answer returns for it,
// written as they are; close makes it hang up after the answer. It counts
// connections and keeps the requests it read.
type rawServer struct {
	ln     net.Listener
	conns  atomic.Int64 // accepted
	closed atomic.Int64 // ended
	mu     sync.Mutex
	open   []net.Conn
	reqs   []*http.Request
	bodies [][]byte
}

func newRawServer(t testing.TB, answer func(n int, r *http.Request) (raw string, close bool)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.mu.Lock()
			s.open = append(s.open, conn)
			s.mu.Unlock()
			wg.Go(func() { s.serve(conn, answer) })
		}
	})
	return s
}

func (s *rawServer) serve(conn net.Conn, answer func(int, *http.Request) (string, bool)) {
	defer s.closed.Add(1)
	defer conn.Close()
	br := bufio.NewReader(conn)
	for {
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs, s.bodies = append(s.reqs, r), append(s.bodies, body)
		s.mu.Unlock()
		raw, hangUp := answer(n, r)
		if raw == resetAnswer {
			_ = conn.(*net.TCPConn).SetLinger(0) // close with RST
			return
		}
		if _, err := io.WriteString(conn, raw); err != nil || hangUp {
			return
		}
	}
}

func (s *rawServer) url() string { return "http://" + s.ln.Addr().String() }

// resetAnswer makes a rawServer reset the connection instead of answering.
const resetAnswer = "RST"

// ok is a 200 answer with the V5 receipt and a Content-Length.
var ok = "HTTP/1.1 200 OK\r\nContent-Length: " + fmt.Sprint(len(lcnReceiptMD5)) + "\r\n\r\n" + lcnReceiptMD5

func chunked(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "%x;ext=1\r\n%s\r\n", len(p), p)
	}
	return b.String() + "0\r\nX-Trailer: t\r\n\r\n"
}

// posts returns the number of requests the server read.
func (s *rawServer) posts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}
