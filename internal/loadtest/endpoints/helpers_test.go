package endpoints

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
)

// vendor is the vendor code of the lcn examples.
const vendor = "250111206876"

const secretEnv = "TEST_ENDPOINTS_KEY"

var testKey = []byte("0123456789abcdef0123456789abcdef")

// lockedBuffer is a concurrency-safe bytes.Buffer.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// records parses every complete line written so far.
func (l *lockedBuffer) records(t *testing.T) []Record {
	t.Helper()
	l.mu.Lock()
	text := l.b.String()
	l.mu.Unlock()
	var out []Record
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		r, err := ParseRecord(sc.Bytes())
		if err != nil {
			t.Fatalf("stream line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// serveSpec runs the endpoints of spec until the test ends and returns the
// base URL of each and the stream.
func serveSpec(t *testing.T, spec *Spec) ([]string, *lockedBuffer) {
	t.Helper()
	out := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	lookup := func(k string) (string, bool) { return string(testKey), k == secretEnv }
	go func() {
		done <- Run(ctx, Options{Spec: spec, Out: out, Lookup: lookup, FlushInterval: time.Millisecond,
			ShutdownTimeout: 200 * time.Millisecond})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		recs := out.records(t)
		if len(recs) > 0 && recs[len(recs)-1].Kind == Ready {
			urls := make([]string, 0, len(recs)-1)
			for _, r := range recs[:len(recs)-1] {
				urls = append(urls, "http://"+r.Addr+"/")
			}
			return urls, out
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("endpoints never reported ready")
	return nil, nil
}

// notification returns the fields of the full LCN example.
func notification(t testing.TB) signer.Fields {
	t.Helper()
	data, err := lcn.Example("full")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := lcn.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := lcn.Build(ev, lcn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// post sends body and returns the status and the response body.
func post(t *testing.T, client *http.Client, url string, body []byte) (int, []byte, error) {
	t.Helper()
	resp, err := client.Post(url, "application/x-www-form-urlencoded", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// signedBody signs fs with key as the gateway does by default.
func signedBody(key []byte, fs signer.Fields) []byte {
	return signer.New(key).AppendSignedForm(nil, fs, signer.SetOf(signer.SHA256, signer.SHA3256))
}
