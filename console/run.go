package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/kafkaconn"
)

// RunOptions configures Run. Conn, both topics, Listener and Token are
// required.
type RunOptions struct {
	Conn            *kafkaconn.Conn
	AttemptTopic    string
	DeadLetterTopic string
	// Database is the view's file; empty: a temporary one, deleted at the
	// end (the view is rebuilt from Kafka at every start).
	Database  string
	Listener  net.Listener
	Token     string
	Directory Directory
	Control   EndpointControl
	Replayer  Replayer
	// Keep is how long the view keeps what happened; default the attempt
	// log's retention, 7 days. Older rows are pruned every 10 minutes.
	Keep   time.Duration
	Logger *slog.Logger
}

// Run builds the view from Kafka and serves the page on o.Listener until
// ctx ends, then stops the server within 5 seconds.
func Run(ctx context.Context, o RunOptions) error {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	path := o.Database
	if path == "" {
		dir, err := os.MkdirTemp("", "lcngw-console-")
		if err != nil {
			return fmt.Errorf("console: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "view.db")
	}
	st, err := OpenStore(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := NewServer(ServerOptions{Store: st, Token: o.Token, Directory: o.Directory, Control: o.Control,
		Replayer: o.Replayer, Logger: o.Logger})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	follow := make(chan error, 1)
	go func() {
		follow <- Follow(ctx, st, FollowOptions{Conn: o.Conn, AttemptTopic: o.AttemptTopic,
			DeadLetterTopic: o.DeadLetterTopic, Logger: o.Logger})
		cancel()
	}()
	if o.Keep <= 0 {
		o.Keep = attemptlog.DefaultRetention
	}
	go prune(ctx, st, o.Keep, o.Logger)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		hs.Shutdown(sctx)
	}()
	err = hs.Serve(o.Listener)
	cancel()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, <-follow)
}

// prune deletes rows older than keep now and every 10 minutes until ctx
// ends.
func prune(ctx context.Context, st *Store, keep time.Duration, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := st.Prune(ctx, time.Now().Add(-keep)); err != nil && ctx.Err() == nil {
			log.Warn("console: prune", "err", err)
		} else if n > 0 {
			log.Info("console: pruned the view", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
