package signer

import (
	"crypto/hmac"
	"fmt"

	"github.com/lcngw/lcngw/internal/formdecode"
)

// Verification errors. Each is wrapped with detail; test with errors.Is.
const (
	// ErrNoSignature: none of HASH, SIGNATURE_SHA2_256, SIGNATURE_SHA3_256
	// carries a value.
	ErrNoSignature = constError("no signature present")
	// ErrMissingSignature: an algorithm the policy requires is absent
	// (for example the SHA signatures were stripped).
	ErrMissingSignature = constError("required signature missing")
	// ErrMD5Only: only HASH (HMAC-MD5) is present and the policy rejects
	// MD5-only notifications.
	ErrMD5Only = constError("only an MD5 signature present")
	// ErrMismatch: a present signature does not match the message.
	ErrMismatch = constError("signature mismatch")
)

// Policy decides which signatures a notification must carry.
//
// The zero Policy verifies "strongest present" as the official SDKs do
// (SHA3-256, else SHA-256, else MD5) and rejects notifications signed with
// MD5 alone, which the platform stopped sending in August 2024.
// Every signature that is present must match, so a tampered weaker field
// cannot hide behind a valid stronger one.
type Policy struct {
	// Require lists algorithms that must be present (and valid).
	Require Algorithms
	// AllowMD5Only accepts notifications whose only signature is HASH.
	AllowMD5Only bool
}

// Result describes a successful verification.
type Result struct {
	// Present is the set of signature fields that carried a value.
	Present Algorithms
	// Strongest is the strongest verified algorithm: the one a read
	// receipt should answer with.
	Strongest Algorithm
}

// Verify checks the signatures of fs under p. The message is serialized
// once and every present signature is compared in constant time; hex is
// compared case-insensitively.
func (s *Signer) Verify(fs Fields, p Policy) (Result, error) {
	present, err := presentSignatures(fs)
	if err != nil {
		return Result{}, err
	}
	if present.Empty() {
		return Result{}, ErrNoSignature
	}
	if missing := p.Require &^ present; missing != 0 {
		return Result{Present: present}, fmt.Errorf("%w: %s", ErrMissingSignature, missing)
	}
	if present == SetOf(MD5) && !p.AllowMD5Only {
		return Result{Present: present}, ErrMD5Only
	}
	s.msg = AppendMessage(s.msg[:0], fs)
	for _, a := range wireOrder {
		if !present.Has(a) {
			continue
		}
		want, _ := fs.Get(a.Field())
		if !s.equal(a, want) {
			return Result{Present: present}, fmt.Errorf("%w: %s", ErrMismatch, a.Field())
		}
	}
	strongest, _ := present.Strongest()
	return Result{Present: present, Strongest: strongest}, nil
}

// Check reports, for each signature field present in fs (in wire order),
// whether it matches. It applies no policy.
func (s *Signer) Check(fs Fields) []SignatureCheck {
	s.msg = AppendMessage(s.msg[:0], fs)
	var out []SignatureCheck
	for _, f := range fs {
		a, ok := AlgorithmForField(f.Name)
		if !ok {
			continue
		}
		out = append(out, SignatureCheck{Algorithm: a, Valid: len(f.Values) == 1 && s.equal(a, f.Value())})
	}
	return out
}

// SignatureCheck is one line of [Signer.Check].
type SignatureCheck struct {
	Algorithm Algorithm
	Valid     bool
}

// equal compares the HMAC of s.msg under a with the hex string want.
func (s *Signer) equal(a Algorithm, want string) bool {
	var sent [32]byte
	n := a.Size()
	if len(want) != 2*n || !decodeHex(sent[:n], want) {
		return false
	}
	// s.sum, not a local array: a slice handed to hash.Hash.Sum escapes.
	got := s.Sum(s.sum[:0], a, s.msg)
	return hmac.Equal(got, sent[:n])
}

func presentSignatures(fs Fields) (Algorithms, error) {
	var set Algorithms
	for _, f := range fs {
		a, ok := AlgorithmForField(f.Name)
		if !ok {
			continue
		}
		if f.Array || len(f.Values) != 1 {
			return 0, fmt.Errorf("%w: %s must be a single value", ErrMismatch, f.Name)
		}
		if f.Values[0] != "" {
			set = set.With(a)
		}
	}
	return set, nil
}

// decodeHex decodes the hex string src (either case) into dst, which must be
// half its length. It allocates nothing.
func decodeHex[T string | []byte](dst []byte, src T) bool {
	for i := range dst {
		hi, lo := src[2*i], src[2*i+1]
		if !formdecode.IsHex(hi) || !formdecode.IsHex(lo) {
			return false
		}
		dst[i] = formdecode.Unhex(hi)<<4 | formdecode.Unhex(lo)
	}
	return true
}
