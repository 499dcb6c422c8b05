package lcn

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/lcngw/lcngw/param"
)

//go:embed schema/lcn-event.v1.schema.json
var schemaJSON []byte

//go:embed examples/*.json
var examples embed.FS

// DefaultExample names the example that feeds every parameter.
const DefaultExample = "full"

// Schema returns the JSON Schema (draft 2020-12) of lcngw.lcn.v1 events.
// Its x-parameters annotations name the LCN parameters each member feeds.
func Schema() []byte { return slices.Clone(schemaJSON) }

// ExampleNames returns the names of the example events, sorted: "full"
// (every parameter's source filled), one per DISPATCH_REASON (the reason in
// lower case with dashes, e.g. "licence-cc-change") and one per flow:
// "renewal-api", "upgrade-by-vendor", "upgrade-by-customer",
// "trial-conversion", "vendor-update", "partner-subscription", "paused" and
// "lifetime". The churn-prevention and cancellation flows are the examples
// of their reasons.
func ExampleNames() []string { return exampleSet.Names() }

// Example returns the example event called name; "" means DefaultExample.
func Example(name string) ([]byte, error) { return exampleSet.Get(name) }

var exampleSet = param.Examples{FS: examples, Kind: "lcn", Default: DefaultExample}

// ExampleForReason returns the example event whose notification carries
// the given DISPATCH_REASON.
func ExampleForReason(reason string) ([]byte, error) {
	if !slices.Contains(dispatchReasons, reason) {
		return nil, fmt.Errorf("lcn example: %q is not a DISPATCH_REASON", clip(reason, 40))
	}
	return Example(strings.ReplaceAll(strings.ToLower(reason), "_", "-"))
}
