package registry

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// follow reads every partition of the topic from its start: to the end the
// topic had when following began (then loaded is closed), and on after it,
// until ctx ends.
func (r *Registry) follow(ctx context.Context) error {
	ends, err := r.ends(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var pending sync.WaitGroup
	errs := make(chan error, len(ends))
	pending.Add(len(ends))
	for p, end := range ends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.followPartition(ctx, p, end, pending.Done); err != nil {
				errs <- err
			}
		}()
	}
	go func() {
		pending.Wait()
		r.loadedOnce.Do(func() { close(r.loaded) })
	}()
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// ends returns the end offset (high watermark) of each partition.
func (r *Registry) ends(ctx context.Context) (map[int]int64, error) {
	c := &kafka.Client{Addr: kafka.TCP(r.opts.Brokers...), Timeout: 10 * time.Second, Transport: r.opts.Transport}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{r.opts.Topic}})
	if err != nil {
		return nil, fmt.Errorf("registry %s: metadata: %w", r.opts.Topic, err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		var terr error = errors.New("no such topic")
		if len(md.Topics) == 1 {
			terr = md.Topics[0].Error
		}
		return nil, fmt.Errorf("registry %s: %w", r.opts.Topic, terr)
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for _, p := range md.Topics[0].Partitions {
		req.Topics[r.opts.Topic] = append(req.Topics[r.opts.Topic], kafka.LastOffsetOf(p.ID))
	}
	resp, err := c.ListOffsets(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("registry %s: list offsets: %w", r.opts.Topic, err)
	}
	ends := map[int]int64{}
	for _, po := range resp.Topics[r.opts.Topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("registry %s partition %d: %w", r.opts.Topic, po.Partition, po.Error)
		}
		ends[po.Partition] = po.LastOffset
	}
	return ends, nil
}

// followPartition applies the records of one partition; done is called
// once the records before end are applied. Records are decoded on one
// goroutine per core, each vendor code always on the same one, so the
// records of a merchant apply in order.
func (r *Registry) followPartition(ctx context.Context, partition int, end int64, done func()) error {
	rd := kafka.NewReader(kafka.ReaderConfig{
		Brokers: r.opts.Brokers, Topic: r.opts.Topic, Partition: partition, Dialer: r.opts.Dialer,
		MinBytes: 1, MaxBytes: 16 << 20, MaxWait: r.opts.MaxWait, StartOffset: kafka.FirstOffset,
		QueueCapacity: 1000, ReadBatchTimeout: r.opts.MaxWait + 5*time.Second,
	})
	defer rd.Close()
	ap := newAppliers(runtime.GOMAXPROCS(0), r.apply)
	defer ap.close()
	var once sync.Once
	if end <= 0 {
		once.Do(done)
	}
	defer once.Do(done) // a stop before the end still releases the waiters
	for {
		msg, err := rd.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("registry %s partition %d: %w", r.opts.Topic, partition, err)
		}
		ap.apply(msg)
		if msg.Offset+1 >= end {
			once.Do(func() {
				ap.drain()
				done()
			})
		}
	}
}

// appliers apply records on several goroutines, a vendor code always on
// the same one.
type appliers struct {
	in []chan applyItem
	wg sync.WaitGroup
}

// applyItem is a record to apply, or (msg nil) a barrier to acknowledge.
type applyItem struct {
	msg     *kafka.Message
	drained chan<- struct{}
}

func newAppliers(n int, apply func(kafka.Message)) *appliers {
	a := &appliers{in: make([]chan applyItem, max(n, 1))}
	for i := range a.in {
		a.in[i] = make(chan applyItem, 256)
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			for it := range a.in[i] {
				if it.msg == nil {
					it.drained <- struct{}{}
					continue
				}
				apply(*it.msg)
			}
		}()
	}
	return a
}

func (a *appliers) apply(msg kafka.Message) {
	h := fnv.New32a()
	_, _ = h.Write(msg.Key)
	a.in[h.Sum32()%uint32(len(a.in))] <- applyItem{msg: &msg}
}

// drain returns once every record handed over so far is applied.
func (a *appliers) drain() {
	ack := make(chan struct{}, len(a.in))
	for _, c := range a.in {
		c <- applyItem{drained: ack}
	}
	for range a.in {
		<-ack
	}
}

func (a *appliers) close() {
	for _, c := range a.in {
		close(c)
	}
	a.wg.Wait()
}

// apply stores the entry a record carries, or deletes on a tombstone. A
// record that cannot be read removes the merchant rather than serve a
// stale copy: its events are dead-lettered, and replayable once fixed.
func (r *Registry) apply(msg kafka.Message) {
	vendor := string(msg.Key)
	if vendor == "" {
		return
	}
	var e *Entry
	if len(msg.Value) > 0 {
		var err error
		if e, err = decodeEntry(r.opts.Keys, vendor, msg.Value); err != nil {
			r.log.LogAttrs(context.Background(), slog.LevelError, "registry record unreadable; merchant not served",
				slog.String("merchant", vendor), slog.Int64("offset", msg.Offset), slog.String("err", err.Error()))
		}
	}
	r.table.set(vendor, e)
	if r.opts.OnChange != nil {
		r.opts.OnChange(vendor, e)
	}
	r.notify()
}
