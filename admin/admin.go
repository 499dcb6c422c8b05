// Package admin provides the small operational HTTP listener of lcngw's
// processes: /metrics (Prometheus, from an injected Gatherer), /livez (200
// while the process runs), /readyz (200 when every registered readiness
// check passes, else 503 naming the failing checks), and a graceful
// shutdown bounded in time.
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Defaults of Config.
const (
	DefaultShutdownTimeout = 5 * time.Second
	DefaultCheckTimeout    = 2 * time.Second
)

// Config configures a Server. Zero fields take defaults.
type Config struct {
	// Addr is the listen address of Run, e.g. ":9090" or "127.0.0.1:9090".
	Addr string
	// Gatherer serves /metrics; nil leaves /metrics unregistered (404).
	Gatherer prometheus.Gatherer
	// Logger receives serving errors and failing checks.
	// Default: a logger that discards.
	Logger *slog.Logger
	// ShutdownTimeout bounds the graceful shutdown: requests still running
	// after it are cut off. Default: DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// CheckTimeout bounds each readiness check; a check that has not
	// answered by then counts as failing. Default: DefaultCheckTimeout.
	CheckTimeout time.Duration
}

// Server is the admin listener. Register checks and handlers before
// serving; it is safe for concurrent use.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	mu       sync.Mutex
	checks   []check
	draining atomic.Bool
}

// New returns a Server with /livez, /readyz and (when cfg.Gatherer is set)
// /metrics registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.CheckTimeout <= 0 {
		cfg.CheckTimeout = DefaultCheckTimeout
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /livez", s.livez)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if cfg.Gatherer != nil {
		s.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Gatherer, promhttp.HandlerOpts{
			ErrorLog:      slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelError),
			ErrorHandling: promhttp.ContinueOnError,
		}))
	}
	return s
}

// Handle registers an extra handler on the admin mux (http.ServeMux
// patterns).
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Handler returns the admin mux, for tests or for mounting elsewhere.
func (s *Server) Handler() http.Handler { return s.mux }

// Run listens on Config.Addr and serves until ctx is cancelled, then shuts
// down gracefully (see Serve).
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("admin: listen: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled or serving fails. On
// cancellation /readyz starts answering 503, and the server stops
// accepting connections and waits up to ShutdownTimeout for running
// requests before closing them; it returns nil after a clean shutdown and
// an error if it had to cut requests off. Serve closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("admin: serve: %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("admin: shutdown after %s: %w", s.cfg.ShutdownTimeout, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("admin: serve: %w", err)
	}
	return nil
}

func (s *Server) livez(w http.ResponseWriter, _ *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text))
}
