package signer_test

import (
	"crypto/md5"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/sha3"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
)

// benchFields is the reference-sized 90-field notification.
func benchFields() signer.Fields { return fixture.Notification90(1) }

var benchKey = []byte("0123456789abcdef0123456789abcdef")

// rawReferenceNs times a raw (unkeyed) one-pass MD5, SHA-256 and SHA3-256
// over the same serialized message: the floor signing is held to. It is
// timed right after each benchmark, so both see the same machine load
// (testing.Benchmark cannot run inside a benchmark); the median of 7
// rounds is used.
func rawReferenceNs() float64 {
	msg := signer.AppendMessage(nil, benchFields())
	rounds := make([]float64, 7)
	for i := range rounds {
		const n = 2000
		start := time.Now()
		for range n {
			md5.Sum(msg)
			sha256.Sum256(msg)
			sha3.Sum256(msg)
		}
		rounds[i] = float64(time.Since(start).Nanoseconds()) / n
	}
	slices.Sort(rounds)
	return rounds[len(rounds)/2]
}

func reportRatio(b *testing.B) {
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/rawReferenceNs(), "x-raw-hash")
}

// BenchmarkRawHashReference is the reference: MD5+SHA-256+SHA3-256 of the
// serialized message, no HMAC, no serialization.
func BenchmarkRawHashReference(b *testing.B) {
	msg := signer.AppendMessage(nil, benchFields())
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		md5.Sum(msg)
		sha256.Sum256(msg)
		sha3.Sum256(msg)
	}
}

// BenchmarkSign serializes the notification and computes all three HMACs.
func BenchmarkSign(b *testing.B) {
	fs := benchFields()
	s := signer.New(benchKey)
	b.SetBytes(int64(len(signer.AppendMessage(nil, fs))))
	b.ReportAllocs()
	for b.Loop() {
		s.Sign(fs, signer.AllAlgorithms)
	}
	reportRatio(b)
}

// BenchmarkEncodeSign writes the signed form body (encode + sign).
func BenchmarkEncodeSign(b *testing.B) {
	fs := benchFields()
	s := signer.New(benchKey)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = s.AppendSignedForm(buf[:0], fs, signer.AllAlgorithms)
	}
	reportRatio(b)
}

// BenchmarkAppendForm encodes the form body alone (no signing).
func BenchmarkAppendForm(b *testing.B) {
	fs := benchFields()
	buf := signer.AppendForm(nil, fs)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = signer.AppendForm(buf[:0], fs)
	}
}

// BenchmarkDecodeVerify parses a signed body and verifies all three
// signatures, as a receiver does.
func BenchmarkDecodeVerify(b *testing.B) {
	s := signer.New(benchKey)
	body := s.AppendSignedForm(nil, benchFields(), signer.AllAlgorithms)
	var d signer.Decoder
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		fs, err := d.Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Verify(fs, signer.Policy{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b)
}

// BenchmarkReceipt builds a SHA3-256 receipt and checks it, as the two ends
// of one delivery do.
func BenchmarkReceipt(b *testing.B) {
	s := signer.New(benchKey)
	fs := lcnReceiptFields("3C343D0FAF", "2005-03-03")
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = s.AppendReceipt(buf[:0], signer.KindLCN, fs, signer.SHA3256, "20240101120000")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.CheckReceipt(buf, signer.KindLCN, fs, signer.AllAlgorithms); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode parses a signed 90-field body with a reused Decoder.
func BenchmarkDecode(b *testing.B) {
	body := signer.New(benchKey).AppendSignedForm(nil, benchFields(), signer.AllAlgorithms)
	var d signer.Decoder
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}
