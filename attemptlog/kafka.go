package attemptlog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
)

// NewKafkaWriter returns a kafka-go writer for the attempt log topic:
// hash-partitioned by key (the merchant), acknowledged by all replicas,
// batching what Log hands it in one request per partition, compressed with
// Snappy (lz4 keeps megabytes of buffers per partition). transport may
// be nil (kafka.DefaultTransport).
func NewKafkaWriter(brokers []string, topic string, transport kafka.RoundTripper) *kafka.Writer {
	return &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchSize:    DefaultBatchSize,
		BatchTimeout: time.Millisecond,
		Compression:  kafka.Snappy,
		Transport:    transport,
	}
}

// EnsureTopic creates the attempt log topic with the given partitions and
// retention when it does not exist; an existing topic is left as it is.
func EnsureTopic(ctx context.Context, client *kafka.Client, topic string, partitions, replication int, retention time.Duration) error {
	res, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: partitions, ReplicationFactor: replication,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "retention.ms", ConfigValue: strconv.FormatInt(retention.Milliseconds(), 10)}},
	}}})
	if err != nil {
		return fmt.Errorf("attemptlog: create topic %s: %w", topic, err)
	}
	if err := res.Errors[topic]; err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
		return fmt.Errorf("attemptlog: create topic %s: %w", topic, err)
	}
	return nil
}
