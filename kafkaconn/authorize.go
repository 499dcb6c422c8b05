package kafkaconn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/describegroups"
	"github.com/segmentio/kafka-go/protocol/metadata"
)

// Need is what a command does on the cluster: the ACLs it requires.
type Need struct {
	// Read are the topics it consumes (READ, and DESCRIBE for metadata).
	Read []string
	// Write are the topics it produces to (WRITE).
	Write []string
	// Groups are the consumer groups it joins and commits in (READ).
	Groups []string
}

// Kafka ACL operations, as bit positions of the authorized-operations
// fields of Metadata and DescribeGroups responses.
const (
	opRead     = 3
	opWrite    = 4
	opDescribe = 8
)

// Authorize asks the cluster which operations the connection's principal
// may perform on the topics and groups of need, and fails with one line
// naming every missing permission (operation and resource), e.g.
// `kafka ACLs: user "lcngw" lacks Write on topic lcngw.dead-letter; Read on
// group lcngw`. A broker that does not report authorized operations
// passes.
func (c *Conn) Authorize(ctx context.Context, need Need) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	s, addr, err := c.anySession(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	missing, err := topicOps(s, need)
	if err != nil {
		return fmt.Errorf("kafka ACLs: broker %s: %w", addr, err)
	}
	for _, g := range need.Groups {
		ok, err := c.groupReadable(ctx, s, addr, g)
		if err != nil {
			return fmt.Errorf("kafka ACLs: group %s: %w", g, err)
		}
		if !ok {
			missing = append(missing, "Read on group "+g)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	who := "the client"
	if c.opts.SASL != nil {
		who = fmt.Sprintf("user %q", c.opts.SASL.Username)
	}
	return fmt.Errorf("kafka ACLs: %s lacks %s (grant them; docs/operations.md lists the set lcngw needs)", who, strings.Join(missing, "; "))
}

// anySession opens a session to the first bootstrap broker that accepts
// one.
func (c *Conn) anySession(ctx context.Context) (*session, string, error) {
	var errs []error
	for _, addr := range c.opts.Brokers {
		s, err := c.openSession(ctx, addr)
		if err == nil {
			return s, addr, nil
		}
		errs = append(errs, err)
	}
	return nil, "", errors.Join(errs...)
}

// topicOps returns the missing topic permissions of need. A topic the
// principal may not describe looks missing to it: it is reported as
// lacking Describe.
func topicOps(s *session, need Need) ([]string, error) {
	topics := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(need.Read), need.Write...))))
	if len(topics) == 0 {
		return nil, nil
	}
	r, err := s.do(8, &metadata.Request{TopicNames: topics, IncludeTopicAuthorizedOperations: true})
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, t := range r.(*metadata.Response).Topics {
		ops := t.TopicAuthorizedOperations
		switch {
		case kafka.Error(t.ErrorCode) == kafka.TopicAuthorizationFailed:
			missing = append(missing, "Describe on topic "+t.Name)
			continue
		case ops == math.MinInt32:
			continue // not reported
		case !allowed(ops, opDescribe):
			missing = append(missing, "Describe on topic "+t.Name)
			continue
		case t.ErrorCode != 0:
			continue // missing topics are the topic check's to report
		}
		if slices.Contains(need.Read, t.Name) && !allowed(ops, opRead) {
			missing = append(missing, "Read on topic "+t.Name)
		}
		if slices.Contains(need.Write, t.Name) && !allowed(ops, opWrite) {
			missing = append(missing, "Write on topic "+t.Name)
		}
	}
	return missing, nil
}

// groupReadable reports whether the principal may read group, asking its
// coordinator.
func (c *Conn) groupReadable(ctx context.Context, s *session, addr, group string) (bool, error) {
	coord, err := s.coordinator(group)
	if errors.Is(err, kafka.GroupAuthorizationFailed) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if coord != addr {
		cs, err := c.openSession(ctx, coord)
		if err != nil {
			return false, err
		}
		defer cs.close()
		s = cs
	}
	r, err := s.do(3, &describegroups.Request{Groups: []string{group}, IncludeAuthorizedOperations: true})
	if err != nil {
		return false, err
	}
	groups := r.(*describegroups.Response).Groups
	if len(groups) != 1 {
		return false, fmt.Errorf("describe group: %d answers", len(groups))
	}
	g := groups[0]
	switch {
	case kafka.Error(g.ErrorCode) == kafka.GroupAuthorizationFailed:
		return false, nil
	case g.ErrorCode != 0 || g.AuthorizedOperations == math.MinInt32:
		return true, nil
	}
	return allowed(g.AuthorizedOperations, opRead), nil
}

func allowed(ops int32, op int) bool { return ops&(1<<op) != 0 }
