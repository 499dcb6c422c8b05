package gateway

import (
	"context"
	"time"

	"github.com/segmentio/kafka-go"
)

// commitLoop commits the watermarks every CommitInterval until the lane
// has drained. While draining the generation may already have stopped
// heartbeating, so every tick then commits even unchanged offsets: a
// commit keeps the member's session alive at the coordinator.
func (l *lane) commitLoop(gen *kafka.Generation, parts []*partition, stop context.Context, drained <-chan struct{}) {
	t := time.NewTicker(l.g.opts.CommitInterval)
	defer t.Stop()
	for {
		select {
		case <-drained:
			return
		case <-t.C:
			l.commit(gen, parts, stop.Err() != nil)
		}
	}
}

// commit commits every partition whose watermark moved (every partition
// with a known offset when force is set). A failed commit is retried at
// the next tick; it only means more records are read again after a
// restart.
func (l *lane) commit(gen *kafka.Generation, parts []*partition, force bool) {
	offsets := make(map[string]map[int]int64)
	var moved []*partition
	var to []int64
	for _, p := range parts {
		c := p.wm.Committable()
		if c < 0 || (c <= p.committed && !force) {
			continue
		}
		if offsets[p.topic] == nil {
			offsets[p.topic] = make(map[int]int64)
		}
		offsets[p.topic][p.id] = c
		moved, to = append(moved, p), append(to, c)
	}
	if len(offsets) == 0 {
		return
	}
	err := gen.CommitOffsets(offsets)
	l.g.metrics.Committed(l.name, err)
	if err != nil {
		l.g.log.Warn("commit failed", "lane", l.name, "err", err)
		return
	}
	for i, p := range moved {
		p.committed = to[i]
	}
}
