package console

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/registry"
)

// memStore is an in-memory merchantapi.Store.
type memStore struct {
	mu      sync.Mutex
	entries []*registry.Entry
}

func (s *memStore) Lookup(v string) (*registry.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.entries {
		if e.VendorCode() == v {
			return e, true
		}
	}
	return nil, false
}

func (s *memStore) List(_, _ string, _ int) ([]*registry.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.entries), false
}

func (s *memStore) Put(context.Context, config.Merchant, registry.Validator, registry.PutOptions) (*registry.Entry, error) {
	return nil, errors.New("read-only")
}

func (s *memStore) Delete(context.Context, string) error { return errors.New("read-only") }

func (s *memStore) PutMany(context.Context, []config.Merchant, registry.Validator, func(int)) (int, error) {
	return 0, errors.New("read-only")
}

func (s *memStore) Rekey(context.Context) (int, error) { return 0, errors.New("read-only") }

func (s *memStore) SetPaused(_ context.Context, v, ep string, p bool) (*registry.Entry, error) {
	e, ok := s.Lookup(v)
	if !ok {
		return nil, registry.ErrNotFound
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.Paused = slices.DeleteFunc(e.Paused, func(n string) bool { return n == ep })
	if p {
		e.Paused = append(e.Paused, ep)
		slices.Sort(e.Paused)
	}
	return e, nil
}

func TestMerchantAPI(t *testing.T) {
	store := &memStore{entries: []*registry.Entry{{Merchant: config.Merchant{VendorCode: "M1",
		Endpoints: []config.Endpoint{{Name: "main", URL: "http://127.0.0.1:1/"}, {Name: "backup", URL: "http://127.0.0.1:2/"}}}}}}
	checked := ""
	api := merchantapi.New(merchantapi.Options{Store: store, Token: config.NewSecret([]byte("api-token")),
		Check: func(_ context.Context, url string) error { checked = url; return errors.New("refused") }})
	mux := http.NewServeMux()
	api.Register(mux)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c := &MerchantAPI{BaseURL: ts.URL, Token: "api-token"}
	ctx := t.Context()
	if err := c.SetPaused(ctx, "M1", "backup", true); err != nil {
		t.Fatal(err)
	}
	ms, err := c.Merchants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []MerchantInfo{{VendorCode: "M1", Endpoints: []EndpointInfo{{Name: "main"}, {Name: "backup", Paused: true}}}}
	if len(ms) != 1 || ms[0].VendorCode != "M1" || !slices.Equal(ms[0].Endpoints, want[0].Endpoints) {
		t.Fatalf("merchants %+v, want %+v", ms, want)
	}
	msg, err := c.Check(ctx, "M1", "main")
	if err != nil || checked != "http://127.0.0.1:1/" || msg != "check failed: refused" {
		t.Fatalf("check: %q %v (checked %q)", msg, err, checked)
	}
	if err := c.SetPaused(ctx, "M9", "main", true); err == nil {
		t.Fatal("pausing an unknown merchant succeeded")
	}
	bad := &MerchantAPI{BaseURL: ts.URL, Token: "wrong"}
	if _, err := bad.Merchants(ctx); err == nil {
		t.Fatal("a wrong token was accepted")
	}
}
