package cli

import (
	"bytes"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/config"
)

// TestTuneRuntime: the configured target applies, unless GOGC is set.
func TestTuneRuntime(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	tuneRuntime(config.Runtime{GCPercent: 300}, log)
	if got := debug.SetGCPercent(100); got != 300 {
		t.Errorf("without GOGC: target %d, want 300", got)
	}

	t.Setenv("GOGC", "150")
	tuneRuntime(config.Runtime{GCPercent: 300}, log)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: target changed to %d, want it left at 100", got)
	}
	if !strings.Contains(logs.String(), "gogc=150") {
		t.Errorf("GOGC precedence not logged: %s", logs.String())
	}
}
