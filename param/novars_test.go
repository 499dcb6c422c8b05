package param

import (
	"testing"

	"github.com/lcngw/lcngw/internal/novarstest"
)

// TestNoExportedVariables: the event packages export defaults as
// constants or functions, never as variables another package could
// change.
func TestNoExportedVariables(t *testing.T) {
	novarstest.Check(t, ".", "../lcn", "../ipn", "../templates", "../config")
}
