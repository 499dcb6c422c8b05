package admin

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
)

// Check is a readiness check: it returns nil when its dependency can serve.
// It should honour ctx, which carries Config.CheckTimeout.
type Check func(ctx context.Context) error

type check struct {
	name string
	run  Check
}

// AddCheck registers a readiness check under a short name, reported by
// /readyz when it fails. Names should be fixed words ("kafka", "store"),
// never anything secret.
func (s *Server) AddCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, check{name: name, run: c})
}

// Ready runs every check concurrently and returns the names of the failing
// ones, in registration order. A check still running at CheckTimeout
// counts as failing (it is left to finish on its own).
func (s *Server) Ready(ctx context.Context) []string {
	s.mu.Lock()
	checks := append([]check(nil), s.checks...)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CheckTimeout)
	defer cancel()
	results := make([]chan error, len(checks))
	for i, c := range checks {
		results[i] = make(chan error, 1)
		go func() { results[i] <- c.run(ctx) }()
	}
	var failing []string
	for i, c := range checks {
		var err error
		select {
		case err = <-results[i]:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			failing = append(failing, c.name)
			s.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "readiness check failed",
				slog.String("check", c.name), slog.String("err", err.Error()))
		}
	}
	return failing
}

// readyz answers 200 "ok" when every check passes, 503 "not ready: a, b"
// otherwise, and 503 "shutting down" once shutdown began. Check errors are
// logged, not served.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeText(w, http.StatusServiceUnavailable, "shutting down\n")
		return
	}
	if failing := s.Ready(r.Context()); len(failing) > 0 {
		writeText(w, http.StatusServiceUnavailable, "not ready: "+strings.Join(failing, ", ")+"\n")
		return
	}
	writeText(w, http.StatusOK, "ok\n")
}
