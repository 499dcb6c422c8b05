package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// run executes one command line with stdin and returns exit code, stdout
// and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

const d4Body = "FIRST_NAME=J%C3%BCrgen&LAST_NAME=M%C3%BCller&COMPANY=&EMAIL=jm%40example.com&LICENSE_CODE=3C343D0FAF&EXPIRATION_DATE=2025-03-03&DISPATCH_REASON=LICENCE_CHANGE"

// TestSignVerifyD4 runs vector D4 of the protocol notes through the CLI.
func TestSignVerifyD4(t *testing.T) {
	code, out, errs := run(t, d4Body+"\n", "sign", "--secret", "AABBCCDDEEFF")
	if code != 0 {
		t.Fatalf("sign exit %d: %s", code, errs)
	}
	want := d4Body + "&HASH=aa7d1ae1aeb9cbc1755a84b69b6b2704" +
		"&SIGNATURE_SHA2_256=2222fa907eb2cccaac9b28c4d2ad689b049848591c7573ceb8d453333b8be9d1" +
		"&SIGNATURE_SHA3_256=f0b30eb2898db3fbfff8061bad4400a4aa423300c8f0450cb3c8340411602365" // byte-exact: no newline
	if out != want {
		t.Fatalf("sign output\n got %s\nwant %s", out, want)
	}
	code, out, _ = run(t, out, "verify", "--secret", "AABBCCDDEEFF")
	if code != 0 || out != "HASH valid\nSIGNATURE_SHA2_256 valid\nSIGNATURE_SHA3_256 valid\n" {
		t.Fatalf("verify exit %d, output %q", code, out)
	}
}

func TestSignSubset(t *testing.T) {
	code, out, _ := run(t, d4Body, "sign", "--secret", "AABBCCDDEEFF", "--algos", "sha256")
	if code != 0 || !strings.HasSuffix(out, "&SIGNATURE_SHA2_256=2222fa907eb2cccaac9b28c4d2ad689b049848591c7573ceb8d453333b8be9d1") || strings.Contains(out, "HASH=") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestVerifyFailures(t *testing.T) {
	_, signed, _ := run(t, d4Body, "sign", "--secret", "AABBCCDDEEFF")
	tampered := strings.Replace(signed, "3C343D0FAF", "3C343D0FAE", 1)
	tests := []struct {
		name, in, key string
		code          int
		out           string
	}{
		{"one byte changed", tampered, "AABBCCDDEEFF", 1, "HASH invalid\nSIGNATURE_SHA2_256 invalid\nSIGNATURE_SHA3_256 invalid\n"},
		{"wrong key", signed, "AABBCCDDEEFE", 1, "HASH invalid\nSIGNATURE_SHA2_256 invalid\nSIGNATURE_SHA3_256 invalid\n"},
		{"unsigned", d4Body, "AABBCCDDEEFF", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := run(t, tt.in, "verify", "--secret", tt.key)
			if code != tt.code || out != tt.out {
				t.Fatalf("exit %d output %q; want %d %q", code, out, tt.code, tt.out)
			}
		})
	}
}

// TestReceiptVectors runs the receipt vectors V1, D1, V5, D2 and D3
// through the CLI.
func TestReceiptVectors(t *testing.T) {
	const lcn = "LICENSE_CODE=3C343D0FAF&EXPIRATION_DATE=2005-03-03"
	const ipn = "IPN_PID%5B%5D=1&IPN_PNAME%5B%5D=Software+program&IPN_DATE=20050303123434"
	tests := []struct{ name, in, kind, algo, date, want string }{
		{"V5", lcn, "lcn", "md5", "20081117145935", "<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>"},
		{"D2 sha256", lcn, "lcn", "sha256", "20081117145935", `<sig algo="sha256" date="20081117145935">cdd64ce75e6cf013a60291229c83063a5d903eae3bfa216e99aae8af65a055e8</sig>`},
		{"D3 YmdGis", lcn, "", "sha3-256", "2008111795935", `<sig algo="sha3-256" date="2008111795935">ac2b036495624594c8095c00705903d383c26b81fde80b44a42b52be374055ae</sig>`},
		{"V1", ipn, "ipn", "md5", "20050303123434", "<EPAYMENT>20050303123434|7bf97ed39681027d0c45aa45e3ea98f0</EPAYMENT>"},
		{"D1 sha3", ipn, "", "sha3-256", "20050303123434", `<sig algo="sha3-256" date="20050303123434">85180497aaaa4844a278b52b1ce257d2820dbf5857470a5f678fef2266d0d4a8</sig>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"receipt", "--secret", "AABBCCDDEEFF", "--algo", tt.algo, "--date", tt.date}
			if tt.kind != "" {
				args = append(args, "--kind", tt.kind)
			}
			code, out, errs := run(t, tt.in, args...)
			if code != 0 || out != tt.want+"\n" {
				t.Fatalf("exit %d (%s) output %q, want %q", code, errs, out, tt.want)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"sign"}, // no secret
		{"sign", "--secret", "k", "--algos", "x"}, // bad algorithm
		{"receipt", "--secret", "k", "--kind", "abc"},
		{"verify", "--secret", "k", "extra"},
	} {
		if code, _, _ := run(t, "A=1", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestSecretFromEnvAndFile(t *testing.T) {
	t.Setenv("TEST_LCNGW_KEY", "AABBCCDDEEFF")
	_, viaFlag, _ := run(t, d4Body, "sign", "--secret", "AABBCCDDEEFF")
	code, viaEnv, _ := run(t, d4Body, "sign", "--secret-env", "TEST_LCNGW_KEY")
	if code != 0 || viaEnv != viaFlag {
		t.Fatalf("--secret-env: exit %d, output differs", code)
	}
	path := t.TempDir() + "/key"
	if err := writeFile(path, "AABBCCDDEEFF\n"); err != nil {
		t.Fatal(err)
	}
	code, viaFile, _ := run(t, d4Body, "sign", "--secret-file", path)
	if code != 0 || viaFile != viaFlag {
		t.Fatalf("--secret-file: exit %d, output differs", code)
	}
}
