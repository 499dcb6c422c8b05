package delivery

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"time"

	"github.com/valyala/fasthttp"
)

// transport is the fasthttp.RoundTripper of every origin's HostClient.
// It makes the exchange the way fasthttp's default transport does, with
// fasthttp writing the request and parsing the answer, and adds what that
// one lacks:
//
//   - the caller's context ends every phase of the attempt: connecting
//     (keptConn connects once it is taken from the pool), writing, and
//     reading the answer;
//   - a pooled connection is checked before use, and one its server
//     closed fails with errStaleConn before anything is written (the only
//     error the HostClient tries again, see retryUnsent);
//   - only the first MaxResponseBytes of the body are kept, and at most
//     drainBytes more are read so the connection can carry another
//     request; a longer body, 101 Switching Protocols, Connection: close,
//     an error, a cut, or bytes the server sent unasked close it.
//
// It never asks for a retry of a request that may have been written.
type transport struct{}

// attemptKey is the Request user-value key of an exchange's *attempt.
type attemptKey struct{}

// attempt is what the transport needs of one exchange beyond the request,
// and what it hands back beside the response.
type attempt struct {
	ctx            context.Context
	origin         *origin
	connectTimeout time.Duration
	maxBody        int
	body           *bytes.Buffer // the answer's body, cut at maxBody
	bodyErr        error         // the body could not be read whole
}

// aLongTimeAgo is a deadline that makes pending I/O fail at once.
var aLongTimeAgo = time.Unix(1, 0)

// RoundTrip makes one exchange for req.
func (transport) RoundTrip(hc *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response) (retry bool, err error) {
	x := req.UserValue(attemptKey{}).(*attempt)
	deadline := time.Now().Add(req.GetTimeOut())
	cc, err := hc.AcquireConn(req.GetTimeOut(), false)
	if err != nil {
		return false, err
	}
	kc := cc.Conn().(*keptConn)
	kc.origin.busy(kc)
	switch {
	case !kc.connected():
		if err := kc.connect(x.ctx, deadline, x.connectTimeout); err != nil {
			hc.CloseConn(cc)
			return false, err
		}
	case !kc.stillOpen():
		hc.CloseConn(cc)
		return true, errStaleConn
	}
	kc.watch(x.ctx)
	reuse, err := x.exchange(hc, kc, req, resp, deadline)
	kc.end()
	if x.ctx.Err() != nil {
		reuse = false // cut, or about to be
	}
	if reuse && kc.origin.keepIdle(kc) {
		hc.ReleaseConn(cc)
	} else {
		hc.CloseConn(cc)
	}
	return false, err
}

// exchange writes req on conn and reads the answer into resp and x.body,
// reporting whether conn can carry another request.
func (x *attempt) exchange(hc *fasthttp.HostClient, conn *keptConn, req *fasthttp.Request, resp *fasthttp.Response, deadline time.Time) (reuse bool, err error) {
	if err := conn.SetDeadline(deadline); err != nil {
		return false, err
	}
	if err := conn.begin(x.ctx); err != nil {
		return false, err
	}
	bw := hc.AcquireWriter(conn)
	err = req.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	hc.ReleaseWriter(bw)
	if err != nil {
		return false, err
	}
	br := hc.AcquireReader(conn)
	defer hc.ReleaseReader(br)
	if err := checkStatusLine(br); err != nil {
		return false, err
	}
	resp.StreamBody = true
	if err := resp.ReadLimitBody(br, 0); err != nil {
		return false, err
	}
	reuse = !resp.ConnectionClose() && resp.StatusCode() != fasthttp.StatusSwitchingProtocols
	if s := resp.BodyStream(); s != nil {
		var complete bool
		complete, x.bodyErr = readPrefix(s, x.body, x.maxBody)
		_ = resp.CloseBodyStream()
		reuse = reuse && complete && x.bodyErr == nil
	}
	return reuse && br.Buffered() == 0, nil
}

// errStatusLine reports an answer that does not start with an HTTP/1.x
// status line and a status code from 100 to 999.
const errStatusLine = constError("malformed HTTP status line")

// checkStatusLine checks the start of the answer's status line, which
// fasthttp reads more leniently ("HTTP/0.0 000" would be a 200).
func checkStatusLine(br *bufio.Reader) error {
	b, err := br.Peek(len("HTTP/1.1 200"))
	if err != nil {
		return err
	}
	if string(b[:7]) != "HTTP/1." || b[7] != '0' && b[7] != '1' || b[8] != ' ' ||
		b[9] < '1' || b[9] > '9' || b[10] < '0' || b[10] > '9' || b[11] < '0' || b[11] > '9' {
		return errStatusLine
	}
	return nil
}

// readPrefix reads the first max bytes of body into buf and drains up to
// drainBytes more (into buf's spare room, which is not kept); complete
// reports that body ended within them.
func readPrefix(body io.Reader, buf *bytes.Buffer, max int) (complete bool, err error) {
	for read := 0; read <= max+drainBytes; {
		if buf.Available() == 0 {
			buf.Grow(min(max+1, 4<<10))
		}
		p := buf.AvailableBuffer()
		p = p[:cap(p)]
		n, err := body.Read(p)
		read += n
		if keep := min(n, max-buf.Len()); keep > 0 {
			buf.Write(p[:keep])
		}
		switch {
		case err == io.EOF:
			return read <= max+drainBytes, nil
		case err != nil:
			return false, err
		}
	}
	return false, nil // longer than the drain bound: not worth reading
}

var _ fasthttp.RoundTripper = transport{}
