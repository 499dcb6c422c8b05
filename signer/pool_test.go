package signer_test

import (
	"testing"

	"github.com/lcngw/lcngw/signer"
)

// TestPool: a Signer from a Pool signs as a new Signer for the key asked
// does, whichever key the Signer given back before it held.
func TestPool(t *testing.T) {
	msg := []byte("14AGITNOSTIC2024-01-01 12:00:00")
	var p signer.Pool
	for _, k := range [][]byte{[]byte("key one"), []byte("another key"), nil, []byte("key one")} {
		s := p.Get(k)
		want := signer.New(k)
		for _, a := range []signer.Algorithm{signer.MD5, signer.SHA256, signer.SHA3256} {
			if got, w := s.Sum(nil, a, msg), want.Sum(nil, a, msg); string(got) != string(w) {
				t.Errorf("key %q, %s: %x from the pool, %x from New", k, a, got, w)
			}
		}
		p.Put(s)
	}
}
