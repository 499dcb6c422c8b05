package param

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// Examples is a set of example events embedded as examples/NAME.json.
type Examples struct {
	// FS holds the examples directory.
	FS fs.FS
	// Kind names the notification kind in errors ("lcn", "ipn").
	Kind string
	// Default is the example returned for the empty name.
	Default string
}

// Names returns the example names, sorted.
func (e Examples) Names() []string {
	entries, err := fs.ReadDir(e.FS, "examples")
	if err != nil {
		panic(err) // embedded at build time
	}
	names := make([]string, 0, len(entries))
	for _, d := range entries {
		names = append(names, strings.TrimSuffix(d.Name(), ".json"))
	}
	slices.Sort(names)
	return names
}

// Get returns the example called name ("" means Default).
func (e Examples) Get(name string) ([]byte, error) {
	if name == "" {
		name = e.Default
	}
	if !slices.Contains(e.Names(), name) {
		return nil, fmt.Errorf("%s example %q: no such example (have %s)", e.Kind, name, strings.Join(e.Names(), ", "))
	}
	return fs.ReadFile(e.FS, path.Join("examples", name+".json"))
}

// WithEventID returns the event document data with event_id set to id and
// any explicit message_id removed, so that MESSAGE_ID derives from the
// event ID: a fresh event made from an example. Numbers keep their text.
func WithEventID(data []byte, id string) ([]byte, error) {
	return withMembers(data, map[string]any{"event_id": id})
}

// WithIDs is WithEventID also setting vendor_code to vendor.
func WithIDs(data []byte, id, vendor string) ([]byte, error) {
	return withMembers(data, map[string]any{"event_id": id, "vendor_code": vendor})
}

// withMembers returns the JSON object data with the members of set given
// their values and message_id removed.
func withMembers(data []byte, set map[string]any) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	maps.Copy(doc, set)
	delete(doc, "message_id")
	return json.Marshal(doc)
}
