package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"time"
)

// Kafka configures the consumer group that reads subscription and order
// events and the producer that writes the retry and dead-letter topics.
//
// Producer acknowledgements are fixed to "all in-sync replicas" and cannot
// be configured: once the gateway commits a source offset, the record it
// wrote to the retry or dead-letter topic is the only copy of that pending
// notification, and a weaker setting (kafka-go's default is none) loses it
// silently when a broker fails over.
//
// TLS and SASL secure every connection of every command: see KafkaTLS
// and KafkaSASL.
type Kafka struct {
	// Brokers lists bootstrap brokers as host:port. Required.
	Brokers []string `yaml:"brokers"`
	// ClientID identifies the gateway in broker logs and quotas; default "lcngw".
	ClientID string `yaml:"client_id"`
	// GroupID is the consumer group; default "lcngw". Every instance of one
	// deployment shares it.
	GroupID string `yaml:"group_id"`
	// StartOffset is where the group starts on a topic it has no committed
	// offset for; default "first", so events published before the first
	// start are delivered rather than lost.
	StartOffset StartOffset `yaml:"start_offset"`
	// Topics names the topics.
	Topics Topics `yaml:"topics"`
	// MinBytes is the least data a fetch waits for; default 1 (answer as soon
	// as one event is there).
	MinBytes int `yaml:"min_bytes"`
	// MaxBytes caps one fetch response; default 1 MiB (hundreds of events).
	MaxBytes int `yaml:"max_bytes"`
	// MaxWait bounds how long a fetch waits for MinBytes; default 250ms. It
	// also bounds how long closing a reader and noticing a rebalance take.
	MaxWait time.Duration `yaml:"max_wait"`
	// HeartbeatInterval is how often a member heartbeats the group
	// coordinator, and so how late it learns of a rebalance; default 1s, at
	// most a third of SessionTimeout.
	HeartbeatInterval time.Duration `yaml:"heartbeat_interval"`
	// SessionTimeout is how long the coordinator waits for a silent member
	// before reassigning its partitions; default 30s, between 6s and 5m
	// (the brokers' default group.min/max.session.timeout.ms).
	SessionTimeout time.Duration `yaml:"session_timeout"`
	// RebalanceTimeout is how long members get to rejoin during a
	// rebalance; default 30s.
	RebalanceTimeout time.Duration `yaml:"rebalance_timeout"`
	// BatchTimeout is how long the producer waits to fill a batch; default
	// 10ms. Retry and dead-letter writes are synchronous, so it adds to every
	// one of them (kafka-go's default of 1s would make each take a second).
	BatchTimeout time.Duration `yaml:"batch_timeout"`
	// TLS encrypts the connections; off by default.
	TLS KafkaTLS `yaml:"tls"`
	// SASL authenticates the gateway; off by default.
	SASL KafkaSASL `yaml:"sasl"`
}

// Topics names the Kafka topics.
type Topics struct {
	// LCN carries subscription events; default "lcngw.subscriptions".
	LCN string `yaml:"lcn"`
	// IPN carries order events; default "lcngw.orders".
	IPN string `yaml:"ipn"`
	// Retry holds notifications waiting for their next attempt; default
	// "lcngw.retry".
	Retry string `yaml:"retry"`
	// DeadLetter holds notifications that failed for good; default
	// "lcngw.dead-letter".
	DeadLetter string `yaml:"dead_letter"`
	// Attempts is the attempt log: every delivery attempt's outcome,
	// keyed by merchant, read by the console; default "lcngw.attempts".
	// Empty turns the attempt log off.
	Attempts string `yaml:"attempts"`
}

func defaultKafka() Kafka {
	return Kafka{
		ClientID:    "lcngw",
		GroupID:     "lcngw",
		StartOffset: StartFirst,
		Topics: Topics{
			LCN:        "lcngw.subscriptions",
			IPN:        "lcngw.orders",
			Retry:      "lcngw.retry",
			DeadLetter: "lcngw.dead-letter",
			Attempts:   "lcngw.attempts",
		},
		MinBytes:          1,
		MaxBytes:          1 << 20,
		MaxWait:           250 * time.Millisecond,
		HeartbeatInterval: time.Second,
		SessionTimeout:    30 * time.Second,
		RebalanceTimeout:  30 * time.Second,
		BatchTimeout:      10 * time.Millisecond,
	}
}

// Broker limits on the session timeout (group.min.session.timeout.ms and
// the older brokers' group.max.session.timeout.ms defaults).
const (
	minSessionTimeout = 6 * time.Second
	maxSessionTimeout = 5 * time.Minute
)

// topicName is Kafka's legal topic name: ASCII letters, digits, '.', '_'
// and '-', at most 249 characters.
var topicName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)

func (k *Kafka) validate(ps *problems) {
	if len(k.Brokers) == 0 {
		ps.add("kafka.brokers", "at least one broker is required")
	}
	for i, b := range k.Brokers {
		if !validHostPort(b) {
			ps.add(index("kafka.brokers", i), "must be host:port")
		}
	}
	ps.require(k.ClientID != "", "kafka.client_id", "must not be empty")
	ps.require(k.GroupID != "", "kafka.group_id", "must not be empty")
	ps.require(k.StartOffset == StartFirst || k.StartOffset == StartLast, "kafka.start_offset", "must be first or last")
	k.Topics.validate(ps)
	ps.require(k.MinBytes >= 1, "kafka.min_bytes", "must be at least 1")
	ps.require(k.MaxBytes >= k.MinBytes && k.MaxBytes >= 1, "kafka.max_bytes", "must be at least min_bytes")
	ps.require(k.MaxWait > 0, "kafka.max_wait", "must be positive")
	ps.require(k.SessionTimeout >= minSessionTimeout && k.SessionTimeout <= maxSessionTimeout,
		"kafka.session_timeout", "must be between 6s and 5m")
	ps.require(k.HeartbeatInterval > 0 && k.HeartbeatInterval <= k.SessionTimeout/3,
		"kafka.heartbeat_interval", "must be positive and at most a third of session_timeout")
	ps.require(k.MaxWait < k.SessionTimeout, "kafka.max_wait", "must be shorter than session_timeout")
	ps.require(k.RebalanceTimeout > 0, "kafka.rebalance_timeout", "must be positive")
	ps.require(k.BatchTimeout > 0 && k.BatchTimeout <= time.Second, "kafka.batch_timeout", "must be positive and at most 1s")
	k.TLS.validate(ps)
	k.SASL.validate(ps)
}

func (t *Topics) validate(ps *problems) {
	named := []struct{ key, topic string }{
		{"lcn", t.LCN}, {"ipn", t.IPN}, {"retry", t.Retry}, {"dead_letter", t.DeadLetter}, {"attempts", t.Attempts},
	}
	for i, n := range named {
		path := "kafka.topics." + n.key
		if n.key == "attempts" && n.topic == "" {
			continue // the attempt log is off
		}
		if !topicName.MatchString(n.topic) || n.topic == "." || n.topic == ".." {
			ps.add(path, "must be 1-249 letters, digits, '.', '_' or '-'")
			continue
		}
		for _, prev := range named[:i] {
			if prev.topic == n.topic {
				ps.add(path, fmt.Sprintf("same topic as kafka.topics.%s; every topic must be distinct", prev.key))
				break
			}
		}
	}
}

// validHostPort reports whether s is host:port with a non-empty host and a
// port from 1 to 65535.
func validHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}
