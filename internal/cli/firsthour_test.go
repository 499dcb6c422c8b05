package cli

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// freeAddr returns a loopback address no one listens on right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startReceive runs "lcngw receive" with args until the test ends and
// returns its URL once it answers.
func startReceive(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	var errb bytes.Buffer
	go func() {
		defer wg.Done()
		Run(ctx, append([]string{"receive", "--listen", addr, "--out", t.TempDir() + "/out.jsonl"}, args...),
			Stdio{In: strings.NewReader(""), Out: io.Discard, Err: &errb})
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	url := "http://" + addr + "/"
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return url
		}
		if ctx.Err() != nil {
			t.Fatalf("receive did not start: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond) // waiting for start-up, not measuring it
	}
}

// post sends body as curl --data-binary @- does.
func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBuildPipedToReceive is
//
//	lcngw example --kind K | lcngw build --kind K --secret-env KEY | curl --data-binary @- URL
//
// against a running lcngw receive: the body build writes is posted as is,
// and the endpoint answers 200 with a receipt that verifies.
func TestBuildPipedToReceive(t *testing.T) {
	url := startReceive(t, "--secret", "K")
	for _, kind := range []string{"lcn", "ipn"} {
		_, event, _ := run(t, "", "example", "--kind", kind)
		code, body, errs := run(t, event, "build", "--kind", kind, "--secret", "K")
		if code != 0 {
			t.Fatalf("%s build: exit %d: %s", kind, code, errs)
		}
		if strings.HasSuffix(body, "\n") {
			t.Fatalf("%s build output ends with a newline", kind)
		}
		status, answer := post(t, url, body)
		if status != http.StatusOK {
			t.Fatalf("%s: HTTP %d: %s", kind, status, answer)
		}
		fs, err := signer.ParseForm([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		k, _ := signer.ParseKind(kind)
		if _, err := signer.New([]byte("K")).CheckReceiptWith([]byte(answer), k, fs, signer.ReceiptPolicy{StandardOnly: true}); err != nil {
			t.Fatalf("%s: answer %q: %v", kind, answer, err)
		}
		if code, out, errs := run(t, body, "receipt", "--secret", "K", "--check", answer); code != 0 {
			t.Fatalf("%s: receipt --check: exit %d: %s%s", kind, code, out, errs)
		}
	}
}

// TestMD5OnlyOnePolicy: verify and receive accept and refuse an MD5-only
// notification alike, and --allow-md5-only accepts it in both.
func TestMD5OnlyOnePolicy(t *testing.T) {
	_, body, _ := run(t, d4Body, "sign", "--secret", "K", "--algos", "md5")
	if code, _, errs := run(t, body, "verify", "--secret", "K"); code != 1 || !strings.Contains(errs, "--allow-md5-only") {
		t.Fatalf("verify: exit %d: %s", code, errs)
	}
	if code, out, errs := run(t, body, "verify", "--secret", "K", "--allow-md5-only"); code != 0 || out != "HASH valid\n" {
		t.Fatalf("verify --allow-md5-only: exit %d: %q %s", code, out, errs)
	}
	if status, _ := post(t, startReceive(t, "--secret", "K"), body); status < 400 || status >= 500 {
		t.Fatalf("receive: HTTP %d for an MD5-only body", status)
	}
	if status, answer := post(t, startReceive(t, "--secret", "K", "--allow-md5-only"), body); status != http.StatusOK || !strings.Contains(answer, "<EPAYMENT>") {
		t.Fatalf("receive --allow-md5-only: HTTP %d %q", status, answer)
	}
}

// TestReceiptCheck: receipt --check accepts the receipt receipt prints,
// a Ruby-SDK-style receipt (character counts) unless --standard-only, and
// nothing signed with another key.
func TestReceiptCheck(t *testing.T) {
	const body = "IPN_PID%5B%5D=1&IPN_PNAME%5B%5D=Analytics+%E2%80%93+monthly&IPN_DATE=20050303123434"
	_, good, _ := run(t, body, "receipt", "--secret", "K", "--algo", "sha256", "--date", "20050303123500")
	good = strings.TrimSpace(good)
	_, other, _ := run(t, body, "receipt", "--secret", "L", "--algo", "sha256", "--date", "20050303123500")
	// What the Ruby SDK answers: the en dash counts as one character.
	msg := "1119Analytics – monthly14200503031234341420050303123500"
	sdk := `<sig algo="sha256" date="20050303123500">` + signerHex(t, "K", msg) + `</sig>`
	tests := []struct {
		name   string
		answer string
		extra  []string
		code   int
		out    string
	}{
		{"own receipt", good, nil, 0, "computed as documented"},
		{"inside a page", "<html><body>" + good + "</body></html>", nil, 0, "valid: sha256"},
		{"sdk variant", sdk, nil, 0, "code_points"},
		{"sdk variant, standard only", sdk, []string{"--standard-only"}, 1, ""},
		{"other key", strings.TrimSpace(other), nil, 1, ""},
		{"no receipt", "OK", nil, 1, ""},
	}
	for _, tt := range tests {
		args := append([]string{"receipt", "--secret", "K", "--check", tt.answer}, tt.extra...)
		code, out, errs := run(t, body, args...)
		if code != tt.code || !strings.Contains(out, tt.out) {
			t.Errorf("%s: exit %d: %q %s", tt.name, code, out, errs)
		}
	}
	path := t.TempDir() + "/answer.html"
	if err := writeFile(path, "<p>"+good+"</p>"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, body, "receipt", "--secret", "K", "--check-file", path); code != 0 {
		t.Fatalf("--check-file: exit %d: %s", code, errs)
	}
}

func signerHex(t *testing.T, key, msg string) string {
	t.Helper()
	return hex.EncodeToString(signer.New([]byte(key)).Sum(nil, signer.SHA256, []byte(msg)))
}

// TestBadFlagsNameTheFlag: each bad value is refused before anything runs,
// with exit 2 and a message naming the flag.
func TestBadFlagsNameTheFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		flag string
	}{
		{[]string{"receive", "--secret", "K", "--log-format", "xml"}, "--log-format"},
		{[]string{"receive", "--secret", "K", "--max-body", "-5"}, "--max-body"},
		{[]string{"receive", "--secret", "K", "--receipt", "rsa"}, "--receipt"},
		{[]string{"receipt", "--secret", "K", "--date", "not a date"}, "--date"},
		{[]string{"receipt", "--secret", "K", "--algo", "crc32"}, "--algo"},
		{[]string{"replay", "--since", "2026-03-02", "--until", "2026-03-01"}, "--since"},
		{[]string{"verify", "--secret", "K", "--require", "rot13"}, "--require"},
		{[]string{"check-endpoint", "http://example.com/", "--timeout", "-1s"}, "--timeout"},
		{[]string{"serve", "--create-topics", "-1"}, "--create-topics"},
		{[]string{"kafka", "--port", "70000"}, "--port"},
		{[]string{"kafka", "--partitions", "0"}, "--partitions"},
		{[]string{"kafka", "--retention-bytes", "-1"}, "--retention-bytes"},
	} {
		code, _, errs := run(t, "A=1", tt.args...)
		if code != exitInvalid || !strings.Contains(errs, tt.flag) {
			t.Errorf("%q: exit %d, stderr %q; want 2 naming %s", tt.args, code, errs, tt.flag)
		}
	}
}

// TestCheckEndpointLoopback: a loopback URL is refused with a hint naming
// --allow-loopback, and the flag is accepted after the URL too.
func TestCheckEndpointLoopback(t *testing.T) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String() + "/"
	if code, _, errs := run(t, "", "check-endpoint", url); code != exitFailed || !strings.Contains(errs, "--allow-loopback") {
		t.Fatalf("loopback refused: exit %d: %s", code, errs)
	}
	for _, args := range [][]string{
		{"check-endpoint", "--allow-loopback", url},
		{"check-endpoint", url, "--allow-loopback"},
		{"check-endpoint", url, "--allow-loopback", "--timeout", "5s"},
	} {
		if code, out, errs := run(t, "", args...); code != 0 || !strings.Contains(out, "200") {
			t.Errorf("%q: exit %d: %s%s", args, code, out, errs)
		}
	}
	if code, _, _ := run(t, "", "check-endpoint", url, "extra"); code != exitInvalid {
		t.Errorf("two URLs: exit %d, want 2", code)
	}
}

// TestDevNamesTheFlagForATakenPort: dev refuses to start on a taken Kafka
// or admin port, naming the flag that moves it.
func TestDevNamesTheFlagForATakenPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, tt := range []struct {
		args []string
		flag string
	}{
		{[]string{"dev", "--kafka-port", port, "--admin", ""}, "--kafka-port"},
		{[]string{"dev", "--kafka-port", "0", "--admin", ln.Addr().String()}, "--admin"},
	} {
		code, _, errs := run(t, "", tt.args...)
		if code != exitInvalid || !strings.Contains(errs, tt.flag) {
			t.Errorf("%q: exit %d: %s", tt.args, code, errs)
		}
	}
}
