package receiver_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// The loopback benchmarks run the server in a child process (this test
// binary re-executed with benchServerEnv set) so that its CPU time per
// request can be read from procfs apart from the client's, as in the
// reference measurements. When taskset is available the server is pinned
// to CPU 0 with GOMAXPROCS=1; run the benchmark itself under
// "taskset -c 1" to give the client the other core.
const benchServerEnv = "LCNGW_BENCH_SERVER"

var loopbackKey = []byte("0123456789abcdef0123456789abcdef")

func TestMain(m *testing.M) {
	if mode := os.Getenv(benchServerEnv); mode != "" {
		if err := serveBench(mode); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveBench serves one benchmark mode ("fiber/receiver", "nethttp/tuned",
// …) on a loopback port, prints the address, and exits when stdin closes.
func serveBench(mode string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr())
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); os.Exit(0) }()
	impl, variant, _ := strings.Cut(mode, "/")
	if impl == "fiber" {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Post("/", fiberBenchHandlers(variant)...)
		return app.Listener(ln)
	}
	return http.Serve(ln, httpBenchHandler(variant))
}

func fiberBenchHandlers(variant string) []fiber.Handler {
	switch variant {
	case "receiver", "reused":
		return []fiber.Handler{receiver.New(benchConfig(variant)), func(*fiber.Ctx) error { return nil }}
	case "tuned":
		return []fiber.Handler{func(c *fiber.Ctx) error {
			out, ok := tunedVerify(c.Body())
			if !ok {
				return c.SendStatus(403)
			}
			return c.Send(out)
		}}
	}
	return []fiber.Handler{func(c *fiber.Ctx) error { _ = c.Body(); return c.SendString("OK") }}
}

func httpBenchHandler(variant string) http.Handler {
	switch variant {
	case "receiver", "reused":
		return receiver.Middleware(benchConfig(variant))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	case "tuned":
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			buf := bodyPool.Get().(*bytes.Buffer)
			defer bodyPool.Put(buf)
			buf.Reset()
			_, _ = buf.ReadFrom(r.Body)
			out, ok := tunedVerify(buf.Bytes())
			if !ok {
				w.WriteHeader(403)
				return
			}
			_, _ = w.Write(out)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "OK")
	})
}

// benchConfig verifies and receipts every request (the body never
// changes, so duplicate detection is off); "reused" recycles notifications.
func benchConfig(variant string) receiver.Config {
	return receiver.Config{Secrets: [][]byte{loopbackKey}, DisableDedupe: true, ReuseNotifications: variant == "reused"}
}

var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// tuned is the reference receiver of the measurements: a pooled decoder
// and signer, verify, receipt into a reused buffer; nothing else.
type tuned struct {
	dec signer.Decoder
	s   *signer.Signer
	out []byte
}

var tunedPool = sync.Pool{New: func() any { return &tuned{s: signer.New(loopbackKey)} }}

func tunedVerify(body []byte) ([]byte, bool) {
	t := tunedPool.Get().(*tuned)
	defer tunedPool.Put(t)
	fs, err := t.dec.Decode(body)
	if err != nil {
		return nil, false
	}
	res, err := t.s.Verify(fs, signer.Policy{})
	if err != nil {
		return nil, false
	}
	kind := signer.DetectKind(fs)
	t.out, err = t.s.AppendReceipt(t.out[:0], kind, fs, res.Strongest, signer.ReceiptDate(time.Now()))
	return t.out, err == nil
}
