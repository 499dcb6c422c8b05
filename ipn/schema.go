package ipn

import (
	"embed"

	"github.com/lcngw/lcngw/param"
)

//go:embed schema/ipn-event.v1.schema.json
var schemaJSON []byte

//go:embed examples/*.json
var examples embed.FS

// FullExample is the name of the example that fills the source of every
// parameter; Example("") returns it.
const FullExample = "full"

// Schema returns the JSON Schema (draft 2020-12) of lcngw.ipn.v1 events. The
// caller must not modify the returned slice.
func Schema() []byte { return schemaJSON }

// ExampleNames returns the names of the example events, sorted: one per
// order flow (new order, renewal, upgrade, trial conversion, free order,
// refund) and FullExample.
func ExampleNames() []string { return exampleSet.Names() }

// Example returns the example event called name ("" means FullExample) as
// JSON.
func Example(name string) ([]byte, error) { return exampleSet.Get(name) }

var exampleSet = param.Examples{FS: examples, Kind: "ipn", Default: FullExample}
