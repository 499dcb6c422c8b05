// Command lcngw is the 2Checkout LCN/IPN webhook gateway: it turns
// subscription and order events from Kafka into signed notifications,
// delivers them to merchant endpoints, and ships the tools around them.
// Run "lcngw help" for the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lcngw/lcngw/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
