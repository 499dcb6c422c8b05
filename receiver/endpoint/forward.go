package endpoint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// forwarder POSTs records as JSON to one URL.
type forwarder struct {
	url     string
	client  *http.Client
	timeout time.Duration
}

func newForwarder(target string, client *http.Client, timeout time.Duration) *forwarder {
	if client == nil {
		client = &http.Client{
			Timeout: timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // a redirect is a failure, not a new target
			},
		}
	}
	return &forwarder{url: target, client: client, timeout: timeout}
}

// post sends one record; a transport error or a non-2xx answer is an
// error. Errors never carry the URL, which may hold credentials.
func (f *forwarder) post(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("forward: %w", redact(err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lcngw-receiver")
	resp, err := f.client.Do(req)
	if err != nil {
		return fmt.Errorf("forward: %w", redact(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("forward: status %d", resp.StatusCode)
	}
	return nil
}

// redact removes the URL from a *url.Error.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "<redacted>", Err: ue.Err}
	}
	return err
}
