package cli

import (
	"context"
	"slices"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
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

// serveNeeds are the ACLs lcngw serve needs: read the source topics and
// the retry tiers in its two consumer groups, write the tiers, the
// dead-letter topic and the attempt log.
func serveNeeds(cfg *config.Config, gw *gateway.Gateway) kafkaconn.Need {
	t := cfg.Kafka.Topics
	tiers := gw.Tiers().Topics()
	n := kafkaconn.Need{
		Read:   append([]string{t.LCN, t.IPN}, tiers...),
		Write:  append(slices.Clone(tiers), t.DeadLetter),
		Groups: []string{cfg.Kafka.GroupID, cfg.Kafka.GroupID + gateway.RetryGroupSuffix},
	}
	if t.Attempts != "" {
		n.Write = append(n.Write, t.Attempts)
	}
	if cfg.Registry.Source == config.SourceKafka { // followed, and written by the merchant API
		n.Read = append(n.Read, cfg.Registry.Topic)
		n.Write = append(n.Write, cfg.Registry.Topic)
	}
	return n
}

// replayNeeds are the ACLs lcngw replay needs: read the dead-letter topic,
// write the source topics and the retry tiers.
func replayNeeds(cfg *config.Config, gw *gateway.Gateway) kafkaconn.Need {
	t := cfg.Kafka.Topics
	return kafkaconn.Need{Read: []string{t.DeadLetter}, Write: append([]string{t.LCN, t.IPN}, gw.Tiers().Topics()...)}
}
