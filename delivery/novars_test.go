package delivery

import (
	"testing"

	"github.com/lcngw/lcngw/internal/novarstest"
)

// TestNoExportedVariables: the package exports its defaults and sentinel
// errors as constants or functions, never as variables another package
// could change.
func TestNoExportedVariables(t *testing.T) {
	novarstest.Check(t, ".")
}
