package delivery

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// CheckEndpoint checks a URL the way the platform does when a merchant
// saves it in the IPN/LCN settings: a GET that must answer 200. Use a
// client from [NewHTTPClient] (or [Client.HTTPClient]) so the SSRF guard
// applies and redirects are not followed (a 3xx fails the check). ctx
// bounds the check. Errors name neither the URL's path nor its query; a
// non-200 answer is a *StatusError.
func CheckEndpoint(ctx context.Context, c *http.Client, rawURL string) error {
	return checkEndpoint(ctx, c, rawURL, DefaultUserAgent())
}

// Check is [CheckEndpoint] through the Client's HTTP client, sending its
// User-Agent.
func (c *Client) Check(ctx context.Context, rawURL string) error {
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, ErrAttemptTimeout)
	defer cancel()
	return checkEndpoint(ctx, c.http, rawURL, c.cfg.UserAgent)
}

func checkEndpoint(ctx context.Context, c *http.Client, rawURL, userAgent string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint check: %w", errInvalidURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "", nil)
	if err != nil {
		return fmt.Errorf("endpoint check: %w", err)
	}
	req.URL, req.Host = u, u.Host
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("endpoint check %s: %w", redactURL(rawURL), redact(err))
	}
	_, _ = io.CopyN(io.Discard, resp.Body, drainBytes)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("endpoint check %s: %w", redactURL(rawURL), &StatusError{Code: resp.StatusCode})
	}
	return nil
}
