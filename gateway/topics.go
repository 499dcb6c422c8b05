package gateway

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// checkTopics fails when a topic the gateway needs does not exist.
func (g *Gateway) checkTopics(ctx context.Context) error {
	resp, err := g.client().Metadata(ctx, &kafka.MetadataRequest{Topics: g.Topics()})
	if err != nil {
		return fmt.Errorf("gateway: read topic metadata: %w", err)
	}
	found := make(map[string]bool, len(resp.Topics))
	for _, t := range resp.Topics {
		found[t.Name] = t.Error == nil && len(t.Partitions) > 0
	}
	var missing []string
	for _, t := range g.Topics() {
		if !found[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("gateway: missing topics %s: create them, or start lcngw serve once with --create-topics N (N partitions each)",
			strings.Join(missing, ", "))
	}
	return nil
}

// client returns an admin client over the gateway's transport.
func (g *Gateway) client() *kafka.Client {
	return &kafka.Client{Addr: kafka.TCP(g.opts.Brokers...), Timeout: 10 * time.Second, Transport: g.opts.Transport}
}

// EnsureTopics creates the topics that do not exist yet with the given
// number of partitions and replication factor. Existing topics are left
// as they are.
func EnsureTopics(ctx context.Context, brokers []string, topics []string, partitions, replication int) error {
	return EnsureTopicsVia(ctx, nil, brokers, topics, partitions, replication)
}

// EnsureTopicsVia is EnsureTopics over a given transport (nil: plain TCP).
func EnsureTopicsVia(ctx context.Context, t kafka.RoundTripper, brokers []string, topics []string, partitions, replication int) error {
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second, Transport: t}
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: t, NumPartitions: partitions, ReplicationFactor: replication})
	}
	resp, err := c.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	var (
		errs   []error
		denied []string
	)
	for t, err := range resp.Errors {
		switch {
		case err == nil || errors.Is(err, kafka.TopicAlreadyExists):
		case errors.Is(err, kafka.TopicAuthorizationFailed), errors.Is(err, kafka.ClusterAuthorizationFailed):
			denied = append(denied, t)
		default:
			errs = append(errs, fmt.Errorf("create topic %s: %w", t, err))
		}
	}
	if len(denied) > 0 {
		slices.Sort(denied)
		errs = append(errs, fmt.Errorf("create topics %s: not authorized (creating topics needs the Create ACL on the cluster or on these topics; or have an administrator create them)",
			strings.Join(denied, ", ")))
	}
	return errors.Join(errs...)
}
