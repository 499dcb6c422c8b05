package lcn

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
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
func ExampleNames() []string {
	entries, err := examples.ReadDir("examples")
	if err != nil {
		panic(err) // embedded at build time
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	slices.Sort(names)
	return names
}

// Example returns the example event called name; "" means DefaultExample.
func Example(name string) ([]byte, error) {
	if name == "" {
		name = DefaultExample
	}
	if strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("lcn example %q: no such example", name)
	}
	data, err := examples.ReadFile(path.Join("examples", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("lcn example %q: no such example (have %s)", name, strings.Join(ExampleNames(), ", "))
	}
	return data, nil
}

// ExampleForReason returns the example event whose notification carries
// the given DISPATCH_REASON.
func ExampleForReason(reason string) ([]byte, error) {
	if !slices.Contains(dispatchReasons, reason) {
		return nil, fmt.Errorf("lcn example: %q is not a DISPATCH_REASON", clip(reason, 40))
	}
	return Example(strings.ReplaceAll(strings.ToLower(reason), "_", "-"))
}
