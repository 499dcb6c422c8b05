package delivery

import (
	"context"
	"fmt"
	"net/http"
)

// Check checks a URL the way the platform does when a merchant saves it
// in the IPN/LCN settings: a GET that must answer 200, sent like every
// delivery (the SSRF guard applies, redirects are not followed, so a 3xx
// fails the check) within the client's connect and total timeouts; ctx
// may end it sooner. Errors name neither the URL's path nor its query; a
// non-200 answer is a *StatusError.
func (c *Client) Check(ctx context.Context, rawURL string) error {
	// The check's connection is its own, closed once it is done.
	private := &idleCount{max: 1}
	t := c.newTarget(rawURL, nil, func(scheme, host, addr string) *origin {
		return c.newOrigin(scheme, host, addr, private)
	})
	if t.err != nil {
		return fmt.Errorf("endpoint check: %w", t.err)
	}
	defer t.origin.closeIdle()
	a := t.exchange(ctx, methodGet, nil, c.cfg.ConnectTimeout, c.cfg.Timeout)
	defer a.release()
	if a.err != nil {
		return fmt.Errorf("endpoint check: %w", a.err)
	}
	if a.status != http.StatusOK {
		return fmt.Errorf("endpoint check %s: %w", t.site, &StatusError{Code: a.status})
	}
	return nil
}
