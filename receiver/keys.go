package receiver

import (
	"log/slog"
	"sync"

	"github.com/lcngw/lcngw/signer"
)

// Keyring holds the secret keys one merchant's notifications may be signed
// with — several at once while a key is being rotated — each with a pool of
// reusable signers, so verification allocates nothing. A Keyring is safe for
// concurrent use and never exposes its keys.
type Keyring struct {
	keys []*key
}

type key struct {
	pool sync.Pool // of *signer.Signer
}

// NewKeyring returns a keyring trying the secrets in the given order (put
// the current key first). Empty secrets are ignored. The secrets are used
// as raw bytes, as the platform does, and copied.
func NewKeyring(secrets ...[]byte) *Keyring {
	kr := &Keyring{}
	for _, s := range secrets {
		if len(s) == 0 {
			continue
		}
		secret := append([]byte(nil), s...)
		k := &key{}
		k.pool.New = func() any { return signer.New(secret) }
		kr.keys = append(kr.keys, k)
	}
	return kr
}

// Len returns the number of keys.
func (kr *Keyring) Len() int {
	if kr == nil {
		return 0
	}
	return len(kr.keys)
}

// String never reveals the keys.
func (kr *Keyring) String() string { return "receiver.Keyring{REDACTED}" }

// GoString never reveals the keys.
func (kr *Keyring) GoString() string { return kr.String() }

// LogValue never reveals the keys.
func (kr *Keyring) LogValue() slog.Value { return slog.StringValue(kr.String()) }

func (k *key) get() *signer.Signer  { return k.pool.Get().(*signer.Signer) }
func (k *key) put(s *signer.Signer) { k.pool.Put(s) }

// KeyFunc returns the keyring for a VENDOR_CODE ("" when the notification
// carries none). It reports false for an unknown vendor. It is called for
// every notification, so it should look keyrings up, not build them.
type KeyFunc func(vendorCode string) (*Keyring, bool)

// KeyMap returns a KeyFunc over a fixed map of vendor code → secrets,
// building every keyring once. Vendor codes not in the map get fallback
// (which may be nil: then they are unknown).
func KeyMap(m map[string][][]byte, fallback *Keyring) KeyFunc {
	rings := make(map[string]*Keyring, len(m))
	for vendor, secrets := range m {
		rings[vendor] = NewKeyring(secrets...)
	}
	return func(vendorCode string) (*Keyring, bool) {
		if kr, ok := rings[vendorCode]; ok {
			return kr, true
		}
		return fallback, fallback.Len() > 0
	}
}

// StaticKeys returns a KeyFunc that uses one keyring for every vendor code.
func StaticKeys(kr *Keyring) KeyFunc {
	return func(string) (*Keyring, bool) { return kr, kr.Len() > 0 }
}
