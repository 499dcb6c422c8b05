package gateway

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// joined records which lanes currently hold a consumer-group generation.
type joined struct {
	mu    sync.Mutex
	lanes map[string]bool
}

func (j *joined) set(lane string, in bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.lanes == nil {
		j.lanes = make(map[string]bool, 2)
	}
	j.lanes[lane] = in
}

func (j *joined) has(lane string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lanes[lane]
}

// Lane names, as reported to the Observer.
const (
	LaneSource = "source"
	LaneRetry  = "retry"
)

// Ready reports whether the gateway can do its job: both lanes have joined
// their consumer groups (a member may hold no partition when the group has
// more members than partitions) and a broker answers. It is the admin
// listener's readiness check.
func (g *Gateway) Ready(ctx context.Context) error {
	var errs []error
	for _, lane := range []string{LaneSource, LaneRetry} {
		if !g.joined.has(lane) {
			errs = append(errs, fmt.Errorf("%s lane has not joined its consumer group", lane))
		}
	}
	if err := g.brokerAnswers(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// brokerAnswers asks the bootstrap brokers, in turn, for metadata.
func (g *Gateway) brokerAnswers(ctx context.Context) error {
	var last error
	for _, addr := range g.opts.Brokers {
		conn, err := g.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			last = err
			continue
		}
		_, err = conn.Brokers()
		conn.Close()
		if err == nil {
			return nil
		}
		last = err
	}
	return fmt.Errorf("no broker answers: %w", last)
}
