// Package broker runs a standalone Kafka-compatible broker in process
// (kfake): one broker on 127.0.0.1 for development, kcat sessions, and the
// benchmark and fault-injection runs, which start it as a separate process
// so that its CPU is accounted apart from the gateway's.
//
// It is not Kafka: everything is held in memory (and, with DataDir, also
// written to disk so that it survives a restart), there is no replication,
// and the listener binds the loopback address only.
package broker

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Defaults of Options.
const (
	DefaultPort       = 9092
	DefaultPartitions = 3
	// SegmentBytes is the segment size set with a retention bound:
	// memory is released a whole segment at a time, so small segments
	// keep the bound tight.
	SegmentBytes = 1 << 20
	// RetentionInterval is how often retention is applied.
	RetentionInterval = time.Second
)

// Options configures Run.
type Options struct {
	// Port is the listening port on 127.0.0.1; 0 picks a free one.
	Port int
	// Partitions is the partition count of the seeded topics and of topics
	// created automatically; default DefaultPartitions.
	Partitions int
	// Topics are created at start, unless DataDir holds the state of an
	// earlier run, which is resumed as it was.
	Topics []string
	// DataDir, when set, persists topics, records and committed offsets
	// there; a broker started again on the same directory resumes them.
	DataDir string
	// RetentionBytes bounds every partition (log.retention.bytes); 0 keeps
	// everything. Records a consumer has not read yet are deleted too, so
	// size it above the largest expected lag.
	RetentionBytes int64
	// TLS, when set, makes the listener speak TLS only (set ClientAuth and
	// ClientCAs to require client certificates).
	TLS *tls.Config
	// Users, when any, turn SASL on: every connection must authenticate as
	// one of them. They are superusers: no ACL applies to them.
	Users []User
	// Ready, when set, is called with the listening address once the
	// broker accepts connections.
	Ready func(addr string)
}

// User is a SASL user of the broker.
type User struct {
	// Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
	Mechanism string
	// Name and Password are the credentials.
	Name, Password string
}

// Run starts the broker and serves until ctx ends, then closes it (with
// DataDir, everything written so far is kept).
func Run(ctx context.Context, o Options) error {
	switch {
	case o.Port < 0 || o.Port > 65535:
		return fmt.Errorf("broker: port %d is not from 0 to 65535", o.Port)
	case o.Partitions < 0:
		return fmt.Errorf("broker: partitions %d is negative", o.Partitions)
	case o.RetentionBytes < 0:
		return fmt.Errorf("broker: retention bytes %d is negative", o.RetentionBytes)
	}
	for _, u := range o.Users {
		if err := u.check(); err != nil {
			return err
		}
	}
	if o.Partitions == 0 {
		o.Partitions = DefaultPartitions
	}
	c, err := kfake.NewCluster(clusterOptions(o)...)
	if err != nil {
		return fmt.Errorf("broker: start: %w", err)
	}
	defer c.Close()
	if o.Ready != nil {
		o.Ready(c.ListenAddrs()[0])
	}
	if o.RetentionBytes == 0 {
		<-ctx.Done()
		return nil
	}
	tick := time.NewTicker(RetentionInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			c.ApplyRetention()
		}
	}
}

// clusterOptions translates o into kfake options.
func clusterOptions(o Options) []kfake.Opt {
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(o.Port),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(o.Partitions),
	}
	if topics := cleanTopics(o.Topics); len(topics) > 0 {
		opts = append(opts, kfake.SeedTopics(int32(o.Partitions), topics...))
	}
	if o.DataDir != "" {
		opts = append(opts, kfake.DataDir(o.DataDir))
	}
	if o.TLS != nil {
		opts = append(opts, kfake.TLS(o.TLS))
	}
	if len(o.Users) > 0 {
		opts = append(opts, kfake.EnableSASL())
	}
	for _, u := range o.Users {
		opts = append(opts, kfake.Superuser(u.Mechanism, u.Name, u.Password))
	}
	if o.RetentionBytes > 0 {
		opts = append(opts, kfake.BrokerConfigs(map[string]string{
			"log.retention.bytes": strconv.FormatInt(o.RetentionBytes, 10),
			"log.segment.bytes":   strconv.Itoa(SegmentBytes),
		}))
	}
	return opts
}

// cleanTopics drops blank names and surrounding spaces.
func cleanTopics(topics []string) []string {
	var out []string
	for _, t := range topics {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// check rejects a user kfake would not accept.
func (u User) check() error {
	switch u.Mechanism {
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		return fmt.Errorf("broker: SASL user %q: unknown mechanism %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", u.Name, u.Mechanism)
	}
	if u.Name == "" || u.Password == "" {
		return errors.New("broker: a SASL user needs a name and a password")
	}
	return nil
}
