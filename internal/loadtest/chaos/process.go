package chaos

import (
	"context"
	"fmt"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest"
)

// defaultPlan is 4 merchants with 1 endpoint each, a little endpoint
// latency so that deliveries are in flight when a process is disrupted.
func defaultPlan(o Options, latency time.Duration) (plan, error) {
	topo, err := loadtest.NewTopology(4, 1)
	if err != nil {
		return plan{}, err
	}
	for m := range topo.Merchants {
		topo.Merchants[m].Endpoints[0].Latency = latency
	}
	return plan{topo: topo, settings: loadtest.DefaultGateway(), mixed: loadtest.Mixed{Good: o.Events}}, nil
}

// publishTime is how long publication lasts at rate.
func publishTime(events int, rate float64) time.Duration {
	return time.Duration(float64(events) / rate * float64(time.Second))
}

// runKill kills the gateway with SIGKILL at a quarter, half and three
// quarters of the publication and starts it again each time. Whatever it
// had in flight is read again from the last committed offsets:
// duplicates are expected, losses are not.
func runKill(ctx context.Context, o Options) (*Result, error) {
	p, err := defaultPlan(o, 2*time.Millisecond)
	if err != nil {
		return nil, err
	}
	r, err := begin(ctx, o, p)
	if err != nil {
		return nil, err
	}
	rate := rateFor(o, o.Events)
	span := publishTime(o.Events, rate)
	err = r.publish(ctx, rate, func(ctx context.Context) {
		for i := 1; i <= 3 && r.at(ctx, span*time.Duration(i)/4); i++ {
			r.disrupt("gateway killed (SIGKILL) and started again", r.h.GatewayProc.Current().Kill,
				func() error { return r.h.StartGateway(ctx) })
		}
	})
	if err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	if res.Duplicates > 0 {
		r.note("%d duplicate deliveries: records in flight when the gateway was killed were delivered again (at least once)", res.Duplicates)
	}
	return res, nil
}

// runBrokerRestart stops the broker gracefully at a quarter of the
// publication and kills it at three quarters, starting it again on its
// data directory and port each time; the gateway, the producer and the
// dead-letter reader carry on.
func runBrokerRestart(ctx context.Context, o Options) (*Result, error) {
	p, err := defaultPlan(o, 2*time.Millisecond)
	if err != nil {
		return nil, err
	}
	p.persist = true
	r, err := begin(ctx, o, p)
	if err != nil {
		return nil, err
	}
	rate := rateFor(o, o.Events)
	span := publishTime(o.Events, rate)
	err = r.publish(ctx, rate, func(ctx context.Context) {
		restart := func(what string, stop func()) {
			r.disrupt(what, stop, func() error {
				time.Sleep(time.Second) // the broker stays away a moment
				return r.h.StartBroker(ctx)
			})
		}
		if r.at(ctx, span/4) {
			restart("broker stopped (SIGTERM) and started again", func() { _, _ = r.h.BrokerProc.Current().Stop(10 * time.Second) })
		}
		if r.at(ctx, span*3/4) {
			restart("broker killed (SIGKILL) and started again", r.h.BrokerProc.Current().Kill)
		}
	})
	if err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	if res.ProducerRetries > 0 {
		r.note("the producer retried %d writes while the broker was away (a retried write can publish an event twice)", res.ProducerRetries)
	}
	return res, nil
}

// runSigterm sends SIGTERM to the gateway at a third and two thirds of
// the publication: it must drain, commit and exit 0 within its shutdown
// timeout (and the process's exit); it is then started again.
func runSigterm(ctx context.Context, o Options) (*Result, error) {
	return runStops(ctx, o, "gateway sent SIGTERM, then started again",
		"%d duplicate deliveries after graceful shutdowns",
		func(r *runState, bound time.Duration) (time.Duration, error) {
			return r.h.GatewayProc.Current().Stop(bound + 10*time.Second)
		})
}

// runSigtermRebalance kills the gateway at a third and two thirds of the
// publication, starts it again and sends it SIGTERM half a second later:
// its groups are rebalancing, waiting for the killed member. The stop must
// be clean (exit 0) within the shutdown timeout; the gateway is then
// started again and nothing may be lost.
func runSigtermRebalance(ctx context.Context, o Options) (*Result, error) {
	return runStops(ctx, o, "gateway killed (SIGKILL), started again and sent SIGTERM 0.5s later, then started again",
		"%d duplicate deliveries: records in flight when the gateway was killed were delivered again (at least once)",
		func(r *runState, bound time.Duration) (time.Duration, error) {
			r.h.GatewayProc.Current().Kill()
			ch, err := r.h.LaunchGateway()
			if err != nil {
				return 0, err
			}
			time.Sleep(500 * time.Millisecond)
			return ch.Stop(bound + 10*time.Second)
		})
}

// runStops stops the gateway with stop at a third and two thirds of the
// publication and starts it again, each stop described by what and
// checked against the shutdown bound; dupes notes duplicate deliveries.
func runStops(ctx context.Context, o Options, what, dupes string,
	stop func(r *runState, bound time.Duration) (time.Duration, error)) (*Result, error) {
	p, err := defaultPlan(o, 20*time.Millisecond)
	if err != nil {
		return nil, err
	}
	r, err := begin(ctx, o, p)
	if err != nil {
		return nil, err
	}
	rate := rateFor(o, o.Events)
	span := publishTime(o.Events, rate)
	bound := p.settings.Shutdown + 2*time.Second // the process's own start of the stop and exit
	err = r.publish(ctx, rate, func(ctx context.Context) {
		for i := 1; i <= 2 && r.at(ctx, span*time.Duration(i)/3); i++ {
			var took time.Duration
			var stopErr error
			r.disrupt(what, func() { took, stopErr = stop(r, bound) },
				func() error { return r.h.StartGateway(ctx) })
			r.checkShutdown(took, stopErr, bound)
		}
	})
	if err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	if res.Duplicates > 0 {
		r.note(dupes, res.Duplicates)
	}
	return res, nil
}

// checkShutdown fails the scenario when a graceful shutdown failed or
// took longer than its bound.
func (r *runState) checkShutdown(took time.Duration, err error, bound time.Duration) {
	d := &r.res.Disruptions[len(r.res.Disruptions)-1]
	d.What += fmt.Sprintf(" (exited after %.2fs)", took.Seconds())
	switch {
	case err != nil:
		r.fail("graceful shutdown: %v", err)
	case took > bound:
		r.fail("graceful shutdown took %v, more than its bound %v", took, bound)
	}
}
