package receiver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Middleware returns the net/http twin of New: the same checks, receipts,
// duplicate handling and options (the Fiber-only fields are ignored;
// HTTPErrorHandler replaces ErrorHandler). The wrapped handler is the
// application: it finds the notification with FromContext(r.Context()) and
// signals failure by answering a non-2xx status, in which case no receipt
// is written and the notification is not marked handled. When it succeeds,
// the receipt is written as the whole response (status 200, text/html) or,
// when the handler already wrote a body, appended to it; so a handler must
// not answer 204 or 304. As with any net/http handler, the ResponseWriter
// must not be used after ServeHTTP returns.
//
// Middleware panics if the config has neither Secrets nor Keys.
func Middleware(config ...Config) func(http.Handler) http.Handler {
	cfg := configDefault(config...)
	e := newEngine(cfg)
	pool := &sync.Pool{New: func() any { return new(httpExchange) }}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			probe, err := e.precheck(r.Method, r.Header.Get("Content-Encoding"))
			switch {
			case err != nil:
				cfg.HTTPErrorHandler(w, r, err)
				return
			case probe:
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = io.WriteString(w, "OK")
				return
			}
			x := pool.Get().(*httpExchange)
			*x = httpExchange{w: w, r: r, next: next, body: x.body}
			body, err := readBody(r, x.body, cfg.MaxBodySize)
			_ = e.serve(r.Context(), body, err, x)
			*x = httpExchange{body: body[:0]}
			pool.Put(x)
		})
	}
}

// readBody reads at most max bytes of r's body into buf.
func readBody(r *http.Request, buf []byte, max int) ([]byte, error) {
	buf = buf[:0]
	if r.ContentLength > int64(max) {
		return buf, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, max)
	}
	if r.Body == nil {
		return buf, nil
	}
	if n := int(r.ContentLength); n > cap(buf) {
		buf = make([]byte, 0, n)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		var tooLarge *http.MaxBytesError
		switch {
		case len(buf) > max, errors.As(err, &tooLarge):
			return buf, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, max)
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, fmt.Errorf("%w: reading body: %w", ErrMalformed, err)
		}
	}
}

// httpExchange adapts one net/http request to the engine. It is also the
// ResponseWriter the application writes to, recording the status it sets.
type httpExchange struct {
	w      http.ResponseWriter
	r      *http.Request
	next   http.Handler
	status int
	wrote  bool
	body   []byte
}

func (x *httpExchange) handle(_ *Config, n *Notification) (bool, error) {
	x.next.ServeHTTP(x, x.r.WithContext(NewContext(x.r.Context(), n)))
	status := x.status
	if !x.wrote {
		status = http.StatusOK
	}
	return status >= 200 && status < 300, nil
}

func (x *httpExchange) receipt(n *Notification) {
	if !x.wrote {
		x.w.Header().Set("Content-Type", "text/html; charset=utf-8")
		x.w.WriteHeader(http.StatusOK)
	} else {
		_, _ = io.WriteString(x.w, "\n")
	}
	_, _ = io.WriteString(x.w, n.receipt)
}

func (x *httpExchange) reject(cfg *Config, err error) error {
	cfg.HTTPErrorHandler(x.w, x.r, err)
	return nil
}

// Header implements http.ResponseWriter.
func (x *httpExchange) Header() http.Header { return x.w.Header() }

// WriteHeader implements http.ResponseWriter, recording the final status.
func (x *httpExchange) WriteHeader(code int) {
	if !x.wrote && code >= 200 {
		x.status, x.wrote = code, true
	}
	x.w.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (x *httpExchange) Write(p []byte) (int, error) {
	if !x.wrote {
		x.status, x.wrote = http.StatusOK, true
	}
	return x.w.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (x *httpExchange) Unwrap() http.ResponseWriter { return x.w }

// Flush implements http.Flusher (flushing commits the status).
func (x *httpExchange) Flush() {
	if !x.wrote {
		x.status, x.wrote = http.StatusOK, true
	}
	_ = http.NewResponseController(x.w).Flush()
}
