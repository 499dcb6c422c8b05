package ipn

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
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
func ExampleNames() []string {
	entries, _ := fs.ReadDir(examples, "examples") // embedded at build time: cannot fail
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	slices.Sort(names)
	return names
}

// Example returns the example event called name ("" means FullExample) as
// JSON.
func Example(name string) ([]byte, error) {
	if name == "" {
		name = FullExample
	}
	if !slices.Contains(ExampleNames(), name) {
		return nil, fmt.Errorf("ipn: no example %q (have %s)", name, strings.Join(ExampleNames(), ", "))
	}
	return examples.ReadFile(path.Join("examples", name+".json"))
}
