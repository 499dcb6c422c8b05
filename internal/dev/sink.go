package dev

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// sink is where the sample endpoint forwards every verified notification.
// It fails a share of them (Flaky), so the endpoint answers without a
// receipt and the gateway has to retry.
type sink struct {
	flaky float64
	srv   *http.Server
	ln    net.Listener
}

func newSink(flaky float64) (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{flaky: flaky, ln: ln}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	return s, nil
}

func (s *sink) url() string { return "http://" + s.ln.Addr().String() + "/notifications" }

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	if s.flaky > 0 && rand.Float64() < s.flaky {
		http.Error(w, "the sample endpoint is flaky on purpose", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// run serves until ctx ends.
func (s *sink) run(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.srv.Serve(s.ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
