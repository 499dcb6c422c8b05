package signer_test

import (
	"fmt"
	"sync"
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

// TestPoolKeepsKeysApart: Signers lent for different keys at the same time,
// and given back in any order, each sign with the key they were lent for.
func TestPoolKeepsKeysApart(t *testing.T) {
	msg := []byte("14AGITNOSTIC2024-01-01 12:00:00")
	var p signer.Pool
	keys := make([][]byte, 600) // more keys than the pool keeps
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("merchant key %d", i))
	}
	for round := range 3 {
		lent := make([]*signer.Signer, len(keys))
		for i, k := range keys {
			lent[i] = p.Get(k)
		}
		for i, s := range lent {
			want := signer.New(keys[i]).Sum(nil, signer.SHA3256, msg)
			if got := s.Sum(nil, signer.SHA3256, msg); string(got) != string(want) {
				t.Fatalf("round %d, key %d: %x, want %x", round, i, got, want)
			}
		}
		for i := len(lent) - 1; i >= 0; i-- {
			p.Put(lent[i])
		}
	}
}

// rekeyPool is a pool of Signers re-keyed on every Get, for comparison.
type rekeyPool struct{ p sync.Pool }

func (p *rekeyPool) Get(key []byte) *signer.Signer {
	s, _ := p.p.Get().(*signer.Signer)
	if s == nil {
		return signer.New(key)
	}
	s.Reset(key)
	return s
}

func (p *rekeyPool) Put(s *signer.Signer) { p.p.Put(s) }

// BenchmarkPoolSign signs the reference notification with all three
// algorithms for merchants taken in turn, with a Signer from a Pool, and,
// for comparison, from a pool that re-keys on every Get.
func BenchmarkPoolSign(b *testing.B) {
	fs := benchFields()
	for _, merchants := range []int{1, 4, 100_000} {
		keys := make([][]byte, merchants)
		for i := range keys {
			keys[i] = []byte(fmt.Sprintf("%032d", i))
		}
		type pool interface {
			Get([]byte) *signer.Signer
			Put(*signer.Signer)
		}
		for _, c := range []struct {
			name string
			p    pool
		}{{"keyed", new(signer.Pool)}, {"rekey", new(rekeyPool)}} {
			b.Run(fmt.Sprintf("merchants=%d/%s", merchants, c.name), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					s := c.p.Get(keys[i%merchants])
					s.Sign(fs, signer.AllAlgorithms)
					c.p.Put(s)
					i++
				}
			})
		}
	}
}
