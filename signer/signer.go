package signer

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"

	"golang.org/x/crypto/sha3"
)

// Signer computes the protocol's HMACs under one secret key. It keeps one
// reusable HMAC state per algorithm and a reusable message buffer, so signing
// allocates nothing in steady state. A Signer is not safe for concurrent
// use: keep one per goroutine or in a sync.Pool. An algorithm's HMAC
// state is keyed when the algorithm is first used, so a Signer re-keyed
// for another merchant (Reset) costs only the algorithms it then uses.
type Signer struct {
	key  []byte
	macs [4]hash.Hash // indexed by Algorithm; nil until used
	msg  []byte
	sum  [64]byte
}

// New returns a Signer for key (the merchant's secret key, used as raw
// bytes). The key is copied; the Signer never exposes it.
func New(key []byte) *Signer {
	s := &Signer{msg: make([]byte, 0, 4096)}
	s.Reset(key)
	return s
}

// Reset re-keys s for key (copied), keeping its buffers; with the key it
// already holds, it keeps its HMAC states too. One pool of Signers can so
// serve any number of merchants.
func (s *Signer) Reset(key []byte) {
	if s.key != nil && subtle.ConstantTimeCompare(s.key, key) == 1 {
		return
	}
	clear(s.key)
	s.key = append(s.key[:0:0], key...)
	if s.key == nil {
		s.key = []byte{}
	}
	s.macs = [4]hash.Hash{}
}

// mac returns the HMAC state of a, keying it on first use.
func (s *Signer) mac(a Algorithm) hash.Hash {
	if m := s.macs[a]; m != nil {
		return m
	}
	var h func() hash.Hash
	switch a {
	case MD5:
		h = md5.New
	case SHA256:
		h = sha256.New
	case SHA3256:
		h = newSHA3
	default:
		panic("signer: unknown algorithm " + a.String())
	}
	s.macs[a] = hmac.New(h, s.key)
	return s.macs[a]
}

func newSHA3() hash.Hash { return sha3.New256() }

// Signatures holds the digests of one message.
type Signatures struct {
	// Set tells which digests were computed.
	Set    Algorithms
	MD5    [16]byte
	SHA256 [32]byte
	SHA3   [32]byte
}

// Digest returns the raw digest for a (nil if it was not computed).
func (s *Signatures) Digest(a Algorithm) []byte {
	if !s.Set.Has(a) {
		return nil
	}
	switch a {
	case MD5:
		return s.MD5[:]
	case SHA256:
		return s.SHA256[:]
	case SHA3256:
		return s.SHA3[:]
	}
	return nil
}

// AppendHex appends the lowercase hex digest for a to dst.
func (s *Signatures) AppendHex(dst []byte, a Algorithm) []byte {
	return hex.AppendEncode(dst, s.Digest(a))
}

// Hex returns the lowercase hex digest for a ("" if it was not computed).
func (s *Signatures) Hex(a Algorithm) string {
	return string(s.AppendHex(nil, a))
}

// Sum computes the HMAC of msg with algorithm a and appends it to dst.
func (s *Signer) Sum(dst []byte, a Algorithm, msg []byte) []byte {
	m := s.mac(a)
	m.Reset()
	m.Write(msg)
	return m.Sum(dst)
}

// SignMessage computes the digests of an already serialized message for
// every algorithm in algs.
func (s *Signer) SignMessage(msg []byte, algs Algorithms) Signatures {
	sigs := Signatures{Set: algs}
	for _, a := range wireOrder {
		if algs.Has(a) {
			s.Sum(s.sum[:0], a, msg)
			copy(sigs.Digest(a), s.sum[:a.Size()])
		}
	}
	return sigs
}

// Sign serializes fs once (signature fields excluded) and computes the
// digests for every algorithm in algs over that one message.
func (s *Signer) Sign(fs Fields, algs Algorithms) Signatures {
	s.msg = AppendMessage(s.msg[:0], fs)
	return s.SignMessage(s.msg, algs)
}

// SignFields returns fs without any signature fields it had, followed by the
// signature fields for algs in wire order (HASH, SIGNATURE_SHA2_256,
// SIGNATURE_SHA3_256). The result shares the value strings of fs.
func (s *Signer) SignFields(fs Fields, algs Algorithms) Fields {
	sigs := s.Sign(fs, algs)
	out := make(Fields, 0, len(fs)+3)
	for _, f := range fs {
		if !IsSignatureField(f.Name) {
			out = append(out, f)
		}
	}
	for _, a := range algs.List() {
		out.Add(a.Field(), sigs.Hex(a))
	}
	return out
}
