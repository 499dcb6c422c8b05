package cli

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/lcngw/lcngw/internal/dev"
)

func init() {
	register("dev", "try it: embedded Kafka, the gateway, a sample endpoint and sample events", runDev)
}

func runDev(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("dev", stdio)
	var o dev.Options
	fl.IntVar(&o.KafkaPort, "kafka-port", 9092, "port of the embedded Kafka on 127.0.0.1 (0: any free port)")
	fl.StringVar(&o.AdminListen, "admin", "127.0.0.1:9090", "admin listen address (/metrics, /livez, /readyz, the merchant API); empty: the merchant API on a free loopback port")
	fl.StringVar(&o.EndpointListen, "endpoint", "127.0.0.1:0", "listen address of the sample merchant endpoint")
	fl.IntVar(&o.Events, "events", 0, "publish this many sample events (0: one every --interval until interrupted)")
	fl.DurationVar(&o.Interval, "interval", 0, "pause between sample events (default 1s, or 100ms with --events)")
	fl.Float64Var(&o.Flaky, "flaky", 0, "share of requests the sample endpoint fails (0 to 1), to watch retries")
	fl.BoolVar(&o.ExitWhenDelivered, "exit-when-delivered", false, "exit 0 once every sample event has a verified receipt (1 on timeout)")
	fl.DurationVar(&o.Timeout, "timeout", 2*time.Minute, "with --exit-when-delivered: how long to wait")
	fl.StringVar(&o.ConsoleListen, "console", "", "serve the web console there (e.g. 127.0.0.1:9095); login token from $LCNGW_ADMIN_TOKEN, or made up and printed")
	fl.BoolVar(&o.Verbose, "verbose", false, "also print the gateway's debug logs")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	if err := devPortsFree(o); err != nil {
		return fail(stdio, "dev", exitInvalid, err)
	}
	o.Out = stdio.Out
	if err := dev.Run(ctx, o); err != nil {
		return fail(stdio, "dev", exitFailed, err)
	}
	return exitOK
}

// devPortsFree checks that the fixed ports dev listens on are free, so a
// taken one is reported with the flag that moves it rather than as a
// failed start.
func devPortsFree(o dev.Options) error {
	check := func(addr, hint string) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s is taken (%v): %s", addr, err, hint)
		}
		return ln.Close()
	}
	if o.KafkaPort > 0 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(o.KafkaPort))
		if err := check(addr, "choose another port with --kafka-port N, or --kafka-port 0 for any free one"); err != nil {
			return err
		}
	}
	if o.AdminListen != "" {
		if err := check(o.AdminListen, "choose another address with --admin HOST:PORT (port 0: any free one), or --admin '' for none"); err != nil {
			return err
		}
	}
	return nil
}
