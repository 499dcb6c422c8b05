package cli

import (
	"context"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/kafkaconn"
)

// connectKafka builds the configuration's Kafka connections (TLS, SASL)
// and checks that a broker accepts them, so that a wrong password, an
// untrusted certificate or an unreachable broker fails the command at
// once, in one line naming the broker, before anything is consumed.
func connectKafka(ctx context.Context, cfg *config.Config) (*kafkaconn.Conn, error) {
	conn, err := kafkaconn.FromConfig(&cfg.Kafka)
	if err != nil {
		return nil, err
	}
	if err := conn.Check(ctx); err != nil {
		return nil, err
	}
	return conn, nil
}
