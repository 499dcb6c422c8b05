package signer

import (
	"fmt"
	"strings"
)

// Algorithm is one of the three HMAC algorithms of the protocol.
type Algorithm uint8

// The algorithms, weakest first.
const (
	MD5     Algorithm = iota + 1 // HMAC-MD5, field HASH (retired for webhooks in August 2024)
	SHA256                       // HMAC-SHA-256, field SIGNATURE_SHA2_256
	SHA3256                      // HMAC-SHA3-256, field SIGNATURE_SHA3_256
)

// Strongest first: the order in which verification picks an algorithm.
var strongestFirst = [...]Algorithm{SHA3256, SHA256, MD5}

// String returns the receipt token: "md5", "sha256" or "sha3-256".
func (a Algorithm) String() string {
	switch a {
	case MD5:
		return "md5"
	case SHA256:
		return "sha256"
	case SHA3256:
		return "sha3-256"
	}
	return "unknown"
}

// Field returns the name of the signature field the algorithm fills.
func (a Algorithm) Field() string {
	switch a {
	case MD5:
		return FieldHash
	case SHA256:
		return FieldSHA2
	case SHA3256:
		return FieldSHA3
	}
	return ""
}

// Size returns the digest length in bytes.
func (a Algorithm) Size() int {
	if a == MD5 {
		return 16
	}
	return 32
}

// ParseAlgorithm accepts md5, sha256 (or sha2-256, sha2_256) and sha3-256
// (or sha3_256, as the official Python SDK writes it), case-insensitively.
func ParseAlgorithm(s string) (Algorithm, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md5", "hash":
		return MD5, nil
	case "sha256", "sha2-256", "sha2_256", "sha-256":
		return SHA256, nil
	case "sha3-256", "sha3_256", "sha3":
		return SHA3256, nil
	}
	return 0, fmt.Errorf("unknown algorithm %q (want md5, sha256 or sha3-256)", s)
}

// AlgorithmForField maps a signature field name to its algorithm.
func AlgorithmForField(name string) (Algorithm, bool) {
	switch name {
	case FieldHash:
		return MD5, true
	case FieldSHA2:
		return SHA256, true
	case FieldSHA3:
		return SHA3256, true
	}
	return 0, false
}

// Algorithms is a set of algorithms.
type Algorithms uint8

// AllAlgorithms is the set of all three algorithms.
const AllAlgorithms = Algorithms(1<<MD5 | 1<<SHA256 | 1<<SHA3256)

// SetOf returns the set holding the given algorithms.
func SetOf(algs ...Algorithm) Algorithms {
	var s Algorithms
	for _, a := range algs {
		s = s.With(a)
	}
	return s
}

// Has reports whether a is in the set.
func (s Algorithms) Has(a Algorithm) bool { return s&(1<<a) != 0 }

// With returns the set plus a.
func (s Algorithms) With(a Algorithm) Algorithms { return s | 1<<a }

// Empty reports whether the set holds no algorithm.
func (s Algorithms) Empty() bool { return s == 0 }

// Strongest returns the strongest algorithm in the set (SHA3-256, then
// SHA-256, then MD5) and false for an empty set.
func (s Algorithms) Strongest() (Algorithm, bool) {
	for _, a := range strongestFirst {
		if s.Has(a) {
			return a, true
		}
	}
	return 0, false
}

// wireOrder is the order signature fields are written in.
var wireOrder = [...]Algorithm{MD5, SHA256, SHA3256}

// List returns the algorithms of the set, weakest first (wire order).
func (s Algorithms) List() []Algorithm {
	var out []Algorithm
	s.each(func(a Algorithm) { out = append(out, a) })
	return out
}

// each calls f for every algorithm of the set in wire order; unlike List
// it allocates nothing.
func (s Algorithms) each(f func(Algorithm)) {
	for _, a := range wireOrder {
		if s.Has(a) {
			f(a)
		}
	}
}

// String returns the set as a comma-separated list, e.g. "md5,sha256".
func (s Algorithms) String() string {
	names := make([]string, 0, 3)
	for _, a := range s.List() {
		names = append(names, a.String())
	}
	return strings.Join(names, ",")
}

// ParseAlgorithms parses a comma-separated list such as "sha256,sha3-256".
func ParseAlgorithms(s string) (Algorithms, error) {
	var set Algorithms
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		a, err := ParseAlgorithm(part)
		if err != nil {
			return 0, err
		}
		set = set.With(a)
	}
	if set.Empty() {
		return 0, fmt.Errorf("no algorithm in %q", s)
	}
	return set, nil
}
