package signer

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"

	"golang.org/x/crypto/sha3"
)

// Signer computes the protocol's HMACs under one secret key. It keeps one
// reusable HMAC state per algorithm and a reusable message buffer, so signing
// allocates nothing in steady state. A Signer is not safe for concurrent
// use: keep one per goroutine or in a sync.Pool.
type Signer struct {
	macs [4]hash.Hash // indexed by Algorithm
	msg  []byte
	sum  [64]byte
}

// New returns a Signer for key (the merchant's secret key, used as raw
// bytes). The key is copied by the HMAC constructors; the Signer never
// exposes it.
func New(key []byte) *Signer {
	s := &Signer{msg: make([]byte, 0, 4096)}
	s.macs[MD5] = hmac.New(md5.New, key)
	s.macs[SHA256] = hmac.New(sha256.New, key)
	s.macs[SHA3256] = hmac.New(newSHA3, key)
	return s
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
	m := s.macs[a]
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
