package endpoint

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// BenchmarkApp runs whole requests through the endpoint's Fiber app in
// process, without a network, with the logger and metrics `lcngw receive`
// uses (the log goes to io.Discard): "new" notifications, each verified,
// recorded as a JSON line and logged; and a "duplicate", every request
// after the first acknowledged from the duplicate store.
func BenchmarkApp(b *testing.B) {
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, mode := range []string{"new", "duplicate"} {
		b.Run(mode, func(b *testing.B) {
			opts, err := withDefaults(Options{Secrets: [][]byte{key}, Out: io.Discard,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			metrics, err := receiver.NewMetrics(opts.Registry)
			if err != nil {
				b.Fatal(err)
			}
			h := newApp(opts, newRecorder(opts), metrics).Handler()
			bodies := make([][]byte, b.N)
			s := signer.New(key)
			for i := range bodies {
				if mode == "new" || i == 0 {
					bodies[i] = s.AppendSignedForm(nil, fixture.Notification90(i+1), signer.AllAlgorithms)
				} else {
					bodies[i] = bodies[0]
				}
			}
			var ctx fasthttp.RequestCtx
			b.SetBytes(int64(len(bodies[0])))
			b.ReportAllocs()
			b.ResetTimer()
			for _, body := range bodies {
				fixture.PostForm(h, &ctx, body)
				if ctx.Response.StatusCode() != http.StatusOK {
					b.Fatalf("status %d", ctx.Response.StatusCode())
				}
			}
		})
	}
}
