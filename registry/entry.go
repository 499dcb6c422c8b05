package registry

import (
	"slices"
	"time"

	"github.com/lcngw/lcngw/config"
)

// Entry is one merchant of the registry as the latest record of its vendor
// code left it. Entries are immutable: a change replaces the entry.
type Entry struct {
	// Merchant is the merchant, its secret opened and held inline.
	Merchant config.Merchant
	// Paused lists the names of the paused endpoints, sorted.
	Paused []string
	// Revision counts the changes of the merchant: 1 when it was created.
	Revision uint64
	// Updated is when the record was written.
	Updated time.Time
	// KeyID names the key its secret is sealed under.
	KeyID string
}

// VendorCode returns the merchant's vendor code.
func (e *Entry) VendorCode() string { return e.Merchant.VendorCode }

// IsPaused reports whether the endpoint called name is paused.
func (e *Entry) IsPaused(name string) bool {
	_, found := slices.BinarySearch(e.Paused, name)
	return found
}

// Endpoint returns the endpoint called name.
func (e *Entry) Endpoint(name string) (config.Endpoint, bool) {
	for _, ep := range e.Merchant.Endpoints {
		if ep.Name == name {
			return ep, true
		}
	}
	return config.Endpoint{}, false
}

// withPaused returns a copy of e with the endpoint paused or resumed.
func (e *Entry) withPaused(name string, paused bool) []string {
	out := slices.Clone(e.Paused)
	i, found := slices.BinarySearch(out, name)
	switch {
	case paused && !found:
		out = slices.Insert(out, i, name)
	case !paused && found:
		out = slices.Delete(out, i, i+1)
	}
	return out
}
