package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/registry"
)

// merchantClient speaks the merchant API: a gateway's over HTTP (--api), or
// one served in-process over the registry topic itself (--config).
type merchantClient struct {
	base  string
	token string
	http  *http.Client
}

// openMerchantClient returns the client the flags ask for and its closer.
func openMerchantClient(ctx context.Context, fl *merchantFlags, stdio Stdio) (*merchantClient, func(), error) {
	if fl.api != "" {
		if fl.cf.path != "" && fl.cf.path != os.Getenv("LCNGW_CONFIG") {
			return nil, nil, errors.New("give --api or --config, not both")
		}
		token := os.Getenv(fl.tokenEnv)
		if token == "" {
			return nil, nil, fmt.Errorf("$%s holds no token for the merchant API", fl.tokenEnv)
		}
		u, err := url.Parse(fl.api)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, nil, errors.New("--api must be an http(s) URL such as http://127.0.0.1:9090")
		}
		c := &merchantClient{base: strings.TrimSuffix(fl.api, "/") + "/api/v1/merchants", token: token,
			http: &http.Client{Timeout: 10 * time.Minute}}
		return c, func() {}, nil
	}
	return openDirect(ctx, fl, stdio)
}

// openDirect reads the registry topic of the configuration to its end and
// serves the merchant API over it in-process, so that both ways share
// validation, checks and answers.
func openDirect(ctx context.Context, fl *merchantFlags, stdio Stdio) (*merchantClient, func(), error) {
	cfg, err := fl.cf.load()
	if err != nil {
		return nil, nil, err
	}
	conn, err := connectKafka(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	log := newLogger(cfg, Stdio{Out: stdio.Err, Err: stdio.Err})
	reg, err := openRegistry(cfg, conn, log)
	if err != nil {
		return nil, nil, err
	}
	if err := registry.EnsureTopic(ctx, conn.Brokers(), conn.Transport(), cfg.Registry.Topic, 1); err != nil {
		fmt.Fprintf(stdio.Err, "lcngw merchant: %v (continuing: the topic may exist)\n", err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- reg.Run(rctx) }()
	closer := func() {
		cancel()
		<-done
		reg.Close()
	}
	select {
	case <-reg.Loaded():
	case err := <-done:
		done <- err
		closer()
		return nil, nil, fmt.Errorf("merchant registry: %w", err)
	case <-ctx.Done():
		closer()
		return nil, nil, ctx.Err()
	}
	token := randomToken()
	mux := http.NewServeMux()
	merchantAPI(cfg, config.NewSecret([]byte(token)), reg, log).Register(mux)
	c := &merchantClient{base: "http://registry/api/v1/merchants", token: token, http: &http.Client{Transport: handlerTransport{mux}}}
	return c, closer, nil
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// handlerTransport answers requests with a handler, in-process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// call sends a request and decodes a 2xx answer into out (nil: ignored).
func (c *merchantClient) call(ctx context.Context, method, path string, q url.Values, hdr http.Header, body io.Reader, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("merchant API: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("merchant API: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return apiError(resp.StatusCode, data)
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}

// apiError renders an error answer, every problem on its own line.
func apiError(status int, data []byte) error {
	var pl merchantapi.ProblemList
	if json.Unmarshal(data, &pl) != nil || pl.Error == "" {
		return fmt.Errorf("merchant API: %d %s", status, http.StatusText(status))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d)", pl.Error, status)
	for _, p := range pl.Problems {
		if p.Path == "" {
			fmt.Fprintf(&b, "\n  - %s", p.Message)
		} else {
			fmt.Fprintf(&b, "\n  - %s: %s", p.Path, p.Message)
		}
	}
	return errors.New(b.String())
}

// print sends a request and prints the JSON answer, indented.
func (c *merchantClient) print(ctx context.Context, w io.Writer, method, path string, q url.Values, hdr http.Header, body io.Reader) error {
	var raw json.RawMessage
	if err := c.call(ctx, method, path, q, hdr, body, &raw); err != nil {
		return err
	}
	if len(raw) == 0 {
		return nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// pages calls fn with every merchant whose vendor code starts with prefix,
// at most limit of them (0: all).
func (c *merchantClient) pages(ctx context.Context, prefix string, limit int, fn func(merchantapi.View) error) error {
	after, n := "", 0
	for {
		q := url.Values{"prefix": {prefix}, "after": {after}, "limit": {strconv.Itoa(merchantapi.MaxLimit)}}
		var page merchantapi.Page
		if err := c.call(ctx, "GET", "", q, nil, nil, &page); err != nil {
			return err
		}
		for _, v := range page.Merchants {
			if limit > 0 && n == limit {
				return nil
			}
			n++
			if err := fn(v); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		after = page.Next
	}
}

// vendorOf returns the vendor code of a merchant document.
func vendorOf(doc []byte) (string, error) {
	m, err := config.DecodeMerchant(doc)
	if err != nil {
		return "", err
	}
	if m.VendorCode == "" {
		return "", errors.New("the document has no vendor_code")
	}
	return m.VendorCode, nil
}
