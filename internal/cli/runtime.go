package cli

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/lcngw/lcngw/config"
)

// tuneRuntime sets the garbage collector's target to rt.GCPercent, unless
// the GOGC environment variable is set, which the Go runtime has already
// applied and which takes precedence.
func tuneRuntime(rt config.Runtime, log *slog.Logger) {
	if v, ok := os.LookupEnv("GOGC"); ok {
		log.Info("garbage collector target from GOGC", "gogc", v)
		return
	}
	debug.SetGCPercent(rt.GCPercent)
}
