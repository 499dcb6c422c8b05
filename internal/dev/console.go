package dev

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/console"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/kafkaconn"
)

// openAttemptLog makes the gateway write the attempt log when the console
// runs.
func (s *session) openAttemptLog(ctx context.Context, gopts *gateway.Options, reg prometheus.Registerer) error {
	if s.opts.ConsoleListen == "" {
		return nil
	}
	conn := kafkaconn.Plain(s.broker)
	topic := s.cfg.Kafka.Topics.Attempts
	if err := attemptlog.EnsureTopic(ctx, conn.Client(0), topic, s.opts.Partitions, 1, attemptlog.DefaultRetention); err != nil {
		return fmt.Errorf("dev: %w", err)
	}
	w := attemptlog.NewKafkaWriter(conn.Brokers(), topic, nil)
	l, err := attemptlog.New(attemptlog.Options{Writer: w, Registerer: reg, Linger: 10 * time.Millisecond})
	if err != nil {
		return fmt.Errorf("dev: %w", err)
	}
	s.stack = append(s.stack, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = l.Close(ctx)
		_ = w.Close()
	})
	gopts.Recorder = l
	return nil
}

// startConsole serves the web console when asked to, and prints its URL
// and, when it made one up, the login token. Paused states and endpoint
// actions go through the merchant API at apiURL, with the same token.
func (s *session) startConsole(ctx context.Context, gw *gateway.Gateway, apiURL string) error {
	if s.opts.ConsoleListen == "" {
		return nil
	}
	token, made := s.token, s.tokenMade
	ln, err := net.Listen("tcp", s.opts.ConsoleListen)
	if err != nil {
		return fmt.Errorf("dev: console listener: %w", err)
	}
	s.narr.say("console    http://%s/", ln.Addr())
	if made {
		s.narr.say("           log in with the token %s (set $LCNGW_ADMIN_TOKEN to choose it)", token)
	}
	api := &console.MerchantAPI{BaseURL: apiURL, Token: token}
	s.goRun("console", func() error {
		return console.Run(ctx, console.RunOptions{Conn: kafkaconn.Plain(s.broker),
			AttemptTopic: s.cfg.Kafka.Topics.Attempts, DeadLetterTopic: s.cfg.Kafka.Topics.DeadLetter,
			Listener: ln, Token: token, Directory: api, Control: api, Replayer: console.GatewayReplayer(gw),
			Logger: s.logger()})
	})
	return nil
}
