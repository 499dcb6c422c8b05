package signer_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha3"
	"encoding/hex"
	"errors"
	"hash"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lcngw/lcngw/signer"
)

// The functions below compute IPN read receipts the way 2Checkout's
// official SDKs do, written from their source and independently of the
// package: each SDK's length rule, trimming and product selection.

func sdkHMAC(alg, key, msg string) string {
	var h func() hash.Hash
	switch alg {
	case "md5":
		h = md5.New
	case "sha256":
		h = sha256.New
	default:
		h = func() hash.Hash { return sha3.New256() }
	}
	m := hmac.New(h, []byte(key))
	m.Write([]byte(msg)) // every SDK encodes the message as UTF-8
	return hex.EncodeToString(m.Sum(nil))
}

func sdkFormat(alg, algoToken, date, sig string) string {
	if alg == "md5" {
		return "<EPAYMENT>" + date + "|" + sig + "</EPAYMENT>"
	}
	return `<sig algo="` + algoToken + `" date="` + date + `">` + sig + "</sig>"
}

// python mirrors twocheckout/ipn_helper.py calculate_ipn_response: len() of
// a str counts code points; list values are lstrip()ped, IPN_DATE and DATE
// are not; the SHA3 token is sha3_256.
func pythonReceipt(key, alg string, pid, pname []string, ipnDate, date string) string {
	pyLen := func(s string) string { return strconv.Itoa(len([]rune(s))) }
	expand := func(v string) string {
		v = strings.TrimLeftFunc(v, unicode.IsSpace)
		return pyLen(v) + v
	}
	msg := expand(pid[0]) + expand(pname[0]) + pyLen(ipnDate) + ipnDate + pyLen(date) + date
	token := map[string]string{"sha256": "sha256", "sha3": "sha3_256"}[alg]
	return sdkFormat(alg, token, date, sdkHMAC(alg, key, msg))
}

// ruby mirrors lib/twocheckout_client/ipn.rb response: String#length counts
// characters; no trimming.
func rubyReceipt(key, alg string, pid, pname []string, ipnDate, date string) string {
	msg := ""
	for _, v := range []string{pid[0], pname[0], ipnDate, date} {
		msg += strconv.Itoa(len([]rune(v))) + v
	}
	return sdkFormat(alg, map[string]string{"sha256": "sha256", "sha3": "sha3-256"}[alg], date, sdkHMAC(alg, key, msg))
}

// javaLen is String.length(): UTF-16 code units.
func javaLen(s string) string { return strconv.Itoa(len(utf16.Encode([]rune(s)))) }

// java mirrors com/twocheckout/model/Ipn.java calculateResponseSignature.
func javaReceipt(key, alg string, pid, pname []string, ipnDate, date string) string {
	msg := javaLen(pid[0]) + pid[0] + javaLen(pname[0]) + pname[0] + javaLen(ipnDate) + ipnDate + javaLen(date) + date
	return sdkFormat(alg, map[string]string{"sha256": "sha256", "sha3": "sha3-256"}[alg], date, sdkHMAC(alg, key, msg))
}

// node mirrors lib/ipn.js calculateIpnResponse: getStrAndLength trims each
// value and takes .length (UTF-16 code units).
func nodeReceipt(key, alg string, pid, pname []string, ipnDate, date string) string {
	msg := ""
	for _, v := range []string{pid[0], pname[0], ipnDate, date} {
		v = strings.TrimSpace(v)
		msg += javaLen(v) + v
	}
	return sdkFormat(alg, map[string]string{"sha256": "sha256", "sha3": "sha3-256"}[alg], date, sdkHMAC(alg, key, msg))
}

// dotnetStrip is the .NET SDK's StripSlashes regular expression.
var dotnetStrip = regexp.MustCompile(`(\\)([\x00\x08\x09\x0a\x0d\x1a\x22\x27\x5c\x60])`)

// dotnet mirrors TwoCheckout/TwoCheckoutIpn.cs CalculateIpnResponse:
// ArrayExpand over every IPN_PID and IPN_PNAME element (StripSlashes,
// .Length in UTF-16 code units), then IPN_DATE and the date. No SHA3.
func dotnetReceipt(key, alg string, pid, pname []string, ipnDate, date string) string {
	msg := ""
	for _, arr := range [][]string{pid, pname} {
		for _, v := range arr {
			v = dotnetStrip.ReplaceAllString(v, "$2")
			msg += javaLen(v) + v
		}
	}
	msg += javaLen(ipnDate) + ipnDate + javaLen(date) + date
	return sdkFormat(alg, "sha256", date, sdkHMAC(alg, key, msg))
}

type sdkReceipt func(key, alg string, pid, pname []string, ipnDate, date string) string

func receiptFields(pid, pname []string) signer.Fields {
	return signer.Fields{
		{Name: "REFNO", Values: []string{"211153389"}},
		{Name: "IPN_PID", Values: pid, Array: true},
		{Name: "IPN_PNAME", Values: pname, Array: true},
		{Name: "IPN_DATE", Values: []string{"20260310101542"}},
	}
}

