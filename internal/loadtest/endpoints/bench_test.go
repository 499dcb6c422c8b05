package endpoints

import (
	"io"
	"math/rand/v2"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
)

// BenchmarkHandler runs whole requests through one endpoint's Fiber app in
// process, without a network: fault injection (none drawn), verification,
// the read receipt and the Delivered record. It is the endpoint's own CPU
// per request on top of the server's socket work.
func BenchmarkHandler(b *testing.B) {
	fs := notification(b)
	body := signer.New(testKey).AppendSignedForm(nil, fs, signer.AllAlgorithms)
	s := NewStream(io.Discard)
	app := newApp(&handler{ep: healthy(), stream: s, rng: rand.New(rand.NewPCG(1, 0))}, testKey)
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		fixture.PostForm(h, &ctx, body)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}
