package registry

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/lcngw/lcngw/config"
)

// keyID is the shape of a key id: short, printable, safe in a record.
var keyID = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// Keyring holds the key-encryption keys that seal merchants' secrets in
// the registry. The first key seals; every key opens, so that keys can be
// rotated: put the new key first, keep the old ones, run
// `lcngw merchant rekey`, then drop the old ones.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// Sealed is a secret sealed with AES-256-GCM under the key KeyID. The
// merchant's vendor code and the key id are its additional data, so a
// sealed secret cannot be moved to another merchant.
type Sealed struct {
	// KeyID names the key that sealed it.
	KeyID string `json:"kid"`
	// Nonce is the 12-byte GCM nonce.
	Nonce []byte `json:"nonce"`
	// Ciphertext is the sealed secret with its tag.
	Ciphertext []byte `json:"sealed"`
}

// ParseKeyring parses "id:key[,id:key...]": each key is 32 bytes in
// base64 (standard or URL alphabet, padded or not), each id 1-32 of
// letters, digits, '_', '.' and '-'. The first key seals. Errors never
// echo key material.
func ParseKeyring(text config.Secret) (*Keyring, error) {
	raw := string(text.Reveal())
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for i, item := range strings.Split(strings.TrimSpace(raw), ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("keyring: key %d: want id:base64-key, id of 1-32 letters, digits, '_', '.', '-'", i+1)
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("keyring: key id %s listed twice", id)
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %s: %w", id, err)
		}
		block, _ := aes.NewCipher(key)
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %s: %w", id, err)
		}
		clear(key)
		k.aeads[id] = aead
		if i == 0 {
			k.current = id
		}
	}
	return k, nil
}

// NewKey returns a fresh random key in the form ParseKeyring reads.
func NewKey(id string) (config.Secret, error) {
	if !keyID.MatchString(id) {
		return config.Secret{}, errors.New("keyring: a key id is 1-32 letters, digits, '_', '.' or '-'")
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	defer clear(key)
	return config.NewSecret([]byte(id + ":" + base64.StdEncoding.EncodeToString(key))), nil
}

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != 32 {
				clear(b)
				return nil, fmt.Errorf("want 32 bytes (AES-256), got %d", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// Current returns the id of the key that seals.
func (k *Keyring) Current() string { return k.current }

// Seal seals secret for the merchant vendor under the current key.
func (k *Keyring) Seal(vendor string, secret config.Secret) Sealed {
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	plain := secret.Reveal()
	defer clear(plain)
	return Sealed{KeyID: k.current, Nonce: nonce, Ciphertext: aead.Seal(nil, nonce, plain, aad(vendor, k.current))}
}

// Open returns the secret sealed for the merchant vendor.
func (k *Keyring) Open(vendor string, s Sealed) (config.Secret, error) {
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return config.Secret{}, fmt.Errorf("secret of %s: sealed under key %q, which the keyring lacks", vendor, s.KeyID)
	}
	if len(s.Nonce) != aead.NonceSize() {
		return config.Secret{}, fmt.Errorf("secret of %s: bad nonce", vendor)
	}
	plain, err := aead.Open(nil, s.Nonce, s.Ciphertext, aad(vendor, s.KeyID))
	if err != nil {
		return config.Secret{}, fmt.Errorf("secret of %s: does not open under key %q", vendor, s.KeyID)
	}
	defer clear(plain)
	return config.NewSecret(plain), nil
}

func aad(vendor, id string) []byte { return []byte("lcngw.merchant\x00" + vendor + "\x00" + id) }
