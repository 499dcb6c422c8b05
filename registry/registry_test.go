package registry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/registry"
)

const topic = "lcngw.merchants"

// testKeys is a keyring of two fixed keys, k2 sealing.
func testKeys(t testing.TB, spec string) *registry.Keyring {
	t.Helper()
	k, err := registry.ParseKeyring(config.NewSecret([]byte(spec)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const (
	key1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	key2 = "k2:HxweHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE="
)

// start runs a registry over the cluster's topic until the test ends and
// waits for it to load.
func start(t testing.TB, c *kafkatest.Cluster, keys *registry.Keyring, onChange func(string, *registry.Entry)) *registry.Registry {
	t.Helper()
	r, err := registry.New(registry.Options{Brokers: c.Brokers(), Topic: topic, Keys: keys, OnChange: onChange,
		MaxWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		r.Close()
	})
	lctx, lcancel := context.WithTimeout(ctx, 30*time.Second)
	defer lcancel()
	if err := r.WaitLoaded(lctx); err != nil {
		t.Fatal(err)
	}
	return r
}

func newCluster(t testing.TB) *kafkatest.Cluster {
	c := kafkatest.New(t)
	if err := registry.EnsureTopic(context.Background(), c.Brokers(), nil, topic, 1); err != nil {
		t.Fatal(err)
	}
	return c
}

func merchant(t testing.TB, vendor, secret, url string) config.Merchant {
	t.Helper()
	m, err := config.DecodeMerchant(fmt.Appendf(nil, `{"vendor_code": %q, "secret": %q,
		"endpoints": [{"name": "main", "url": %q}, {"name": "backup", "url": "https://backup.example/hook"}]}`,
		vendor, secret, url))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func validator(m *config.Merchant) error {
	return config.Default().ValidateMerchant(m, config.Catalogues{})
}

func TestTwoInstancesSeeEveryChange(t *testing.T) {
	c := newCluster(t)
	keys := testKeys(t, key1)
	a, b := start(t, c, keys, nil), start(t, c, keys, nil)
	ctx := context.Background()
	if _, err := a.Put(ctx, merchant(t, "ACME", "s3cr3t-acme", "https://acme.example/v1"), validator, registry.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	kafkatest.Eventually(t, 10*time.Second, "b sees the merchant", func() bool {
		m, ok := b.Merchant("ACME")
		return ok && m.Endpoints[0].URL == "https://acme.example/v1" && string(m.Key().Reveal()) == "s3cr3t-acme"
	})
	// A change without a secret keeps the secret.
	e, err := b.Put(ctx, merchant(t, "ACME", "", "https://acme.example/v2"), validator, registry.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Revision != 2 {
		t.Errorf("revision %d, want 2", e.Revision)
	}
	kafkatest.Eventually(t, 10*time.Second, "a sees the new URL", func() bool {
		m, ok := a.Merchant("ACME")
		return ok && m.Endpoints[0].URL == "https://acme.example/v2" && string(m.Key().Reveal()) == "s3cr3t-acme"
	})
	if _, err := a.SetPaused(ctx, "ACME", "main", true); err != nil {
		t.Fatal(err)
	}
	kafkatest.Eventually(t, 10*time.Second, "b sees the pause", func() bool { return b.Paused("ACME", "main") })
	if b.Paused("ACME", "backup") {
		t.Error("the other endpoint is paused too")
	}
	if err := b.Delete(ctx, "ACME"); err != nil {
		t.Fatal(err)
	}
	kafkatest.Eventually(t, 10*time.Second, "a sees the delete", func() bool { _, ok := a.Merchant("ACME"); return !ok })
}

func TestRestartWithExistingRegistry(t *testing.T) {
	c := newCluster(t)
	keys := testKeys(t, key1)
	first := start(t, c, keys, nil)
	ctx := context.Background()
	var ms []config.Merchant
	for i := range 250 {
		ms = append(ms, merchant(t, fmt.Sprintf("M%04d", i), fmt.Sprintf("secret-%d", i), "https://m.example/hook"))
	}
	if n, err := first.PutMany(ctx, ms, validator, nil); err != nil || n != 250 {
		t.Fatalf("PutMany: %d, %v", n, err)
	}
	if err := first.Delete(ctx, waitFor(t, first, "M0007")); err != nil {
		t.Fatal(err)
	}
	if _, err := first.SetPaused(ctx, "M0009", "backup", true); err != nil {
		t.Fatal(err)
	}
	second := start(t, c, keys, nil) // loads what the topic holds before it reports loaded
	if got := second.Len(); got != 249 {
		t.Errorf("restarted registry holds %d merchants, want 249", got)
	}
	if _, ok := second.Merchant("M0007"); ok {
		t.Error("the deleted merchant came back")
	}
	if !second.Paused("M0009", "backup") {
		t.Error("the pause was lost")
	}
	if m, ok := second.Merchant("M0123"); !ok || string(m.Key().Reveal()) != "secret-123" {
		t.Error("M0123 lost its secret")
	}
	page, more := second.List("M01", "M0150", 10)
	if len(page) != 10 || !more || page[0].VendorCode() != "M0151" {
		t.Errorf("page after M0150: %d entries, more %v", len(page), more)
	}
}

// waitFor returns vendor once r holds it.
func waitFor(t *testing.T, r *registry.Registry, vendor string) string {
	kafkatest.Eventually(t, 10*time.Second, vendor+" loaded", func() bool { _, ok := r.Lookup(vendor); return ok })
	return vendor
}

func TestTopicHoldsNoPlaintextSecret(t *testing.T) {
	c := newCluster(t)
	r := start(t, c, testKeys(t, key1), nil)
	const secret = "plaintext-secret-7f3a9c"
	if _, err := r.Put(context.Background(), merchant(t, "ACME", secret, "https://acme.example/"), validator, registry.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	recs := c.ReadAll(topic)
	if len(recs) == 0 {
		t.Fatal("no records")
	}
	for _, m := range recs {
		for _, b := range [][]byte{m.Key, m.Value} {
			if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte("cGxhaW50ZXh0LXNlY3JldC")) {
				t.Fatalf("record shows the secret: %s", b)
			}
		}
		for _, h := range m.Headers {
			if bytes.Contains(h.Value, []byte(secret)) {
				t.Fatal("header shows the secret")
			}
		}
	}
}

func TestRekeyAndKeyRotation(t *testing.T) {
	c := newCluster(t)
	ctx := context.Background()
	old := start(t, c, testKeys(t, key1), nil)
	if _, err := old.Put(ctx, merchant(t, "ACME", "s1", "https://acme.example/"), validator, registry.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	rotated := start(t, c, testKeys(t, key2+","+key1), nil)
	if e, ok := rotated.Lookup("ACME"); !ok || e.KeyID != "k1" {
		t.Fatalf("before rekey: %+v", e)
	}
	if n, err := rotated.Rekey(ctx); err != nil || n != 1 {
		t.Fatalf("rekey: %d, %v", n, err)
	}
	kafkatest.Eventually(t, 10*time.Second, "rekeyed", func() bool { e, ok := rotated.Lookup("ACME"); return ok && e.KeyID == "k2" })
	onlyNew := start(t, c, testKeys(t, key2), nil)
	if m, ok := onlyNew.Merchant("ACME"); !ok || string(m.Key().Reveal()) != "s1" {
		t.Error("a registry with only the new key cannot open the secret")
	}
	// A registry without the key serves no stale or unopened merchant.
	var unreadable atomic.Int64
	lost := start(t, c, testKeys(t, "k9:"+key1[3:]), func(v string, e *registry.Entry) {
		if e == nil {
			unreadable.Add(1)
		}
	})
	if _, ok := lost.Merchant("ACME"); ok || unreadable.Load() == 0 {
		t.Error("a merchant whose secret does not open is served")
	}
}

func TestConditionalPuts(t *testing.T) {
	c := newCluster(t)
	r := start(t, c, testKeys(t, key1), nil)
	ctx := context.Background()
	m := merchant(t, "ACME", "s", "https://acme.example/")
	if _, err := r.Put(ctx, m, validator, registry.PutOptions{IfAbsent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Put(ctx, m, validator, registry.PutOptions{IfAbsent: true}); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("second create: %v", err)
	}
	if _, err := r.Put(ctx, m, validator, registry.PutOptions{IfRevision: 1}); err != nil {
		t.Fatal(err)
	}
	// Replaying the same conditional write fails: the revision moved on.
	if _, err := r.Put(ctx, m, validator, registry.PutOptions{IfRevision: 1}); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("replayed write: %v", err)
	}
	bad := m
	bad.Endpoints = nil
	var cerr *config.Error
	if _, err := r.Put(ctx, bad, validator, registry.PutOptions{}); !errors.As(err, &cerr) {
		t.Errorf("invalid merchant: %v", err)
	}
	if _, err := r.SetPaused(ctx, "ACME", "nope", true); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("pause of an unknown endpoint: %v", err)
	}
}
