//go:build !race

// The race detector makes sync.Pool drop objects, so allocation counts are
// only meaningful without it.

package receiver

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
)

// TestFiberRecycledNotificationsAllocateNothing: with ReuseNotifications
// and no duplicate store, the Fiber middleware verifies a notification,
// hands it to the application and answers its receipt without allocating.
// (The net/http adapter allocates the request it passes on with the
// notification in its context.)
func TestFiberRecycledNotificationsAllocateNothing(t *testing.T) {
	body := benchBody(signer.AllAlgorithms)
	var seen string
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/", New(Config{Secrets: [][]byte{benchKey}, DisableDedupe: true, ReuseNotifications: true}),
		func(c *fiber.Ctx) error { seen = FromFiber(c).MessageID; return nil })
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	do := func() { fixture.PostForm(h, &ctx, body) }
	do()
	if status := ctx.Response.StatusCode(); status != http.StatusOK || seen == "" {
		t.Fatalf("status %d, MESSAGE_ID %q", status, seen)
	}
	if allocs := testing.AllocsPerRun(100, do); allocs != 0 {
		t.Errorf("%v allocations per request, want 0", allocs)
	}
}
