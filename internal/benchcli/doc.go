// Package benchcli adds the load and fault-injection commands, "bench"
// and "chaos", to lcngw's command line, for the lcngw-bench binary only:
// the production binary, cmd/lcngw, links neither them nor the harness
// (internal/loadtest) nor its Kafka client. lcngw-bench runs every lcngw
// command as well, so the harness can start it as its own broker
// ("kafka"), gateway ("serve", "bench gateway") and endpoints ("bench
// receivers").
package benchcli

import (
	"context"

	"github.com/lcngw/lcngw/internal/cli"
)

// Run dispatches args[0] to its subcommand: bench, chaos, or any of lcngw's.
func Run(ctx context.Context, args []string, stdio cli.Stdio) int { return cli.Run(ctx, args, stdio) }
