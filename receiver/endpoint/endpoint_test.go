package endpoint_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/receiver/endpoint"
	"github.com/lcngw/lcngw/signer"
)

var (
	testKey = []byte("lcngw-endpoint-test-key")
	docKey  = []byte("AABBCCDDEEFF")
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a running endpoint.
type server struct {
	url, admin string
	out, logs  *syncBuffer
	stop       func() error
}

// start runs endpoint.Run on loopback listeners with opts completed.
func start(t *testing.T, opts endpoint.Options) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	aln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{url: "http://" + ln.Addr().String(), admin: "http://" + aln.Addr().String(),
		out: &syncBuffer{}, logs: &syncBuffer{}}
	opts.Listener, opts.AdminListener, opts.Out = ln, aln, s.out
	opts.Logger = slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if opts.Secrets == nil {
		opts.Secrets = [][]byte{testKey, docKey}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- endpoint.Run(ctx, opts) }()
	s.stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Fatal("Run did not return")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	waitUp(t, s.admin+"/livez")
	return s
}

func waitUp(t *testing.T, url string) {
	t.Helper()
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never came up", url)
}

func do(t *testing.T, method, url string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// notification is one signed test notification.
type notification struct {
	name   string
	key    []byte
	fields signer.Fields
	body   []byte
}

// notifications returns the spec's D5 (published signatures, doc key),
// and every example event built by the lcn and ipn packages, signed with
// the test key.
func notifications(t *testing.T) []notification {
	t.Helper()
	d5 := "REFNO=123456789&ORDERSTATUS=COMPLETE&IPN_PID%5B%5D=101&IPN_PID%5B%5D=202&IPN_PNAME%5B%5D=Plan+A&IPN_PNAME%5B%5D=Plan+B&IPN_QTY%5B%5D=1&IPN_QTY%5B%5D=0&IPN_INFO%5B%5D=&IPN_INFO%5B%5D=&TIMEZONE_OFFSET=GMT%2B03%3A00&IPN_DATE=20240101120000"
	d5fs, err := signer.ParseForm([]byte(d5))
	if err != nil {
		t.Fatal(err)
	}
	out := []notification{{name: "D5", key: docKey, fields: d5fs, body: []byte(d5 +
		"&HASH=b4396413e206955b65547d0239838e29" +
		"&SIGNATURE_SHA2_256=5ab256864ae302db468a193d43b07bd0727ecde35bc73859a90c92f3a556ae26" +
		"&SIGNATURE_SHA3_256=12def03aced910880928e2bbd9fc8ba25f07fa3054abfe7759e7200363e00b98")}}
	add := func(name string, fs signer.Fields, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, notification{name: name, key: testKey, fields: fs,
			body: signer.New(testKey).AppendSignedForm(nil, fs, signer.SetOf(signer.SHA256, signer.SHA3256))})
	}
	for _, name := range lcn.ExampleNames() {
		data, _ := lcn.Example(name)
		ev, err := lcn.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := lcn.Build(ev, lcn.Options{})
		add("lcn/"+name, fs, err)
	}
	for _, name := range ipn.ExampleNames() {
		data, _ := ipn.Example(name)
		ev, err := ipn.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := ipn.Build(ev, ipn.Options{})
		add("ipn/"+name, fs, err)
	}
	return out
}

func readLines(t *testing.T, s string) []endpoint.Record {
	t.Helper()
	var recs []endpoint.Record
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r endpoint.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

// fieldsOf turns a record back into fields.
func fieldsOf(r endpoint.Record) signer.Fields {
	fs := make(signer.Fields, len(r.Fields))
	for i, f := range r.Fields {
		fs[i] = signer.Field(f)
	}
	return fs
}

// forwardSink is a forward target recording what it receives.
type forwardSink struct {
	mu     sync.Mutex
	bodies []string
	fail   int // answer 500 to this many requests first
}

func (f *forwardSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "bad content type", 400)
		return
	}
	if f.fail > 0 {
		f.fail--
		http.Error(w, "down", 500)
		return
	}
	f.bodies = append(f.bodies, string(b))
}

func (f *forwardSink) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bodies...)
}

func newRegistry() *prometheus.Registry { return prometheus.NewRegistry() }
