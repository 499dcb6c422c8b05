package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/opslog"
)

// Options configures a Pipeline. Merchants and Sender are required.
type Options struct {
	// Merchants finds the merchant of each record when it is processed.
	Merchants Merchants
	// Sender makes the quick tries of one scheduled attempt. It must not
	// keep the request, or its body, after Send returns: the pipeline
	// reuses the buffers of delivered bodies.
	Sender delivery.Sender
	// Policy decides what follows each round; its Schedule is that of
	// merchants without their own (zero: delivery.TwoCheckout()).
	Policy delivery.Policy
	// Recorder, when set, is told about every attempt.
	Recorder AttemptRecorder
	// Metrics, when set, count events and attempts.
	Metrics *Metrics
	// Clock tells the time; default the system clock.
	Clock Clock
	// Logger receives the pipeline's logs; default a discarding logger.
	Logger *slog.Logger
}

// Clock tells the time; tests use a clock they control.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Pipeline processes records: decode, merchant, build, sign, deliver. It
// is safe for concurrent use.
type Pipeline struct {
	opts   Options
	bodies bodyPool
	// rooms recycles the storage of built fields: an event's fields are
	// done with once its first attempts are (nothing else keeps them).
	rooms sync.Pool // *signer.Storage
	// failures lets one failed-attempt line per endpoint through at info
	// level every failedAttemptLogEvery.
	failures *opslog.Throttle
}

// failedAttemptLogEvery is how often a failing endpoint's failed attempts
// are logged at info level; the line says how many were left out.
const failedAttemptLogEvery = time.Minute

// New checks opts and returns a pipeline.
func New(opts Options) (*Pipeline, error) {
	var errs []error
	if opts.Merchants == nil {
		errs = append(errs, errors.New("merchants: a merchant lookup is required"))
	}
	if opts.Sender == nil {
		errs = append(errs, errors.New("sender: a delivery sender is required"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("pipeline options: %w", errors.Join(errs...))
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{opts: opts, failures: opslog.NewThrottle(failedAttemptLogEvery, 0, opts.Clock.Now)}, nil
}

// Process processes one record and returns what became of it. Delivery
// attempts stop when ctx ends; an interrupted attempt is handed to the
// retry path without counting. The caller stores what the disposition
// asks for: nothing when Delivered or Skipped, a retry record per Retry
// notice, a dead letter per Dead notice, or the record itself as a dead
// letter when Dead with no notice.
func (p *Pipeline) Process(ctx context.Context, rec Record) Disposition {
	if rec.Retry != nil {
		return p.processRetry(ctx, rec)
	}
	d := p.processEvent(ctx, rec)
	p.opts.Metrics.event(&d)
	return d
}

// policy returns the retry policy of m's notifications.
func (p *Pipeline) policy(m *Merchant) delivery.Policy {
	pol := p.opts.Policy
	if m.Retry != nil {
		pol.Schedule = *m.Retry
	}
	return pol
}

// verdictOf returns the worst verdict of ns: Dead, then Retry, then
// Delivered.
func verdictOf(ns []Notice) Verdict {
	v := Delivered
	for i := range ns {
		switch ns[i].Verdict {
		case Dead:
			return Dead
		case Retry:
			v = Retry
		}
	}
	return v
}
