package loadtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Options configures a Harness.
type Options struct {
	// Launcher starts the children; its LogDir defaults to Dir/logs.
	Launcher Launcher
	// Dir holds the run's files; "" makes a temporary one, removed by
	// Close.
	Dir string
	// Topology is the merchants and endpoints. Required.
	Topology *Topology
	// Mixed is how many good and poison events the run has.
	Mixed Mixed
	// Mix is the share of LCN events.
	Mix float64
	// Partitions is the partition count of every topic; default 8.
	Partitions int
	// Settings are the gateway's; zero values are not defaulted (start
	// from DefaultGateway).
	Settings GatewaySettings
	// Persist, RetentionBytes, BrokerProcs, UseServe, CPUProfile, Trace,
	// Seed, SourceMaxBytes and KafkaTLS: see Stack.
	Persist        bool
	RetentionBytes int64
	BrokerProcs    int
	UseServe       bool
	CPUProfile     string
	Trace          string
	Seed           uint64
	SourceMaxBytes int
	KafkaTLS       bool
	// Progress receives a line a second while the harness runs (nil: none).
	Progress io.Writer
}

// Harness is one run: the stack of processes, the events, their producer,
// and the tallies of what the endpoints acknowledged and what was
// dead-lettered.
type Harness struct {
	Stack
	Events    *Events
	Mixed     Mixed
	Producer  *Producer
	Collector *Collector
	Dead      *DeadLetters

	expected int64
	started  time.Time
	cancel   context.CancelFunc
	done     chan struct{}
	tempDir  string
}

// Start creates the run's files, starts the broker and the endpoints,
// creates the topics and starts watching the dead-letter topic. The
// gateway is started separately (StartGateway).
func Start(ctx context.Context, o Options) (*Harness, error) {
	h := &Harness{Mixed: o.Mixed, started: time.Now(), done: make(chan struct{})}
	if err := h.prepare(o); err != nil {
		return nil, err
	}
	if err := h.startStack(ctx); err != nil {
		h.Close()
		return nil, err
	}
	bg, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go h.Dead.Watch(bg, h.Conn(), "loadtest-dead-letters-"+h.Events.RunID)
	go h.report(bg, o.Progress)
	return h, nil
}

// prepare sets up the files and the stack's settings.
func (h *Harness) prepare(o Options) error {
	if o.Topology == nil || o.Mixed.Good < 0 || o.Mixed.Poison < 0 || o.Mixed.Total() == 0 {
		return fmt.Errorf("loadtest: a topology and at least one event are required")
	}
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "lcngw-loadtest-"); err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		h.tempDir = dir
	}
	if o.Launcher.LogDir == "" {
		o.Launcher.LogDir = filepath.Join(dir, "logs")
	}
	if err := os.MkdirAll(o.Launcher.LogDir, 0o700); err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	if o.Partitions <= 0 {
		o.Partitions = 8
	}
	h.Stack = Stack{Launcher: o.Launcher, Dir: dir, Topo: o.Topology, Settings: o.Settings, Partitions: o.Partitions,
		Persist: o.Persist, RetentionBytes: o.RetentionBytes, BrokerProcs: o.BrokerProcs, Seed: o.Seed, UseServe: o.UseServe, CPUProfile: o.CPUProfile,
		Trace: o.Trace, SourceMaxBytes: o.SourceMaxBytes, KafkaTLS: o.KafkaTLS}
	runID := "lt" + strconv.FormatInt(time.Now().UnixNano(), 36)
	var err error
	if h.Events, err = NewEvents(runID, o.Topology, o.Mix); err != nil {
		return err
	}
	h.Collector = NewCollector(h.Events, o.Mixed, len(o.Topology.Flat()), producerTimes{h})
	h.Dead = NewDeadLetters(o.Topology)
	h.expected = h.countExpected()
	return nil
}

func (h *Harness) startStack(ctx context.Context) error {
	if err := h.StartBroker(ctx); err != nil {
		return err
	}
	var popts []kgo.Opt
	if tc := h.clientTLS(); tc != nil {
		popts = append(popts, kgo.DialTLSConfig(tc))
	}
	if h.SourceMaxBytes > 0 {
		popts = append(popts, kgo.ProducerBatchMaxBytes(int32(h.SourceMaxBytes)))
	}
	p, err := NewProducer(h.Broker(), h.Events, h.Mixed, popts...)
	if err != nil {
		return err
	}
	h.Producer = p
	if err := h.CreateTopics(ctx); err != nil {
		return err
	}
	return h.StartEndpoints(ctx, h.Collector)
}

// StartGateway starts the gateway (again) and waits until it is ready.
func (h *Harness) StartGateway(ctx context.Context) error {
	return h.Stack.StartGateway(ctx, URLs(h.Collector.Addrs()))
}

// LaunchGateway starts the gateway and returns at once, before it has
// joined its groups.
func (h *Harness) LaunchGateway() (*Child, error) {
	return h.Stack.LaunchGateway(URLs(h.Collector.Addrs()))
}

// Produce publishes every event in the background; the channel yields
// the result.
func (h *Harness) Produce(ctx context.Context, o ProduceOptions) <-chan error {
	done := make(chan error, 1)
	go func() { done <- h.Producer.Run(ctx, o) }()
	return done
}

// Expected returns how many notifications the good events make.
func (h *Harness) Expected() int64 { return h.expected }

func (h *Harness) countExpected() int64 {
	var n int64
	for seq := range h.Mixed.Total() {
		if !h.Mixed.IsPoison(seq) {
			n += int64(len(h.Topo.Merchants[h.Topo.MerchantOf(seq)].Endpoints))
		}
	}
	return n
}

// Close stops the children and the watchers and removes a temporary
// directory.
func (h *Harness) Close() {
	if h.cancel != nil {
		h.cancel()
		<-h.done
	}
	if h.Producer != nil {
		_ = h.Producer.Close()
	}
	h.Stack.Close()
	if h.tempDir != "" {
		_ = os.RemoveAll(h.tempDir)
	}
}

// report prints a progress line every second until ctx ends.
func (h *Harness) report(ctx context.Context, w io.Writer) {
	defer close(h.done)
	if w == nil {
		<-ctx.Done()
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	prev, prevSnap := h.Collector.Counts(), h.Snapshot()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		c, snap := h.Collector.Counts(), h.Snapshot()
		gw := UsageBetween(prevSnap, snap)[CompGateway]
		fmt.Fprintf(w, "%6.1fs  produced %d/%d  delivered %d/%d (%d/s)  duplicates %d  dead letters %d  gateway %.2f cores %.0f MB\n",
			time.Since(h.started).Seconds(), h.Producer.Acknowledged(), h.Mixed.Total(), c.Delivered, h.Expected(),
			c.Delivered-prev.Delivered, c.Duplicates, h.Dead.Tally().Records, gw.Cores, gw.RSSMB)
		prev, prevSnap = c, snap
	}
}

// producerTimes reads the send times of the harness's current producer,
// which starts after the collector.
type producerTimes struct{ h *Harness }

func (t producerTimes) SentAt(seq int) int64  { return t.h.Producer.SentAt(seq) }
func (t producerTimes) AckedAt(seq int) int64 { return t.h.Producer.AckedAt(seq) }
