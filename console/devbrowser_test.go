package console_test

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lcngw/lcngw/internal/dev"
)

// syncBuffer is the dev narration, read while it is written.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// find waits for the narration to match re and returns its first group.
func (s *syncBuffer) find(t *testing.T, ctx context.Context, re *regexp.Regexp) string {
	t.Helper()
	for {
		s.mu.Lock()
		m := re.FindSubmatch(s.b.Bytes())
		s.mu.Unlock()
		if m != nil {
			return string(m[1])
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the narration never matched %s:\n%s", re, s.b.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestBrowserDev runs lcngw dev with the console, as "lcngw dev --console"
// does, and in a browser logs in, finds a delivered sample notification
// and pauses the sample endpoint through the merchant API and registry,
// then sees the next notification wait.
func TestBrowserDev(t *testing.T) {
	if testing.Short() {
		t.Skip("starts lcngw dev and a browser")
	}
	ctx := browser(t)
	out := &syncBuffer{}
	dctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- dev.Run(dctx, dev.Options{KafkaPort: 0, ConsoleListen: "127.0.0.1:0", AdminToken: token,
			Interval: 300 * time.Millisecond, Out: out})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("dev: %v", err)
		}
	})
	base := out.find(t, ctx, regexp.MustCompile(`console +(http://\S+)/`))
	first := out.find(t, ctx, regexp.MustCompile(`published .*MESSAGE_ID (\d+)\)`))
	run(t, ctx, "log in",
		chromedp.Navigate(base+"/"),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("totals")))
	waitState(t, ctx, base, first, "delivered")
	if n := attempts(t, ctx, first, "delivered"); n != 1 {
		t.Fatalf("the delivered sample shows %d delivered attempts, want 1", n)
	}
	row := `tr[data-endpoint="` + dev.Vendor + `/sample"]`
	run(t, ctx, "pause the sample endpoint",
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(row+` button[value="pause"]`)),
		chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.WaitVisible(chromedp.CSS(row+` .paused`)))
	waitFor(t, ctx, base+"/search?merchant="+dev.Vendor, `document.querySelector('tr.attempt.waiting') !== null`)
	run(t, ctx, "resume it",
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(row+` button[value="resume"]`)),
		chromedp.WaitVisible(chromedp.ID("message")),
		chromedp.WaitNotPresent(chromedp.CSS(row+` .paused`)))
}
