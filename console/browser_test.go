package console_test

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshot = flag.String("screenshot", "", "TestBrowser: also write the overview's screenshot to this PNG file (the README's)")

// chromium finds the browser: $CHROMIUM_BIN (which must then work; CI
// sets it), or Debian's chromium.
func chromium(t *testing.T) string {
	if p := os.Getenv("CHROMIUM_BIN"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("$CHROMIUM_BIN: %v", err)
		}
		return path
	}
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("no chromium installed (apt-get install chromium, or set CHROMIUM_BIN)")
	return ""
}

// browser starts a headless chromium with a fresh profile.
func browser(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	return ctx
}

// TestBrowser drives the console in a real browser against the running
// gateway: log in, find a delivered notification, replay a dead letter
// and see it delivered, pause the endpoint and see a notification wait.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Kafka, the gateway and a browser")
	}
	ctx := browser(t)
	s := startStack(t)
	run(t, ctx, "log in",
		chromedp.Navigate(s.url+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("totals")))

	delivered := s.publish(t)
	run(t, ctx, "search by MESSAGE_ID",
		chromedp.Navigate(s.url+"/search"),
		chromedp.SendKeys(chromedp.ID("q"), delivered),
		chromedp.Click(chromedp.ID("search")),
		chromedp.WaitVisible(chromedp.ID("count")))
	waitState(t, ctx, s.url, delivered, "delivered")
	if n := attempts(t, ctx, delivered, ""); n != 1 {
		t.Fatalf("delivered notification shows %d attempts, want 1", n)
	}

	s.failing.Store(true)
	dead := s.publish(t)
	waitFor(t, ctx, s.url+"/dead-letters", `document.querySelector('#dead tr[data-message-id="`+dead+`"]') !== null`)
	s.failing.Store(false)
	run(t, ctx, "replay one dead letter",
		chromedp.Click(chromedp.CSS(`#dead tr[data-message-id="`+dead+`"] button.replay-one`)),
		chromedp.WaitVisible(chromedp.ID("count")))
	waitState(t, ctx, s.url, dead, "delivered")
	if n := attempts(t, ctx, dead, "delivered"); n != 1 {
		t.Fatalf("replayed notification shows %d delivered attempts, want 1", n)
	}
	saveScreenshot(t, ctx, "", "search.png") // the replayed notification's timeline

	run(t, ctx, "pause the endpoint",
		chromedp.Navigate(s.url+"/"),
		chromedp.Click(chromedp.CSS(`tr[data-endpoint="`+vendor+`/sample"] button[value="pause"]`)),
		chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-endpoint="`+vendor+`/sample"] .paused`)))
	waiting := s.publish(t)
	waitState(t, ctx, s.url, waiting, "retrying")
	if n := attempts(t, ctx, waiting, "waiting"); n < 1 {
		t.Fatal("the paused endpoint's notification shows no waiting hand-off")
	}
	if n := attempts(t, ctx, waiting, "delivered"); n != 0 {
		t.Fatal("a notification was delivered to a paused endpoint")
	}
	saveScreenshot(t, ctx, s.url+"/", "console.png")
}

// run runs the actions of one step.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// waitFor loads url until the expression holds (the test's deadline bounds
// it).
func waitFor(t *testing.T, ctx context.Context, url, expr string) {
	t.Helper()
	for {
		run(t, ctx, "load "+url, chromedp.Navigate(url))
		if ok := eval[bool](t, ctx, expr); ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never showed %s", url, expr)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitState waits until the search page shows the notification in state.
func waitState(t *testing.T, ctx context.Context, base, id, state string) {
	t.Helper()
	waitFor(t, ctx, base+"/search?q="+id,
		`(document.querySelector('article[data-message-id="`+id+`"] .badge') || {}).textContent === "`+state+`"`)
}

// attempts counts the notification's attempt rows on the current page
// (of a result, or all when result is "").
func attempts(t *testing.T, ctx context.Context, id, result string) int {
	t.Helper()
	sel := `article[data-message-id="` + id + `"] tr.attempt`
	if result != "" {
		sel += "." + result
	}
	return eval[int](t, ctx, `document.querySelectorAll('`+sel+`').length`)
}

// eval evaluates a JavaScript expression on the current page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// saveScreenshot writes the screenshot of url (of the current page when
// url is "") as name in the test's artifact directory (go test
// -artifacts); the overview's also to -screenshot's file.
func saveScreenshot(t *testing.T, ctx context.Context, url, name string) {
	if url != "" {
		run(t, ctx, "load "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("endpoints")))
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	paths := []string{filepath.Join(t.ArtifactDir(), name)}
	if *screenshot != "" && name == "console.png" {
		paths = append(paths, *screenshot)
	}
	for _, p := range paths {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot: %s", strings.Join(paths, ", "))
}
