package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/kafkaconn"
)

// openAttemptLog starts the attempt log of cfg (nil when
// kafka.topics.attempts is empty) and returns the function that flushes and
// closes it. The topic is created, with its 7-day retention, when missing;
// failing to create it is only logged: the log is best effort.
func openAttemptLog(ctx context.Context, cfg *config.Config, reg prometheus.Registerer, log *slog.Logger) (*attemptlog.Log, func(), error) {
	topic := cfg.Kafka.Topics.Attempts
	if topic == "" {
		return nil, func() {}, nil
	}
	conn, err := kafkaconn.FromConfig(&cfg.Kafka)
	if err != nil {
		return nil, nil, fmt.Errorf("attempt log: %w", err)
	}
	if err := attemptlog.EnsureTopic(ctx, conn.Client(0), topic, 3, 1, attemptlog.DefaultRetention); err != nil {
		log.Warn("attempt log topic not created; writes fail until it exists", "topic", topic, "err", err)
	}
	w := attemptlog.NewKafkaWriter(conn.Brokers(), topic, conn.Transport())
	l, err := attemptlog.New(attemptlog.Options{Writer: w, Registerer: reg, Logger: log})
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	closeLog := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.Close(ctx); err != nil {
			log.Warn("attempt log not flushed", "err", err)
		}
		w.Close()
	}
	return l, closeLog, nil
}
