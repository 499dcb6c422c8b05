package merchantdir_test

import (
	"sync"
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/merchantdir"
	"github.com/lcngw/lcngw/registry"
)

// entries is a fake registry.
type entries struct {
	mu sync.Mutex
	m  map[string]*registry.Entry
}

func (f *entries) Lookup(v string) (*registry.Entry, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.m[v]
	return e, ok
}

func (f *entries) set(v string, e *registry.Entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e == nil {
		delete(f.m, v)
		return
	}
	f.m[v] = e
}

func entry(t *testing.T, url, layout string, paused ...string) *registry.Entry {
	t.Helper()
	m, err := config.DecodeMerchant([]byte(`{"vendor_code": "ACME", "secret": "k", "lcn": {"layout": "` + layout + `"},
		"endpoints": [{"name": "main", "url": "` + url + `"}, {"name": "other", "url": "https://o.example/"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return &registry.Entry{Merchant: m, Paused: paused, Revision: 1}
}

func TestDirectoryFollowsEntries(t *testing.T) {
	f := &entries{m: map[string]*registry.Entry{}}
	d := merchantdir.New(f, config.Default(), nil)
	if _, ok := d.Merchant("ACME"); ok {
		t.Fatal("an unknown merchant was found")
	}
	f.set("ACME", entry(t, "https://a.example/v1", "default", "other"))
	m1, ok := d.Merchant("ACME")
	if !ok || m1.Endpoints[0].URL != "https://a.example/v1" || string(m1.Key) != "k" {
		t.Fatalf("resolved %+v", m1)
	}
	if m1.Endpoints[0].Paused || !m1.Endpoints[1].Paused {
		t.Error("paused endpoints not marked")
	}
	if again, _ := d.Merchant("ACME"); again != m1 {
		t.Error("an unchanged entry was resolved again: in-flight state would be lost")
	}
	f.set("ACME", entry(t, "https://a.example/v2", "default"))
	m2, ok := d.Merchant("ACME")
	if !ok || m2 == m1 || m2.Endpoints[0].URL != "https://a.example/v2" || m2.Endpoints[1].Paused {
		t.Fatalf("change not followed: %+v", m2)
	}
	if m1.Endpoints[0].URL != "https://a.example/v1" {
		t.Error("the merchant an in-flight notification holds was changed")
	}
	f.set("ACME", entry(t, "https://a.example/v2", "no-such-layout"))
	if _, ok := d.Merchant("ACME"); ok {
		t.Error("a merchant whose layout this instance lacks was served")
	}
	f.set("ACME", nil)
	if _, ok := d.Merchant("ACME"); ok {
		t.Error("a deleted merchant was found")
	}
}
