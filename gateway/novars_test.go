package gateway

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lcngw/lcngw/internal/novarstest"
)

// TestNoExportedVariables: the gateway's packages export defaults as
// constants or functions, never as variables another package could
// change. Sentinel errors (Err…) are the one exception, as in the
// standard library.
func TestNoExportedVariables(t *testing.T) {
	dirs := []string{".", "../pipeline", "../retryrecord", "../metrics", "../admin"}
	for _, pattern := range []string{"../internal/*", "../internal/*/*"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range found {
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				dirs = append(dirs, dir)
			}
		}
	}
	novarstest.CheckButErrors(t, dirs...)
}
