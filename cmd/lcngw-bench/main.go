// Command lcngw-bench measures lcngw: "lcngw-bench bench" runs the
// end-to-end benchmark against the machine's ceiling, "lcngw-bench chaos"
// a fault-injection scenario that checks no notification is lost. It also
// runs every lcngw command, which is how the harness starts its broker,
// gateway and endpoints. The production binary, cmd/lcngw, links none of
// this.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lcngw/lcngw/internal/benchcli"
	"github.com/lcngw/lcngw/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := benchcli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