// TestSDKReceiptVariants: receipts computed the SDKs' way verify, are
// reported with their variant, and are refused when the endpoint accepts
// only the documented rule; none verifies under another key.
func TestSDKReceiptVariants(t *testing.T) {
	const key, date = "AABBCCDDEEFF", "20260310101600"
	products := []struct {
		name       string
		pid, pname []string
	}{
		{"ascii", []string{"101"}, []string{"Software program"}},
		{"en dash", []string{"101"}, []string{"Analytics Pro – monthly"}},
		{"emoji", []string{"101"}, []string{"Plan 🚀 Pro"}},
		{"leading space", []string{"101"}, []string{"  Plan – Pro"}},
		{"trailing space", []string{"101"}, []string{"Plan – Pro  "}},
		{"two products", []string{"101", "202"}, []string{"Plan A", `Plan \"B\"`}},
	}
	sdks := []struct {
		name string
		fn   sdkReceipt
		algs []string
	}{
		{"python", pythonReceipt, []string{"md5", "sha256", "sha3"}},
		{"ruby", rubyReceipt, []string{"md5", "sha256", "sha3"}},
		{"java", javaReceipt, []string{"md5", "sha256", "sha3"}},
		{"node", nodeReceipt, []string{"md5", "sha256", "sha3"}},
		{"dotnet", dotnetReceipt, []string{"md5", "sha256"}},
	}
	// standard names the products for which an SDK's receipt coincides
	// with the documented one.
	standard := map[string]map[string]bool{
		"python": {"ascii": true, "two products": true},
		"ruby":   {"ascii": true, "two products": true},
		"java":   {"ascii": true, "two products": true},
		"node":   {"ascii": true, "two products": true},
		"dotnet": {"ascii": true},
	}
	s := signer.New([]byte(key))
	other := signer.New([]byte("AABBCCDDEEFG"))
	for _, p := range products {
		fs := receiptFields(p.pid, p.pname)
		for _, sdk := range sdks {
			for _, alg := range sdk.algs {
				name := p.name + "/" + sdk.name + "/" + alg
				body := []byte("<html>OK " + sdk.fn(key, alg, p.pid, p.pname, "20260310101542", date) + "</html>")
				rc, err := s.CheckReceipt(body, signer.KindIPN, fs, signer.AllAlgorithms)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if rc.Date != date {
					t.Errorf("%s: date %q", name, rc.Date)
				}
				isStd := standard[sdk.name][p.name]
				if isStd != (rc.Variant == signer.ReceiptStandard) {
					t.Errorf("%s: variant %s", name, rc.Variant)
				}
				_, err = s.CheckReceiptWith(body, signer.KindIPN, fs, signer.ReceiptPolicy{StandardOnly: true})
				if isStd != (err == nil) {
					t.Errorf("%s: standard-only policy gives %v", name, err)
				}
				if _, err := other.CheckReceipt(body, signer.KindIPN, fs, signer.AllAlgorithms); !errors.Is(err, signer.ErrReceiptMismatch) {
					t.Errorf("%s: verifies under another key: %v", name, err)
				}
			}
		}
	}
}

// TestSDKReceiptVariantNames pins the labels the variants are counted by.
func TestSDKReceiptVariantNames(t *testing.T) {
	var got []string
	for _, v := range signer.ReceiptVariants() {
		got = append(got, v.String())
	}
	if want := "standard code_points utf16_units left_trimmed trimmed all_products"; strings.Join(got, " ") != want {
		t.Fatalf("variants %q, want %q", got, want)
	}
}

// TestSDKVariantsOnlyForIPN: an LCN receipt must follow the documented
// rule; character counts do not verify.
func TestSDKVariantsOnlyForIPN(t *testing.T) {
	const key, date = "AABBCCDDEEFF", "20260310101600"
	fs := signer.Fields{{Name: "LICENSE_CODE", Values: []string{"Ü3C343D0F"}}, {Name: "EXPIRATION_DATE", Values: []string{"2026-04-15"}}}
	msg := "9Ü3C343D0F102026-04-1514" + date // code-point length of the code
	body := []byte(sdkFormat("sha256", "sha256", date, sdkHMAC("sha256", key, msg)))
	if _, err := signer.New([]byte(key)).CheckReceipt(body, signer.KindLCN, fs, signer.AllAlgorithms); !errors.Is(err, signer.ErrReceiptMismatch) {
		t.Fatalf("LCN receipt over character counts: %v", err)
	}
}

// FuzzSDKReceiptVariants: for any product ID and name, every SDK's receipt
// verifies under the merchant's key and never under another, and the
// check never panics on what the merchant answers.
func FuzzSDKReceiptVariants(f *testing.F) {
	f.Add("101", "Analytics Pro – monthly", "202", `Plan \"B\"`)
	f.Add(" 1", "🚀 ", "", "")
	f.Fuzz(func(t *testing.T, pid, pname, pid2, pname2 string) {
		if !utf8.ValidString(pid + pname + pid2 + pname2) {
			return // form values are decoded UTF-8 text
		}
		const key, date = "AABBCCDDEEFF", "20260310101600"
		pids, pnames := []string{pid, pid2}, []string{pname, pname2}
		fs := receiptFields(pids, pnames)
		s, other := signer.New([]byte(key)), signer.New([]byte("ZZ"))
		for _, sdk := range []sdkReceipt{pythonReceipt, rubyReceipt, javaReceipt, nodeReceipt, dotnetReceipt} {
			body := []byte(sdk(key, "sha256", pids, pnames, "20260310101542", date))
			if _, err := s.CheckReceipt(body, signer.KindIPN, fs, signer.AllAlgorithms); err != nil {
				t.Fatalf("%q/%q: %v", pname, pname2, err)
			}
			if _, err := other.CheckReceipt(body, signer.KindIPN, fs, signer.AllAlgorithms); err == nil {
				t.Fatalf("%q/%q: verifies under another key", pname, pname2)
			}
		}
	})
}
