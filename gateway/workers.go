package gateway

import (
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
)

// fetchBackoff is the pause after a failed fetch.
const fetchBackoff = time.Second

// fetch takes an in-flight slot and reads the partition's next record,
// adding it to the watermark. It returns false when fetching stops.
func (r *laneRun) fetch(p *partition) (kafka.Message, bool) {
	for {
		if !r.acquire() {
			return kafka.Message{}, false
		}
		m, err := p.reader.FetchMessage(r.stop)
		if err == nil {
			p.wm.Add(m.Offset)
			return m, true
		}
		r.release()
		if r.stop.Err() != nil {
			return kafka.Message{}, false
		}
		r.lane.g.log.Warn("fetch failed", "topic", p.topic, "partition", p.id, "err", err)
		if !r.sleep(fetchBackoff) {
			return kafka.Message{}, false
		}
	}
}

// sourceWorker reads one source partition. Records with the same key are
// processed one after another in offset order (a key lane); records with
// different keys, or none, in parallel, up to the lane's in-flight bound.
func (g *Gateway) sourceWorker(r *laneRun, p *partition) {
	lanes := newKeyLanes(&r.wg, func(m *kafka.Message) {
		if r.work.deliver.Err() != nil {
			r.finish(p, m.Offset, false) // not started before the drain deadline: read again later
			return
		}
		r.finish(p, m.Offset, g.handleSource(r.work, m))
	})
	defer lanes.close()
	for {
		m, ok := r.fetch(p)
		if !ok {
			return
		}
		lanes.dispatch(m)
	}
}

// retryWorker reads one retry tier partition. It waits for the record at
// the head to become ready, never fetching past it, so a partition is
// paused while its head waits; ready records are then attempted in
// parallel up to the lane's in-flight bound, or moved to a shorter tier
// in place.
func (g *Gateway) retryWorker(r *laneRun, p *partition) {
	tier, _ := g.tiers.ByTopic(p.topic)
	for {
		m, ok := r.fetch(p)
		if !ok {
			return
		}
		rec, err := retryrecord.Decode(m.Headers)
		if err != nil {
			// One write, rare: no goroutine of its own.
			r.finish(p, m.Offset, g.badRetryRecord(r.work, &m, err))
			continue
		}
		if now := g.clock.Now(); rec.Enqueued.After(now) {
			rec.Enqueued = now // written by a clock ahead of ours: wait one delay, not forever
		}
		st, to, ok := g.waitReady(r, tier, rec)
		if !ok {
			r.release() // stopped while waiting: the record stays unsettled
			return
		}
		if st == stepReroute {
			// One write, and the records behind it wait in the same tier
			// anyway: no goroutine of its own.
			r.finish(p, m.Offset, g.reroute(r.work, &m, rec, to))
			continue
		}
		r.wg.Go(func() { r.finish(p, m.Offset, g.handleRetry(r.work, &m, rec)) })
	}
}

// waitReady waits until the record can be attempted or must move; false
// when fetching stops first.
func (g *Gateway) waitReady(r *laneRun, tier Tier, rec pipeline.State) (step, Tier, bool) {
	for {
		st, wait, to := g.tiers.decide(tier, rec.Enqueued, rec.Due, g.clock.Now())
		if st != stepWait {
			return st, to, true
		}
		if !r.sleep(wait) {
			return 0, Tier{}, false
		}
	}
}
